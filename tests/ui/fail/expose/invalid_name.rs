// a header name has no colon
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", expose_headers = ["x-request-id:"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
