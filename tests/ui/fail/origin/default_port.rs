// browsers omit the default port
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com:443")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
