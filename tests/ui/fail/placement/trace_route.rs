// browsers never send TRACE cross-origin: CORS on it is meaningless
use actix_web::{trace, App};
use cors_actix::cors;

#[cors(origins = "https://app.example.com")]
#[trace("/debug")]
async fn debug() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(debug);
}
