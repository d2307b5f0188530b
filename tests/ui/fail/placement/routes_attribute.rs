// `#[routes]` (several route attributes) is not supported
use actix_web::{routes, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com")]
#[routes]
#[get("/orders")]
#[post("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
