// a bare name is a standard method: a typo is an error, not an extension method
use actix_web::{get, Responder};
use cors_actix::cors;

#[cors(origins = "*", methods = [GET, POTS, DELET, PURGE])]
#[get("/a")]
async fn a() -> impl Responder {
    ""
}

fn main() {}
