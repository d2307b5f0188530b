// `off` and a user's own `wrap` middleware on the same route attribute
use actix_web::middleware::DefaultHeaders;
use actix_web::{delete, get, App};
use cors_actix::cors;

#[cors(off)]
#[get("/metrics", wrap = "DefaultHeaders::new().add((\"x-served-by\", \"metrics\"))")]
async fn metrics() -> &'static str {
    ""
}

#[cors(origins = "https://app.example.com", reject)]
#[delete("/orders/{id}", wrap = "DefaultHeaders::new()")]
async fn delete_order() -> &'static str {
    ""
}

fn main() {
    let _ = App::new().service(metrics).service(delete_order);
}
