// `origins` of the wrong type is reported once; it is not also "missing"
use cors_actix::cors_policy;

fn main() {
    let _ = cors_policy!(origins = 5, max_age = 90000, methods = [GET, "P OST"]);
}
