// a handler declared inside a function body
use actix_web::{get, App};
use cors_actix::cors;

fn main() {
    #[cors(origins = "https://app.example.com", max_age = 60)]
    #[get("/local")]
    async fn local() -> &'static str {
        "local"
    }

    let _ = App::new().service(local);
}
