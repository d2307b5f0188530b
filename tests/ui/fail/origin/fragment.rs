// an origin has no fragment
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com#top")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
