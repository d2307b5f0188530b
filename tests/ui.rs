//! The compile-time side of `#[cors]` and `cors_policy!` (trybuild): every
//! class of invalid policy under `tests/ui/fail/<kind>/<case>.rs`, each with
//! the exact diagnostic in its `.stderr`, and valid uses under
//! `tests/ui/pass/`. Regenerate snapshots with `TRYBUILD=overwrite`, then
//! read them as a user would.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/**/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
