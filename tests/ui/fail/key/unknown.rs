// a key named as in other CORS libraries
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", allowed_headers = ["x-request-id"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
