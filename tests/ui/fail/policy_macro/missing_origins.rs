// a global policy has nothing to inherit `origins` from
use cors_actix::{cors_policy, CorsPolicy};

fn main() {
    let _global: CorsPolicy = cors_policy!(methods = [GET, HEAD], max_age = 600);
}
