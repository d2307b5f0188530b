// does not even fit in 64 bits
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", max_age = 100000000000000000000)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
