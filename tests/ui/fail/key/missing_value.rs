// a key that needs a value
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
