// `#[cors]` below the route attribute: actix expands first
use actix_web::{get, App};
use cors_actix::cors;

#[get("/orders")]
#[cors(origins = "https://app.example.com")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
