//! The policy the benchmarks, the allocation test (`tests/alloc_middleware.rs`)
//! and the load server (`examples/load_server.rs`) measure, written once in
//! each form that is compared: the builder, the `#[cors]` attribute and
//! actix-cors 0.7; and the route tables of the apps they compare. Each
//! includer uses part of it.
#![allow(dead_code)]

use actix_web::dev::{ServiceFactory, ServiceRequest};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::{get, put, web, App, FromRequest, Handler, HttpRequest, HttpResponse, Responder};
use cors_actix::{Cors, CorsPolicy, CorsResource, PolicyBuilder, PolicySpec};

#[path = "keys.rs"]
mod keys;
pub use keys::{builder, ADMIN, APP};

/// The handler every compared route runs.
pub async fn ok() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// The least any CORS layer must do for an actual request, done by the
/// handler itself with no middleware (mode `floor`): read the `Origin`,
/// compare it, and write the headers both middlewares write (ACAO, ACAC,
/// ACEH and `Vary: Origin` when allowed; `Vary: Origin` alone when not).
/// What a middleware costs beyond this is its own machinery.
pub async fn floor(req: HttpRequest) -> HttpResponse {
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

/// The keys as a global policy.
pub fn policy() -> CorsPolicy {
    builder().build().expect("valid policy")
}

/// The keys as a route's policy.
pub fn spec() -> PolicySpec {
    builder().build_spec().expect("valid policy")
}

/// Our global middleware with the keys.
pub fn ours() -> Cors {
    Cors::new(policy())
}

/// actix-cors 0.7 with the same keys.
pub fn theirs() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allowed_origin(APP)
        .allowed_origin(ADMIN)
        .allowed_methods([Method::GET, Method::POST, Method::PUT])
        .allowed_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600)
}

// actix's `#[route]` keeps its methods in a `HashSet`, so the order of its
// method guards (and their cost) changes from build to build: one method
// per attribute keeps the comparison stable.

/// The `#[cors]` routes below without CORS: their baseline (actix's route
/// attributes have their own cost, which the other routes do not pay).
#[get("/macro")]
pub async fn plain_get() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

#[put("/macro")]
pub async fn plain_put() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// `annotated!(get, "/path", name)`: a handler `name` for `GET /path` with
/// the policy's keys through the `#[cors]` attribute, answering like [`ok`].
// rustfmt re-indents attribute arguments inside `macro_rules!` on every run.
#[rustfmt::skip]
macro_rules! annotated {
    ($method:ident, $path:tt, $name:ident) => {
        #[::cors_actix::cors(
            origins = ["https://app.example", "https://admin.example"],
            methods = [GET, POST, PUT],
            allow_headers = ["content-type", "x-request-id"],
            expose_headers = ["x-request-id"],
            credentials,
            max_age = 600,
        )]
        #[::actix_web::$method($path)]
        pub async fn $name() -> ::actix_web::HttpResponse {
            ::actix_web::HttpResponse::Ok().body("ok")
        }
    };
}
#[allow(unused_imports)] // used by examples/load_server.rs only
pub(crate) use annotated;

// The same route and policy keys as `plain_get`/`plain_put`, through the
// `#[cors]` attribute (the PUT is what the preflight scenario asks for).
annotated!(get, "/macro", annotated_get);
annotated!(put, "/macro", annotated_put);

/// `app` with `/items` (GET and PUT) answered by `handler`: the route every
/// compared app serves.
pub fn items<T, F, Args>(app: App<T>, handler: F) -> App<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    app.route("/items", web::get().to(handler.clone())).route("/items", web::put().to(handler))
}

/// `/route` with its own policy (a `CorsResource`, GET and PUT).
pub fn own_route() -> CorsResource {
    CorsResource::new("/route", spec()).get(ok).put(ok)
}

/// `app` with the per-route table and no policy of its own anywhere:
/// `/items`, `/route` and the `/macro` baselines (`plain_get`, `plain_put`).
pub fn plain_routes<T>(app: App<T>) -> App<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    items(app, ok)
        .route("/route", web::get().to(ok))
        .route("/route", web::put().to(ok))
        .service(plain_get)
        .service(plain_put)
}

/// The same table with the routes' own policies: `/items` plain, `/route`
/// from [`own_route`] and `/macro` from the `#[cors]` handlers.
pub fn own_policy_routes<T>(app: App<T>) -> App<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    items(app, ok).service(own_route()).service(annotated_get).service(annotated_put)
}
