// the same combination rules as the attribute
use cors_actix::{cors_policy, CorsPolicy};

fn main() {
    let _global: CorsPolicy = cors_policy!(origins = "*", credentials = true);
}
