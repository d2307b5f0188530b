// anyone can register a name under `.com`
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://*.com")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
