// origin_fn takes a path to a function, not a string or a closure
use actix_web::{get, App};
use cors_actix::{cors, cors_policy};

#[cors(origins = "https://app.example.com", origin_fn = "tenants::allowed")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = cors_policy!(origins = ["https://app.example.com"], origin_fn = move |o, h| o.host() == h.uri.host().unwrap_or_default());
    let _ = App::new().service(orders);
}
