//! Policies, requests, response readers and counting handlers shared by
//! the HTTP-level tests (`tests/middleware.rs`, `tests/macros.rs`,
//! `tests/app_shapes.rs`, `tests/real_server.rs`, `tests/routes.rs`).

#![allow(dead_code, unused_macros)]

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{test, HttpResponse};
use cors_actix::CorsPolicy;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const APP: &str = "https://app.example";
pub const EVIL: &str = "https://evil.example";

pub fn list_policy() -> CorsPolicy {
    CorsPolicy::builder()
        .origins([APP, "https://*.example.com"])
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .credentials(true)
        .max_age(600)
        .build()
        .unwrap()
}

pub fn any_policy() -> CorsPolicy {
    CorsPolicy::builder().origins(["*"]).methods(["GET", "PUT"]).build().unwrap()
}

pub async fn ok() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-request-id", "42")).body("ok")
}

pub fn preflight(path: &str, origin: &str, method: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header((header::ORIGIN, origin))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method))
}

pub fn request(method: Method, path: &str, origin: Option<&str>) -> test::TestRequest {
    let req = test::TestRequest::default().method(method).uri(path);
    match origin {
        Some(o) => req.insert_header((header::ORIGIN, o)),
        None => req,
    }
}

pub fn get(path: &str, origin: Option<&str>) -> test::TestRequest {
    request(Method::GET, path, origin)
}

/// Records one call of a handler and answers 200 `ran`.
pub fn hit(counter: &AtomicUsize) -> HttpResponse {
    counter.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body("ran")
}

pub fn count(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::SeqCst)
}

/// A side-effect counter per handler (tests run in parallel: each test
/// uses its own handlers).
macro_rules! counters {
    ($($name:ident),* $(,)?) => { $(static $name: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);)* };
}

/// Handlers that only count their calls, each with its own counter:
/// `counted! { #[get("/p")] async fn name => NAME; }` defines the static
/// `NAME` and a handler that calls [`hit`] on it, under the attributes
/// given (`#[cors(..)]` first, then the route's).
macro_rules! counted {
    ($($(#[$($attr:tt)*])* async fn $name:ident => $counter:ident;)*) => {
        $(
            counters!($counter);
            $(#[$($attr)*])*
            async fn $name() -> impl actix_web::Responder {
                hit(&$counter)
            }
        )*
    };
}

pub fn h<'a, B>(res: &'a ServiceResponse<B>, name: &str) -> Option<&'a str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

pub fn values<B>(res: &ServiceResponse<B>, name: &str) -> Vec<String> {
    res.headers().get_all(name).map(|v| v.to_str().unwrap().to_owned()).collect()
}

pub fn vary_names<B>(res: &ServiceResponse<B>) -> Vec<String> {
    values(res, "vary").iter().flat_map(|v| v.split(',').map(|s| s.trim().to_ascii_lowercase())).collect()
}

pub fn access_control_headers<B>(res: &ServiceResponse<B>) -> Vec<String> {
    res.headers().keys().map(|k| k.as_str().to_owned()).filter(|k| k.starts_with("access-control-")).collect()
}

/// Sends `req` to `app` and asserts the response's status; a failure
/// names the request's method and path.
pub async fn call_expecting<S, B>(app: &S, req: test::TestRequest, status: StatusCode) -> ServiceResponse<B>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = req.to_request();
    let sent = format!("{} {}", req.method(), req.uri());
    let res = test::call_service(app, req).await;
    assert_eq!(res.status(), status, "{sent}");
    res
}

/// Sends each named preflight to `app` and asserts that it is refused:
/// 403, no `access-control-*` header (those found are printed) and
/// `Vary: origin`. A failure names its case.
pub async fn assert_preflights_refused<'a, S, B>(app: &S, cases: impl IntoIterator<Item = (&'a str, test::TestRequest)>)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    for (case, req) in cases {
        let res = test::call_service(app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{case}");
        assert!(access_control_headers(&res).is_empty(), "{case}: {:?}", access_control_headers(&res));
        assert!(vary_names(&res).contains(&"origin".to_owned()), "{case}: {:?}", vary_names(&res));
    }
}

/// An app with a global `Cors` over `/items` (GET, PUT) and a failing `/fail`.
macro_rules! global_app {
    ($policy:expr) => {
        actix_web::test::init_service(
            actix_web::App::new()
                .wrap(cors_actix::Cors::new($policy))
                .route("/items", actix_web::web::get().to($crate::http::ok))
                .route("/items", actix_web::web::put().to($crate::http::ok))
                .route(
                    "/fail",
                    actix_web::web::get().to(|| async { actix_web::HttpResponse::InternalServerError().body("boom") }),
                ),
        )
        .await
    };
}
