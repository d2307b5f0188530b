// one route attribute per `#[cors]` handler
use actix_web::{get, post, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com")]
#[get("/orders")]
#[post("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
