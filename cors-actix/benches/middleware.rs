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

use actix_web::http::header::{self, HeaderValue};
use actix_web::{test, web, App, HttpRequest, HttpResponse};
use common::equivalent::{ADMIN, APP};
use common::{request, theirs, Bench, Scenario, SCENARIOS};
use cors_actix::{Cors, CorsPolicy};

async fn ok() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// The least any CORS layer must do for an actual request, done by the
/// handler itself with no middleware (mode `floor`, for scenarios (a) and
/// (c)): read the `Origin`, compare it, and write the headers both
/// middlewares write (ACAO, ACAC, ACEH and `Vary: Origin` when allowed;
/// `Vary: Origin` alone when not). What a middleware costs beyond this is
/// its own machinery.
async fn floor(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok().body("ok");
    let headers = res.headers_mut();
    match req.headers().get(header::ORIGIN) {
        Some(origin) if origin == APP || origin == ADMIN => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("x-request-id"));
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        Some(_) => headers.append(header::VARY, HeaderValue::from_static("Origin")),
        None => {}
    }
    res
}

fn ours() -> Cors {
    Cors::new(policy())
}

fn policy() -> CorsPolicy {
    common::equivalent::builder().build().expect("valid policy")
}

fn routes<T>(app: App<T>) -> App<T>
where
    T: actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Error = actix_web::Error,
        InitError = (),
    >,
{
    app.route("/items", web::get().to(ok)).route("/items", web::put().to(ok))
}

fn main() {
    let mut bench = Bench::new("").ratios(&[("ours", "actix-cors"), ("floor", "actix-cors"), ("reloadable", "ours")]);
    let rt = &bench.rt;
    let none = rt.block_on(test::init_service(routes(App::new())));
    let ours_app = rt.block_on(test::init_service(routes(App::new()).wrap(ours())));
    // The same policy behind `Cors::reloadable` (its handle kept alive).
    let (reloadable, _handle) = Cors::reloadable(policy());
    let reloadable_app = rt.block_on(test::init_service(routes(App::new()).wrap(reloadable)));
    let theirs_app = rt.block_on(test::init_service(routes(App::new()).wrap(theirs())));
    let floor_app = rt.block_on(test::init_service(
        App::new().route("/items", web::get().to(floor)).route("/items", web::put().to(floor)),
    ));
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
