// doc comments and other attributes survive; the generated struct is documented
#![deny(missing_docs)]
//! A documented crate.

use actix_web::{get, App};
use cors_actix::cors;

/// Lists the orders.
///
/// The doc comment lands on the generated service struct.
#[cors(origins = "https://app.example.com")]
#[get("/orders")]
#[allow(clippy::unused_async, unused_variables)]
#[inline]
pub async fn orders() -> &'static str {
    let unused = 1;
    "orders"
}

/// Attributes above the route attribute are kept too.
#[cors(origins = "https://app.example.com")]
#[allow(unused_mut)]
#[get("/items")]
pub async fn items() -> String {
    let mut s = String::from("items");
    s.push('!');
    s
}

fn main() {
    let _ = App::new().service(orders).service(items);
}
