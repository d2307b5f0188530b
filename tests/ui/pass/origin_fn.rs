// origin_fn in `#[cors]` and `cors_policy!`, by a plain name and by a path,
// with and without static origins
use actix_web::dev::RequestHead;
use actix_web::{get, App};
use cors_actix::{cors, cors_policy, Cors, RequestOrigin};

mod tenants {
    use super::*;

    pub fn allowed(origin: &RequestOrigin<'_>, head: &RequestHead) -> bool {
        origin.host().ends_with(".tenants.example") && head.uri.path().starts_with("/t/")
    }
}

fn previews(origin: &RequestOrigin<'_>, _: &RequestHead) -> bool {
    origin.host().ends_with(".preview.example")
}

#[cors(origin_fn = tenants::allowed, credentials = true)]
#[get("/t/orders")]
async fn orders() -> &'static str {
    "ok"
}

fn main() {
    let global = cors_policy!(origins = ["https://app.example.com"], origin_fn = previews);
    assert_eq!(global.spec().origin_fn.as_ref().map(|f| f.name()), Some("previews"));
    let _ = App::new().wrap(Cors::new(global)).service(orders);
}
