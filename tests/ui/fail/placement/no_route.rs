// `#[cors]` on a fn that is not an actix route
use cors_actix::cors;

#[cors(origins = "https://app.example.com")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = orders();
}
