//! The global `Cors` middleware against `actix-cors` 0.7 and no middleware
//! at all, side by side in one run, on equivalent policies (issue 7).
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

use actix_rt::SystemRunner;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::{test, web, App, HttpRequest, HttpResponse};
use cors_actix::{Cors, CorsPolicy};
use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::time::{Duration, Instant};

const APP: &str = "https://app.example";
const ADMIN: &str = "https://admin.example";
const EVIL: &str = "https://evil.example";
/// Requests built ahead of each timed batch.
const BATCH: u64 = 256;

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
    Cors::new(
        CorsPolicy::builder()
            .origins([APP, ADMIN])
            .methods(["GET", "POST", "PUT"])
            .allow_headers(["content-type", "x-request-id"])
            .expose_headers(["x-request-id"])
            .credentials(true)
            .max_age(600)
            .build()
            .expect("valid policy"),
    )
}

fn theirs() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin(APP)
        .allowed_origin(ADMIN)
        .allowed_methods([Method::GET, Method::POST, Method::PUT])
        .allowed_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600)
}

/// The scenarios: a name and the request each one sends. Header values are
/// static, so cloning them (both middlewares clone the `Origin`) costs what
/// it costs on a real server, where they share the read buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scenario {
    /// (a) GET from an allowed origin.
    ActualAllowed,
    /// (b) preflight for PUT with two requested headers.
    Preflight,
    /// (c) GET from a disallowed origin.
    ActualDisallowed,
    /// (d) GET without `Origin`.
    NotCors,
}

const SCENARIOS: [(Scenario, &str); 4] = [
    (Scenario::ActualAllowed, "actual_allowed"),
    (Scenario::Preflight, "preflight"),
    (Scenario::ActualDisallowed, "actual_disallowed"),
    (Scenario::NotCors, "not_cors"),
];

fn request(s: Scenario) -> test::TestRequest {
    let origin = |o: &'static str| (header::ORIGIN, HeaderValue::from_static(o));
    match s {
        Scenario::ActualAllowed => test::TestRequest::get().uri("/items").insert_header(origin(APP)),
        Scenario::Preflight => test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/items")
            .insert_header(origin(APP))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, HeaderValue::from_static("PUT")))
            .insert_header((
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static("content-type, x-request-id"),
            )),
        Scenario::ActualDisallowed => test::TestRequest::get().uri("/items").insert_header(origin(EVIL)),
        Scenario::NotCors => test::TestRequest::get().uri("/items"),
    }
}

/// Calls `app` `iters` times, timing only the calls.
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

/// Checks the response is what the scenario expects of the mode, so a
/// bench never silently measures a 404 or a refused request.
fn check<B>(mode: &str, s: Scenario, res: &ServiceResponse<B>) {
    let status = res.status().as_u16();
    let acao = res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).map(|v| v.as_bytes().to_vec());
    let want_status = match (mode, s) {
        ("none", Scenario::Preflight) => 404,
        (_, Scenario::Preflight) if mode == "ours" => 204,
        _ => 200,
    };
    assert_eq!(status, want_status, "{mode} {s:?}");
    let want_acao = mode != "none" && matches!(s, Scenario::ActualAllowed | Scenario::Preflight);
    assert_eq!(acao.is_some(), want_acao, "{mode} {s:?}: ACAO {acao:?}");
}

type Fixed = Option<(String, u64)>;

/// Runs one (scenario, mode) case: under criterion, or `fixed` times for
/// callgrind.
/// `make` builds the scenario's request (`request(s).to_request()`: the
/// type is actix-http's, which actix-web does not re-export).
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
    let fixed: Fixed = match (std::env::var("CORS_BENCH_ONLY"), std::env::var("CORS_BENCH_ITERS")) {
        (Ok(only), Ok(iters)) => Some((only, iters.parse::<u64>().expect("CORS_BENCH_ITERS is a number"))),
        _ => None,
    };
    let mut c = Criterion::default().configure_from_args();
    let rt = actix_rt::System::new();
    let none = rt.block_on(test::init_service(routes(App::new())));
    let ours_app = rt.block_on(test::init_service(routes(App::new()).wrap(ours())));
    let theirs_app = rt.block_on(test::init_service(routes(App::new()).wrap(theirs())));
    let floor_app = rt.block_on(test::init_service(
        App::new().route("/items", web::get().to(floor)).route("/items", web::put().to(floor)),
    ));
    // The three modes of a scenario run one right after the other, so a
    // change in machine load skews them least.
    for (s, _) in SCENARIOS {
        let make = move || request(s).to_request();
        case(&mut c, &rt, &fixed, s, "none", &none, make);
        case(&mut c, &rt, &fixed, s, "ours", &ours_app, make);
        case(&mut c, &rt, &fixed, s, "actix-cors", &theirs_app, make);
        if matches!(s, Scenario::ActualAllowed | Scenario::ActualDisallowed) {
            case(&mut c, &rt, &fixed, s, "floor", &floor_app, make);
        }
    }
    if fixed.is_none() {
        c.final_summary();
    }
}
