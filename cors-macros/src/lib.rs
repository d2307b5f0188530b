//! Procedural macros for `cors-actix`: `#[cors(...)]` and `cors_policy!(...)`.
//! Use them through the `cors-actix` crate, which re-exports them.
