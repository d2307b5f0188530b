// an origin has no path
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = ["https://app.example.com/api"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
