//! Per-route policies (`CorsResource`, `#[cors]`) against the global path
//! and against actix-cors, in one app that has both kinds of route.
//!
//! ```text
//! cargo bench -p cors-actix --bench per_route
//! ```
//!
//! Modes, all on the same route table (`/items` plain, `/route` with its own
//! policy; the policy keys are the same everywhere, so the answers are too):
//! - `none`: no CORS at all (baseline);
//! - `actix-cors`: `/items` under actix-cors 0.7 with the same keys (it has
//!   no per-route policies: its global middleware is what a route costs);
//! - `global`: `/items` answered by the global `Cors`;
//! - `route`: `/route`, whose `CorsResource` policy is merged over the
//!   global one;
//! - `route-alone`: `/route` in an app without a global `Cors`;
//! - `macro`: `/macro`, a `#[cors]` handler with the same keys, under the
//!   global `Cors`, against `none-macro` and `actix-cors-macro`: the same
//!   handler and route attribute without `#[cors]`;
//! - `none-route`, `actix-cors-route`: `/route` without CORS and under
//!   actix-cors, the baselines of `route` and `route-alone`;
//! - `scope`, `scope-alone`: `/scope/items`, a plain route inside a
//!   `CorsScope` with the same keys, under the global `Cors` and without
//!   one, against `none-scope` (a plain `web::scope`) and
//!   `actix-cors-scope` (actix-cors wrapped around that scope, its way of
//!   giving a scope a policy). Each in an app of its own.
//!
//! `CORS_BENCH_ONLY=<scenario>/<mode> CORS_BENCH_ITERS=<n>` runs one case
//! `n` times without criterion, for callgrind (see BENCHMARKS.md).

mod common;

use actix_web::{test, web, App};
use common::equivalent::{ok, ours, own_policy_routes, own_route, plain_routes, spec, theirs};
use common::{request, Bench, Ratio, SCENARIOS};
use cors_actix::CorsScope;

fn main() {
    let mut bench = Bench::new("route_")
        .ratios(&[
            ("global", "actix-cors"),
            ("route", "actix-cors"),
            ("route-alone", "actix-cors"),
            ("route", "global"),
        ])
        .ratios_over(&[
            Ratio { mode: "macro", base: "none-macro", reference: "actix-cors-macro", reference_base: "none-macro" },
            Ratio { mode: "scope", base: "none-scope", reference: "actix-cors-scope", reference_base: "none-scope" },
            Ratio {
                mode: "scope-alone",
                base: "none-scope",
                reference: "actix-cors-scope",
                reference_base: "none-scope",
            },
        ]);
    let rt = &bench.rt;
    let none = rt.block_on(test::init_service(plain_routes(App::new())));
    let actix_cors = rt.block_on(test::init_service(plain_routes(App::new()).wrap(theirs())));
    // `/items` under the global `Cors`, `/route` and `/macro` with their own policies.
    let mixed = rt.block_on(test::init_service(own_policy_routes(App::new()).wrap(ours())));
    let alone = rt.block_on(test::init_service(App::new().service(own_route())));
    let scope_routes = || web::scope("/scope").route("/items", web::get().to(ok)).route("/items", web::put().to(ok));
    let cors_scope =
        || CorsScope::new("/scope", spec()).route("/items", web::get().to(ok)).route("/items", web::put().to(ok));
    let none_scope = rt.block_on(test::init_service(App::new().service(scope_routes())));
    let actix_cors_scope = rt.block_on(test::init_service(App::new().service(scope_routes().wrap(theirs()))));
    let scoped = rt.block_on(test::init_service(App::new().wrap(ours()).service(cors_scope())));
    let scope_alone = rt.block_on(test::init_service(App::new().service(cors_scope())));
    for s in SCENARIOS {
        let plain = move || request(s, "/items").to_request();
        let own = move || request(s, "/route").to_request();
        let via_macro = move || request(s, "/macro").to_request();
        bench.case(s, "none", &none, plain);
        bench.case(s, "actix-cors", &actix_cors, plain);
        bench.case(s, "global", &mixed, plain);
        bench.case(s, "route", &mixed, own);
        bench.case(s, "route-alone", &alone, own);
        bench.case(s, "none-route", &none, own);
        bench.case(s, "actix-cors-route", &actix_cors, own);
        bench.case(s, "none-macro", &none, via_macro);
        bench.case(s, "actix-cors-macro", &actix_cors, via_macro);
        bench.case(s, "macro", &mixed, via_macro);
        let in_scope = move || request(s, "/scope/items").to_request();
        bench.case(s, "none-scope", &none_scope, in_scope);
        bench.case(s, "actix-cors-scope", &actix_cors_scope, in_scope);
        bench.case(s, "scope", &scoped, in_scope);
        bench.case(s, "scope-alone", &scope_alone, in_scope);
    }
    bench.finish();
}
