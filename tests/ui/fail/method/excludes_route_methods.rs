// each method of `#[route]` must be allowed
use actix_web::{route, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com", methods = [PUT])]
#[route("/items/{id}", method = "PUT", method = "PATCH", method = "DELETE")]
async fn update_item() -> &'static str {
    "updated"
}

fn main() {
    let _ = App::new().service(update_item);
}
