// browsers send origins in lower case
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "https://App.Example.com")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
