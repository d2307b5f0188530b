//! The README quickstart: `#[cors]` on handlers, a compile-time checked
//! global default, a route that opts out, and one that says nothing.
//!
//! ```text
//! cargo run --example quickstart
//! curl -i -X OPTIONS http://127.0.0.1:8081/orders \
//!      -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: POST' \
//!      -H 'Access-Control-Request-Headers: content-type'
//! ```
use actix_web::{get, post, web, App, HttpResponse, HttpServer, Responder};
use cors_actix::{cors, cors_policy, Cors};

#[cors(
    origins = ["https://app.example.com", "https://*.example.com"],
    credentials = true,
    allow_headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    max_age = 600,
)]
#[post("/orders")]
async fn create_order() -> impl Responder {
    HttpResponse::Created().insert_header(("x-request-id", "1")).body("created")
}

#[cors(off)] // this route never gets CORS headers
#[get("/internal/metrics")]
async fn metrics() -> impl Responder {
    ""
}

#[get("/health")] // no attribute: the global default applies
async fn health() -> impl Responder {
    "ok"
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // `RUST_LOG=cors_actix=debug` shows every refusal with its reason.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let addr = std::env::var("QUICKSTART_ADDR").unwrap_or_else(|_| "127.0.0.1:8081".to_owned());
    println!("API on http://{addr}  (Ctrl-C to stop)");
    for route in cors_actix::routes(None) {
        println!("  {route}");
    }
    HttpServer::new(|| {
        App::new()
            .wrap(Cors::new(cors_policy!(origins = "*", methods = [GET, HEAD])))
            .service(create_order)
            .service(web::scope("/api").service(health))
            .service(metrics)
    })
    .bind(addr)?
    .run()
    .await
}
