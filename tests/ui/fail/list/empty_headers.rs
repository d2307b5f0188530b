// an empty list allows nothing
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", allow_headers = [])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
