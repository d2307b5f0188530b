// `off` is bare
use actix_web::{get, App};
use cors_actix::cors;

#[cors(off = true)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
