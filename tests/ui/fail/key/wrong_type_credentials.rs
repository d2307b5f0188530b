// credentials is a bool
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com", credentials = "yes")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
