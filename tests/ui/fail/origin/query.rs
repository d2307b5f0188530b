// an origin has no query
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com?x=1")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
