// a wrong value never hides a wrong combination: the slash, the missing
// route method, the duplicate header and credentials with `*` are all
// reported, each once, on its own token
use actix_web::{post, App};
use cors_actix::cors;

#[cors(
    origins = ["https://a.example/"],
    methods = [GET],
    allow_headers = ["x-a", "X-A", "*"],
    credentials = true,
)]
#[post("/orders")]
async fn create_order() -> &'static str {
    "created"
}

fn main() {
    let _ = App::new().service(create_order);
}
