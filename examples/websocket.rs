//! A WebSocket endpoint that only the app's own origins may open.
//!
//! Browsers do not apply CORS to WebSocket handshakes: any page can open
//! `new WebSocket("wss://your.api/ws")`, and the handshake carries the
//! user's cookies. `OriginGuard` answers 403 to a handshake whose `Origin`
//! the policy does not allow, before the upgrade.
//!
//! ```text
//! cargo run --example websocket
//! curl -i -H 'origin: https://evil.example' -H 'connection: upgrade' -H 'upgrade: websocket' \
//!      -H 'sec-websocket-version: 13' -H 'sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==' http://127.0.0.1:8084/ws
//! ```
//!
//! The upgrade here is actix-http's plain handshake (the server answers
//! `101 Switching Protocols`); a real app would hand the connection to a
//! WebSocket library such as `actix-ws` in the same handler.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use cors_actix::{cors_policy, AllowedOrigin, Cors, OriginGuard};

/// The handshake: 101 for a valid WebSocket upgrade, 400 otherwise.
pub async fn handshake(req: HttpRequest, origin: AllowedOrigin) -> HttpResponse {
    match actix_http::ws::handshake(req.head()) {
        Ok(mut upgrade) => {
            log::info!("WebSocket opened from {}", origin.0);
            HttpResponse::from(upgrade.finish().map_into_boxed_body())
        }
        Err(e) => HttpResponse::BadRequest().body(e.to_string()),
    }
}

/// The app: one policy for CORS and for the WebSocket's origin check.
pub fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let policy = cors_policy!(origins = ["https://app.example", "https://*.app.example"], credentials);
    App::new()
        .wrap(Cors::new(policy.clone()))
        .service(web::resource("/ws").wrap(OriginGuard::new(policy)).route(web::get().to(handshake)))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // `RUST_LOG=cors_actix=debug` shows every refused handshake.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let addr = std::env::var("WEBSOCKET_ADDR").unwrap_or_else(|_| "127.0.0.1:8084".to_owned());
    println!("WebSocket endpoint on ws://{addr}/ws  (Ctrl-C to stop)");
    HttpServer::new(app).bind(addr)?.run().await
}
