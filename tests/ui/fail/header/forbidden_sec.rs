// scripts can never set `sec-*` headers
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", allow_headers = ["content-type", "Sec-Fetch-Mode"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
