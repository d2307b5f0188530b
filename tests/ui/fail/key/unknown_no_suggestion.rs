// nothing close to a known key
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", timeout = 30)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
