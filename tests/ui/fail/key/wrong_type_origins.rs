// origins are strings
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = 5)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
