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

use actix_rt::SystemRunner;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::{route, test, web, App, HttpResponse};
use cors_actix::{cors, Cors, CorsPolicy, CorsResource, PolicySpec};
use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::time::{Duration, Instant};

const APP: &str = "https://app.example";
const ADMIN: &str = "https://admin.example";
const EVIL: &str = "https://evil.example";
const BATCH: u64 = 256;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    ActualAllowed,
    Preflight,
    ActualDisallowed,
    NotCors,
}

const SCENARIOS: [(Scenario, &str); 4] = [
    (Scenario::ActualAllowed, "route_actual_allowed"),
    (Scenario::Preflight, "route_preflight"),
    (Scenario::ActualDisallowed, "route_actual_disallowed"),
    (Scenario::NotCors, "route_not_cors"),
];

fn request(s: Scenario, path: &str) -> test::TestRequest {
    let origin = |o: &'static str| (header::ORIGIN, HeaderValue::from_static(o));
    match s {
        Scenario::ActualAllowed => test::TestRequest::get().uri(path).insert_header(origin(APP)),
        Scenario::Preflight => test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri(path)
            .insert_header(origin(APP))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, HeaderValue::from_static("PUT")))
            .insert_header((
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static("content-type, x-request-id"),
            )),
        Scenario::ActualDisallowed => test::TestRequest::get().uri(path).insert_header(origin(EVIL)),
        Scenario::NotCors => test::TestRequest::get().uri(path),
    }
}

async fn timed_calls<S, R, B>(app: &S, make: impl Fn() -> R, iters: u64) -> Duration
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let mut batch = Vec::with_capacity(BATCH as usize);
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(BATCH);
        batch.extend((0..n).map(|_| make()));
        let start = Instant::now();
        for req in batch.drain(..) {
            let res = app.call(req).await.unwrap_or_else(|e| panic!("service failed: {e}"));
            drop(black_box(res));
        }
        total += start.elapsed();
        left -= n;
    }
    total
}

fn check<B>(mode: &str, s: Scenario, res: &ServiceResponse<B>) {
    let status = res.status().as_u16();
    let acao = res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    let want_status = match (mode, s) {
        ("none", Scenario::Preflight) => 404,
        (_, Scenario::Preflight) => 204,
        _ => 200,
    };
    assert_eq!(status, want_status, "{mode} {s:?}");
    let want_acao = mode != "none" && matches!(s, Scenario::ActualAllowed | Scenario::Preflight);
    assert_eq!(acao.is_some(), want_acao, "{mode} {s:?}: ACAO {acao:?}");
}

type Fixed = Option<(String, u64)>;

fn case<S, R, B>(
    c: &mut Criterion,
    rt: &SystemRunner,
    fixed: &Fixed,
    s: Scenario,
    mode: &str,
    app: &S,
    make: impl Fn() -> R + Copy,
) where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let name = SCENARIOS.iter().find(|(x, _)| *x == s).map(|(_, n)| *n).unwrap_or("?");
    let res = rt.block_on(app.call(make())).unwrap_or_else(|e| panic!("service failed: {e}"));
    check(mode, s, &res);
    drop(res);
    match fixed {
        Some((only, iters)) if *only == format!("{name}/{mode}") => {
            rt.block_on(timed_calls(app, make, *iters));
        }
        Some(_) => {}
        None => {
            let mut group = c.benchmark_group(name);
            group.throughput(Throughput::Elements(1));
            group.bench_function(mode, |b| b.iter_custom(|iters| rt.block_on(timed_calls(app, make, iters))));
            group.finish();
        }
    }
}

fn main() {
    let fixed: Fixed = match (std::env::var("CORS_BENCH_ONLY"), std::env::var("CORS_BENCH_ITERS")) {
        (Ok(only), Ok(iters)) => Some((only, iters.parse::<u64>().expect("CORS_BENCH_ITERS is a number"))),
        _ => None,
    };
    let mut c = Criterion::default().configure_from_args();
    let rt = actix_rt::System::new();
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
    for (s, _) in SCENARIOS {
        let plain = move || request(s, "/items").to_request();
        let own = move || request(s, "/route").to_request();
        let via_macro = move || request(s, "/macro").to_request();
        case(&mut c, &rt, &fixed, s, "none", &none, plain);
        case(&mut c, &rt, &fixed, s, "global", &mixed, plain);
        case(&mut c, &rt, &fixed, s, "route", &mixed, own);
        case(&mut c, &rt, &fixed, s, "route-alone", &alone, own);
        case(&mut c, &rt, &fixed, s, "macro", &mixed, via_macro);
    }
    if fixed.is_none() {
        c.final_summary();
    }
}
