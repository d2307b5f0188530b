// origins the URL standard serializes differently, or refuses: browsers
// could never send them as written
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = [
    "http://1",
    "http://127.1",
    "http://1.2.3.4.5",
    "http://foo.bar.255",
    "http://[0:0:0:0:0:0:0:1]",
    "http://[::ffff:1.2.3.4]",
    "http://xn--f",
    "file://host",
    "http://example.com.:3999",
])]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
