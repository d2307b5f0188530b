// a port wildcard is the whole port
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "http://localhost:80*")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
