//! Policies, requests and response readers shared by the HTTP-level tests
//! (`tests/middleware.rs`, `tests/route_policies.rs`).

#![allow(dead_code)]

use actix_web::dev::ServiceResponse;
use actix_web::http::{header, Method};
use actix_web::{test, HttpResponse};
use cors_actix::CorsPolicy;

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

pub fn get(path: &str, origin: Option<&str>) -> test::TestRequest {
    let req = test::TestRequest::get().uri(path);
    match origin {
        Some(o) => req.insert_header((header::ORIGIN, o)),
        None => req,
    }
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
