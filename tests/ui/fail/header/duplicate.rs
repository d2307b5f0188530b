// header names compare case-insensitively
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", allow_headers = ["x-request-id", "X-Request-Id"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
