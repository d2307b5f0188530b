// every key, in every accepted form
use actix_web::{get, post, put, App, Responder};
use cors_actix::cors;

#[cors(
    origins = ["https://app.example.com", "https://*.example.com", "http://localhost:*", "https://api.example.org:8443", "null", "http://intranet.example", "http://example.com.:3999"],
    methods = [GET, POST, "PURGE", "patch"],
    allow_headers = ["content-type", "X-Request-Id"],
    expose_headers = ["x-request-id"],
    credentials = true,
    max_age = 600,
    private_network = true,
    reject = false,
    allow_null_with_credentials = true,
    allow_insecure_origins_with_credentials = true,
)]
#[post("/orders")]
async fn create_order() -> impl Responder {
    "created"
}

#[cors(origins = "*", methods = "*", allow_headers = "*", expose_headers = "*", max_age = 0)]
#[get("/public")]
async fn public() -> impl Responder {
    "public"
}

#[cors(origins = "https://app.example.com", credentials, private_network, reject, methods = PUT)]
#[put("/items")]
async fn bare_flags() -> impl Responder {
    "ok"
}

#[cors(origins = ["https://app.example.com"], credentials = false, private_network = false, reject = true,)]
#[get("/explicit")]
async fn explicit_false() -> impl Responder {
    "ok"
}

#[cors(off)]
#[get("/internal")]
async fn internal() -> impl Responder {
    "internal"
}

#[cors()]
#[get("/inherits")]
async fn inherits_everything() -> impl Responder {
    "ok"
}

fn main() {
    let _ = App::new()
        .service(create_order)
        .service(public)
        .service(bare_flags)
        .service(explicit_false)
        .service(internal)
        .service(inherits_everything);
}
