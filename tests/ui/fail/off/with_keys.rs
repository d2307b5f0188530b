// `off` removes CORS, other keys would be ignored
use actix_web::{get, App};
use cors_actix::cors;

#[cors(off, origins = "*", credentials = false)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
