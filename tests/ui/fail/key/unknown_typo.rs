// a misspelled key
use actix_web::{get, App};
use cors_actix::cors;

#[cors(orgins = "*")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
