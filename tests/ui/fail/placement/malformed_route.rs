// a malformed route attribute is reported by actix alone, not twice
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com")]
#[get(orders)]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
