// a key given twice
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://a.example", max_age = 60, origins = "https://b.example")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
