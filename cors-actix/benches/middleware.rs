//! The global `Cors` middleware against `actix-cors` 0.7 and no middleware
//! at all, side by side in one run, on equivalent policies.
//!
//! ```text
//! cargo bench -p cors-actix --bench middleware
//! ```
//!
//! Each app is an `actix_web::test::init_service` service with a trivial
//! handler, driven on one thread by an `actix_rt` system. Requests are built
//! outside the timed region, in batches; the timed region is the call, the
//! await, and dropping the response. The middleware's overhead is a mode's
//! time minus the `none` time of the same scenario, in the same run.
//!
//! Mode `floor` (scenarios (a) and (c)) is no middleware, with a handler
//! that writes the same headers itself: the cost any CORS layer writing
//! them pays, whatever its design.
//!
//! No app in this binary has a per-route policy (those change what the
//! global middleware does for every request; see `per_route.rs`).
//!
//! For repeatable instruction counts, run one case a fixed number of times
//! without criterion under callgrind (see BENCHMARKS.md):
//!
//! ```text
//! CORS_BENCH_ONLY=actual_allowed/ours CORS_BENCH_ITERS=20000 \
//!     valgrind --tool=callgrind target/release/deps/middleware-<hash>
//! ```

mod common;

use actix_web::{test, App};
use common::equivalent::{floor, items, ok, ours, policy, theirs};
use common::{request, Bench, Scenario, SCENARIOS};
use cors_actix::Cors;

fn main() {
    let mut bench = Bench::new("").ratios(&[("ours", "actix-cors"), ("floor", "actix-cors"), ("reloadable", "ours")]);
    let rt = &bench.rt;
    let none = rt.block_on(test::init_service(items(App::new(), ok)));
    let ours_app = rt.block_on(test::init_service(items(App::new(), ok).wrap(ours())));
    // The same policy behind `Cors::reloadable` (its handle kept alive).
    let (reloadable, _handle) = Cors::reloadable(policy());
    let reloadable_app = rt.block_on(test::init_service(items(App::new(), ok).wrap(reloadable)));
    let theirs_app = rt.block_on(test::init_service(items(App::new(), ok).wrap(theirs())));
    // `floor` (scenarios (a) and (c)): the handler writes the headers itself.
    let floor_app = rt.block_on(test::init_service(items(App::new(), floor)));
    // The modes of a scenario run one right after the other, so a change in
    // machine load skews them least.
    for s in SCENARIOS {
        let make = move || request(s, "/items").to_request();
        bench.case(s, "none", &none, make);
        bench.case(s, "ours", &ours_app, make);
        bench.case(s, "reloadable", &reloadable_app, make);
        bench.case(s, "actix-cors", &theirs_app, make);
        if matches!(s, Scenario::ActualAllowed | Scenario::ActualDisallowed) {
            bench.case(s, "floor", &floor_app, make);
        }
    }
    bench.finish();
}
