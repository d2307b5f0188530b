// "trusted null" and an HTTP origin trusted with credentials need an
// explicit opt-in; loopback stays allowed
use actix_web::{get, App};
use cors_actix::cors;

#[cors(
    origins = ["https://app.example.com", "null", "http://app.example.com", "http://localhost:3000", "http://[::1]:8080"],
    credentials = true,
)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

#[cors(origins = ["null", "http://*.example.com"], credentials = true, allow_null_with_credentials = true)]
#[get("/partly")]
async fn partly_opted_in() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders).service(partly_opted_in);
}
