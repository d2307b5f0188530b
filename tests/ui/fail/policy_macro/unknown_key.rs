// the same keys as the attribute
use cors_actix::{cors_policy, CorsPolicy};

fn main() {
    let _global: CorsPolicy = cors_policy!(origins = "*", expose = ["x-request-id"]);
}
