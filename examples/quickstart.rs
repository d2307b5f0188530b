//! A small API with a global CORS default and one route with its own policy.
//!
//! ```text
//! cargo run --example quickstart
//! curl -i -X OPTIONS http://127.0.0.1:8081/orders \
//!      -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: POST' \
//!      -H 'Access-Control-Request-Headers: content-type'
//! ```
use actix_web::{get, web, App, HttpResponse, HttpServer, Responder};
use cors_actix::{Cors, CorsPolicy, CorsResource};

#[get("/health")] // no policy of its own: the global default applies
async fn health() -> impl Responder {
    "ok"
}

async fn create_order() -> impl Responder {
    HttpResponse::Created().insert_header(("x-request-id", "1")).body("created")
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::var("QUICKSTART_ADDR").unwrap_or_else(|_| "127.0.0.1:8081".to_owned());
    let global = CorsPolicy::builder().origins(["*"]).methods(["GET", "HEAD"]).build().map_err(std::io::Error::other)?;
    let orders = CorsPolicy::builder()
        .origins(["https://app.example.com", "https://*.example.com"])
        .credentials(true)
        .allow_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .max_age(600)
        .build_spec()
        .map_err(std::io::Error::other)?;
    println!("API on http://{addr}  (Ctrl-C to stop)");
    HttpServer::new(move || {
        App::new()
            .wrap(Cors::new(global.clone()))
            .service(health)
            .service(web::scope("").service(CorsResource::new("/orders", orders.clone()).post(create_order)))
    })
    .bind(addr)?
    .run()
    .await
}
