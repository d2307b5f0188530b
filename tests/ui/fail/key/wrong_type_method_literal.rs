// a method is a name, not a number
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*", methods = [GET, 1])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
