// wildcards under the private section of the Public Suffix List: anyone
// can register a name under these
use actix_web::{get, App};
use cors_actix::cors;

#[cors(origins = [
    "https://*.s3.amazonaws.com",
    "https://*.myshopify.com",
    "https://*.vercel.app",
    "https://*.pages.dev",
    "https://*.github.io",
    "https://*.herokuapp.com",
    "https://*.r2.dev",
    "https://*.duckdns.org",
    "https://*.azurestaticapps.net",
    "https://*.eu.org",
    "https://*.shop.myshopify.com",
], credentials = true)]
#[get("/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let _ = App::new().service(orders);
}
