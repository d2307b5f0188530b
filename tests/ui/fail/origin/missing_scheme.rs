// browsers always send the scheme
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = ["https://ok.example", "app.example.com"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
