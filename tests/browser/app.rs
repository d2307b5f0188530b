//! The API under test: `#[cors]` routes with many policies under a global
//! `Cors`, reachable at `http://localhost:<port>` from a page served at
//! `http://127.0.0.1:<port>` (another origin).

use actix_web::{delete, get, patch, post, put, web, HttpResponse, Responder};
use cors_actix::{cors, cors_policy, Cors, CorsPolicy, CorsScope};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts runs of the `reject = true` handler: it must stay 0.
pub static ADMIN_RUNS: AtomicUsize = AtomicUsize::new(0);

fn tagged(body: &'static str) -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-request-id", "rid")).insert_header(("x-hidden", "h")).body(body)
}

/// Handlers that only answer [`tagged`] with their body:
/// `tagged! { #[get("/p")] async fn name => "body"; }` writes
/// `async fn name() -> impl Responder { tagged("body") }` under the
/// attributes given (`#[cors(..)]` first, then the route's).
macro_rules! tagged {
    ($($(#[$($attr:tt)*])* async fn $name:ident => $body:literal;)*) => {
        $(
            $(#[$($attr)*])*
            async fn $name() -> impl Responder {
                tagged($body)
            }
        )*
    };
}

tagged! {
    #[cors(origins = "*", expose_headers = ["x-request-id"])]
    #[get("/public")]
    async fn public => "public";

    #[cors(
        origins = ["http://127.0.0.1:*"],
        credentials = true,
        allow_headers = ["content-type", "x-request-id"],
        expose_headers = ["x-request-id"],
        max_age = 0,
    )]
    #[put("/orders")]
    async fn put_order => "updated";

    /// Same path, another method, another policy: the page's origin is not in it.
    #[cors(origins = ["https://other.example"], max_age = 0)]
    #[delete("/orders")]
    async fn delete_order => "deleted";

    #[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["content-type"], max_age = 0)]
    #[patch("/items")]
    async fn patch_item => "patched";

    #[cors(origins = ["http://127.0.0.1:*"], methods = "*", allow_headers = "*", max_age = 0)]
    #[post("/wild")]
    async fn wild => "wild";

    #[cors(origins = ["https://*.example.com"], max_age = 0)]
    #[get("/partners")]
    async fn partners => "partners";

    #[cors(origins = ["http://127.0.0.1:*"], credentials, expose_headers = ["x-request-id"])]
    #[get("/me")]
    async fn me => "me";

    #[cors(origins = ["http://127.0.0.1:*"], credentials = false)]
    #[get("/nocred")]
    async fn nocred => "nocred";

    #[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["x-api-key"], max_age = 0)]
    #[get("/things")]
    async fn scoped_things => "things";

    #[cors(off)]
    #[get("/internal")]
    async fn internal => "internal";

    #[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["content-type"], max_age = 600)]
    #[put("/cached")]
    async fn cached => "cached";

    /// No attribute: the global default.
    #[get("/health")]
    async fn health => "ok";

    /// No attribute: the global default, simple POSTs.
    #[post("/submit")]
    async fn submit => "submitted";
}

#[cors(origins = ["http://127.0.0.1:*"], expose_headers = ["x-request-id"])]
#[get("/fail/500")]
async fn fail() -> impl Responder {
    HttpResponse::InternalServerError().insert_header(("x-request-id", "err")).body("boom")
}

#[derive(serde::Deserialize)]
struct Order {
    #[allow(dead_code)]
    quantity: u32,
}

#[cors(origins = ["http://127.0.0.1:*"], allow_headers = ["content-type"], max_age = 0)]
#[post("/json")]
async fn json(_order: web::Json<Order>) -> impl Responder {
    tagged("json ok")
}

#[cors(origins = ["https://admin.example.com"], reject)]
#[get("/admin")]
async fn admin() -> impl Responder {
    ADMIN_RUNS.fetch_add(1, Ordering::SeqCst);
    tagged("admin")
}

/// The global default: the page's origin, simple methods, no credentials.
pub fn global() -> cors_actix::CorsPolicy {
    cors_policy!(origins = ["http://127.0.0.1:*"], methods = [GET, HEAD, POST], expose_headers = ["x-request-id"])
}

/// `/team`: a scope whose policy (the page's origin, credentials, `PUT`)
/// covers plain routes that have no policy of their own, errors included.
fn team() -> CorsScope {
    let policy = CorsPolicy::builder()
        .origins(["http://127.0.0.1:*"])
        .credentials(true)
        .methods(["GET", "PUT"])
        .allow_headers(["content-type"])
        .max_age(0)
        .build_spec()
        .expect("a valid scope policy");
    CorsScope::new("/team", policy)
        .route("/notes", web::put().to(|| async { tagged("noted") }))
        .route("/fail", web::get().to(|| async { HttpResponse::InternalServerError().body("failed") }))
}

/// The API's global `Cors`, over [`services`].
pub fn cors() -> Cors {
    Cors::new(global())
}

/// The API's routes and scopes: `App::new().wrap(cors()).configure(services)`,
/// the same app for the in-process model and the real browsers.
pub fn services(cfg: &mut web::ServiceConfig) {
    cfg.service(public)
        .service(put_order)
        .service(delete_order)
        .service(patch_item)
        .service(wild)
        .service(partners)
        .service(me)
        .service(nocred)
        .service(web::scope("/api").service(scoped_things))
        .service(team())
        .service(
            CorsScope::new("/vendor", cors_policy!(origins = ["https://vendor.example"], max_age = 0))
                .route("/stock", web::get().to(|| async { tagged("stock") })),
        )
        .service(internal)
        .service(fail)
        .service(json)
        .service(admin)
        .service(cached)
        .service(health)
        .service(submit);
}
