// `methods` must include the route's own method, or its preflight always fails
use actix_web::{post, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com", methods = [GET, PUT])]
#[post("/orders")]
async fn create_order() -> &'static str {
    "created"
}

fn main() {
    let _ = App::new().service(create_order);
}
