// anyone can register a name under `.co.uk`
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = ["https://*.co.uk"])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
