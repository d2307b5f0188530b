// every actix route attribute, however it is imported
use actix_web::{delete, get, head, options, patch, post, put, route, App, HttpResponse};
use cors_actix::cors;

/// `#[web::get]` is not an actix path, but a module re-exporting the
/// attribute is: the route attribute is recognized by its last segment.
mod web {
    pub use actix_web::get;
    pub use actix_web::web::*;
}

const ORIGIN: &str = "https://app.example.com";

#[cors(origins = "https://app.example.com")]
#[get("/a")]
async fn a_get() -> HttpResponse {
    HttpResponse::Ok().body(ORIGIN)
}

#[cors(origins = "https://app.example.com")]
#[post("/a")]
async fn a_post() -> HttpResponse {
    HttpResponse::Created().finish()
}

#[cors(origins = "https://app.example.com")]
#[put("/a")]
async fn a_put() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "https://app.example.com")]
#[delete("/a")]
async fn a_delete() -> HttpResponse {
    HttpResponse::NoContent().finish()
}

#[cors(origins = "https://app.example.com")]
#[patch("/a")]
async fn a_patch() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "https://app.example.com")]
#[head("/a")]
async fn a_head() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "https://app.example.com")]
#[options("/b")]
async fn b_options() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "https://app.example.com", methods = [GET, POST, "PURGE"])]
#[route("/c", method = "GET", method = "POST", method = "PURGE")]
async fn c_any() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "https://app.example.com")]
#[actix_web::get("/d")]
async fn d_full_path() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "https://app.example.com")]
#[web::get("/e")]
async fn e_module_path() -> HttpResponse {
    HttpResponse::Ok().finish()
}

#[cors(origins = "https://app.example.com")]
#[get("/f", name = "named", guard = "always", wrap = "actix_web::middleware::DefaultHeaders::new()",)]
async fn f_with_options() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn always(_: &actix_web::guard::GuardContext<'_>) -> bool {
    true
}

fn main() {
    let _ = App::new()
        .service(a_get)
        .service(a_post)
        .service(a_put)
        .service(a_delete)
        .service(a_patch)
        .service(a_head)
        .service(b_options)
        .service(c_any)
        .service(d_full_path)
        .service(e_module_path)
        .service(f_with_options)
        .route("/g", web::get().to(HttpResponse::Ok));
}
