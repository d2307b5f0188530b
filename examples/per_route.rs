//! Per-route and per-scope policies next to a global default: `#[cors]`
//! on attribute routes, `CorsResource` on hand-registered ones, and
//! `CorsScope` for every route of a scope.
//!
//! - `GET /items` is public (`origins = "*"`), `POST /items` on the same path
//!   only accepts the admin site with credentials: each answers its own
//!   preflight.
//! - `/api/reports/{id}` is registered by hand with `CorsResource` inside a
//!   scope and inherits `max_age` and `expose_headers` from the global.
//! - `/partners/...` is a `CorsScope` for the partner portal: every route
//!   inside, `/partners/stock` included (no policy of its own), answers the
//!   partner's origin without credentials (`credentials = false` wins over
//!   the global's).
//! - `/legacy` has no policy of its own: the global default applies.
//!
//! ```text
//! cargo run --example per_route
//! curl -i -X OPTIONS http://127.0.0.1:8083/items -H 'Origin: https://admin.example.com' \
//!      -H 'Access-Control-Request-Method: POST'
//! ```
use actix_web::{get, post, web, App, HttpResponse, HttpServer, Responder};
use cors_actix::{cors, Cors, CorsPolicy, CorsResource, CorsScope};

#[cors(origins = "*", credentials = false)]
#[get("/items")]
async fn list_items() -> impl Responder {
    "[]"
}

#[cors(origins = ["https://admin.example.com"], credentials, allow_headers = ["content-type"])]
#[post("/items")]
async fn create_item() -> impl Responder {
    HttpResponse::Created().finish()
}

async fn report(id: web::Path<u32>) -> impl Responder {
    HttpResponse::Ok().insert_header(("x-request-id", id.to_string())).body("report")
}

async fn legacy() -> impl Responder {
    "legacy"
}

fn io_err(e: cors_actix::PolicyError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // `RUST_LOG=cors_actix=debug` shows every refusal with its reason.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let global = CorsPolicy::builder()
        .origins(["https://app.example.com"])
        .credentials(true)
        .expose_headers(["x-request-id"])
        .max_age(300)
        .build()
        .map_err(io_err)?;
    let reports = CorsPolicy::builder().origins(["https://reports.example.com"]).build_spec().map_err(io_err)?;
    let partners = CorsPolicy::builder()
        .origins(["https://partners.example.com"])
        .credentials(false)
        .build_spec()
        .map_err(io_err)?;
    // Every #[cors] route merged with the global policy, checked as at start-up.
    match Cors::new(global.clone()).check_routes() {
        Ok(routes) => routes.iter().for_each(|r| println!("  {r}")),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    }
    let addr = std::env::var("PER_ROUTE_ADDR").unwrap_or_else(|_| "127.0.0.1:8083".to_owned());
    println!("serving on http://{addr}  (Ctrl-C to stop)");
    HttpServer::new(move || {
        App::new()
            .wrap(Cors::new(global.clone()))
            .service(list_items)
            .service(create_item)
            .service(web::scope("/api").service(CorsResource::new("/reports/{id}", reports.clone()).get(report)))
            .service(CorsScope::new("/partners", partners.clone()).route("/stock", web::get().to(legacy)))
            .route("/legacy", web::get().to(legacy))
    })
    .bind(addr)?
    .run()
    .await
}
