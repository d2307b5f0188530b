// a wildcard needs a parent domain
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://*")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
