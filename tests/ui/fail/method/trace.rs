// browsers never send TRACE cross-origin
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", methods = [GET, "TRACE"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
