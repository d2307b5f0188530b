// a pattern needs a scheme too
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = "*.example.com")]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
