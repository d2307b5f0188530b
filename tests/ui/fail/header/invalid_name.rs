// a header name has no spaces
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", allow_headers = ["content-type", "x request id"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
