// seconds cannot be negative
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", max_age = -1)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
