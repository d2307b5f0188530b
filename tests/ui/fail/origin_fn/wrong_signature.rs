// origin_fn names a function with the wrong signature: the compiler says
// which one it expects, on the path
use actix_web::{get, App};
use cors_actix::cors;

fn allowed(origin: &str) -> bool {
    origin.ends_with(".tenants.example")
}

#[cors(origins = "https://app.example.com", origin_fn = allowed)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
