// ports stop at 65535
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "http://localhost:99999")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
