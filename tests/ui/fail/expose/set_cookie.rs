// scripts can never read `set-cookie`
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", expose_headers = ["x-request-id", "set-cookie"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
