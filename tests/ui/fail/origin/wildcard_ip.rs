// IP addresses have no subdomains
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://*.127.0.0.1")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
