// errors in `cors_policy!` point at the literal too
use cors_actix::{cors_policy, CorsPolicy};

fn main() {
    let _global: CorsPolicy = cors_policy!(origins = ["https://app.example.com", "https://App.example.com:443"]);
}
