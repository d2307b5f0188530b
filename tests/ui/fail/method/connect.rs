// browsers never send CONNECT cross-origin
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", methods = [GET, CONNECT])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
