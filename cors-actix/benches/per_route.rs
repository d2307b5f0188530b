//! A per-route policy (`CorsResource`) against the global path, in an app
//! that has both (issue 7).
//!
//! ```text
//! cargo bench -p cors-actix --bench per_route
//! ```
//!
//! Once any app in a process registers a route with its own policy, the
//! global `Cors` also marks every request for the route layers, so this
//! lives in its own binary: `middleware.rs` measures apps without any.
//!
//! Modes, all on the same route table (`/items` plain, `/route` with its own
//! policy; the policy keys are the same everywhere, so the answers are too):
//! - `none`: no CORS at all (baseline);
//! - `global`: `/items` answered by the global `Cors`;
//! - `route`: `/route`, whose `CorsResource` policy is merged over the
//!   global one;
//! - `route-alone`: `/route` in an app without a global `Cors`;
//! - `macro`: `/macro`, a `#[cors]` handler with the same keys, under the
//!   global `Cors`.
//!
//! `CORS_BENCH_ONLY=<scenario>/<mode> CORS_BENCH_ITERS=<n>` runs one case
//! `n` times without criterion, for callgrind (see BENCHMARKS.md).

mod common;

use actix_web::{route, test, web, App, HttpResponse};
use common::{request, Bench, ADMIN, APP, SCENARIOS};
use cors_actix::{cors, Cors, CorsPolicy, CorsResource, PolicySpec};

async fn ok() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// The same route and policy keys through the `#[cors]` attribute.
#[cors(
    origins = ["https://app.example", "https://admin.example"],
    methods = [GET, POST, PUT],
    allow_headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[route("/macro", method = "GET", method = "PUT")]
async fn annotated() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

fn builder() -> cors_actix::PolicyBuilder {
    CorsPolicy::builder()
        .origins([APP, ADMIN])
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .credentials(true)
        .max_age(600)
}

fn global() -> Cors {
    Cors::new(builder().build().expect("valid policy"))
}

fn route_spec() -> PolicySpec {
    builder().build_spec().expect("valid policy")
}

fn main() {
    let mut bench = Bench::new("route_").ratios(&[("route", "global"), ("route-alone", "global"), ("macro", "global")]);
    let rt = &bench.rt;
    let none = rt.block_on(test::init_service(
        App::new()
            .route("/items", web::get().to(ok))
            .route("/items", web::put().to(ok))
            .route("/route", web::get().to(ok))
            .route("/route", web::put().to(ok)),
    ));
    let mixed = rt.block_on(test::init_service(
        App::new()
            .wrap(global())
            .route("/items", web::get().to(ok))
            .route("/items", web::put().to(ok))
            .service(CorsResource::new("/route", route_spec()).get(ok).put(ok))
            .service(annotated),
    ));
    let alone =
        rt.block_on(test::init_service(App::new().service(CorsResource::new("/route", route_spec()).get(ok).put(ok))));
    for s in SCENARIOS {
        let plain = move || request(s, "/items").to_request();
        let own = move || request(s, "/route").to_request();
        let via_macro = move || request(s, "/macro").to_request();
        bench.case(s, "none", &none, plain);
        bench.case(s, "global", &mixed, plain);
        bench.case(s, "route", &mixed, own);
        bench.case(s, "route-alone", &alone, own);
        bench.case(s, "macro", &mixed, via_macro);
    }
    bench.finish();
}
