// a wildcard may only be the leading label
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://api.*.example.com")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
