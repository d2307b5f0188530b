// with origins = "*" every origin is allowed before origin_fn is asked
use actix_web::dev::RequestHead;
use actix_web::{get, App};
use cors_actix::{cors, RequestOrigin};

fn allowed(origin: &RequestOrigin<'_>, _: &RequestHead) -> bool {
    origin.host().ends_with(".tenants.example")
}

#[cors(origins = "*", origin_fn = allowed)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
