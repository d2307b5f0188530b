//! The policy the benchmarks, the allocation test (`tests/alloc_middleware.rs`)
//! and the load server (`examples/load_server.rs`) measure, written once in
//! each form that is compared: the builder, the `#[cors]` attribute and
//! actix-cors 0.7. Each includer uses part of it.
#![allow(dead_code)]

use actix_web::http::Method;
use actix_web::{get, put, HttpResponse};
use cors_actix::{cors, CorsPolicy, PolicyBuilder};

pub const APP: &str = "https://app.example";
pub const ADMIN: &str = "https://admin.example";

/// The handler every compared route runs.
pub async fn ok() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// The policy's keys, for a global policy (`build`) or a route's
/// (`build_spec`).
pub fn builder() -> PolicyBuilder {
    CorsPolicy::builder()
        .origins([APP, ADMIN])
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .credentials(true)
        .max_age(600)
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

/// The same route and policy keys through the `#[cors]` attribute.
#[cors(
    origins = ["https://app.example", "https://admin.example"],
    methods = [GET, POST, PUT],
    allow_headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[get("/macro")]
pub async fn annotated_get() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

/// The PUT the preflight scenario asks for.
#[cors(
    origins = ["https://app.example", "https://admin.example"],
    methods = [GET, POST, PUT],
    allow_headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[put("/macro")]
pub async fn annotated_put() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}
