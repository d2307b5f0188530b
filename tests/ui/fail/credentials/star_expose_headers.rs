// with credentials `*` is a literal header name
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com", credentials, expose_headers = ["x-request-id", "*"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
