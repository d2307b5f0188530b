// every mistake is reported in one compile
use actix_web::{get, App};
use cors_actix::cors;

#[cors(
    origins = ["https://app.example.com/", "https://*.com", "https://ok.example"],
    methods = [GET, TRACE],
    allow_headers = ["cookie"],
    max_age = 90000,
    credential = true,
)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
