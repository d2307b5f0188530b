// `#[cors]` on something that is not a function
use cors_actix::cors;

#[cors(origins = "https://app.example.com")]
pub struct Orders;

fn main() {
    let _ = Orders;
}
