//! `OriginGuard`: the policy's origin matching on routes browsers reach
//! without a CORS check. In-process, and a real WebSocket handshake on
//! 127.0.0.1 (`examples/websocket.rs`).

#[allow(dead_code)]
#[path = "../examples/websocket.rs"]
mod websocket;

#[macro_use]
#[path = "support/server.rs"]
mod server;

use actix_web::http::StatusCode;
use actix_web::{test, web, App, HttpResponse};
use cors_actix::{AllowedOrigin, Cors, CorsPolicy, OriginGuard};
use server::{send, Server};
use std::sync::atomic::{AtomicUsize, Ordering};

static RAN: AtomicUsize = AtomicUsize::new(0);

async fn form_post(origin: AllowedOrigin) -> HttpResponse {
    RAN.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().body(origin.0)
}

fn policy(origins: &[&str]) -> CorsPolicy {
    CorsPolicy::builder().origins(origins).build().unwrap()
}

#[actix_web::test]
async fn only_allowed_origins_reach_the_handler() {
    let guard = OriginGuard::new(policy(&["https://app.example", "https://*.example.com"]));
    let app = App::new().service(web::resource("/post").wrap(guard).route(web::post().to(form_post)));
    let app = test::init_service(app).await;
    let post = |headers: &[(&str, &str)]| {
        let mut req = test::TestRequest::post().uri("/post");
        for h in headers {
            req = req.append_header(*h);
        }
        req.to_request()
    };
    let refused: &[&[(&str, &str)]] = &[
        &[],
        &[("origin", "https://evil.example")],
        &[("origin", "https://evilexample.com")],
        &[("origin", "https://example.com.evil.io")],
        &[("origin", "null")],
        &[("origin", "https://app.example"), ("origin", "https://evil.example")],
        &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
    ];
    for headers in refused {
        let res = test::call_service(&app, post(headers)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{headers:?}");
    }
    assert_eq!(RAN.load(Ordering::SeqCst), 0, "no refused request ran the handler");

    for (headers, origin) in [
        (&[("origin", "https://app.example")][..], "https://app.example"),
        (&[("origin", "https://a.b.example.com")][..], "https://a.b.example.com"),
        // The site's own page: browsers say so, and scripts cannot.
        (&[("origin", "https://own.site"), ("sec-fetch-site", "same-origin")][..], "https://own.site"),
    ] {
        let res = test::call_service(&app, post(headers)).await;
        assert_eq!(res.status(), StatusCode::OK, "{headers:?}");
        assert_eq!(test::read_body(res).await, origin.as_bytes());
    }
}

#[actix_web::test]
async fn a_reloadable_guard_follows_the_handle() {
    let (cors, handle) = Cors::reloadable(policy(&["https://a.example"]));
    let guard = OriginGuard::reloadable(&handle);
    let app = App::new().wrap(cors).service(web::resource("/ws").wrap(guard).route(web::get().to(HttpResponse::Ok)));
    let app = test::init_service(app).await;
    let from = |o: &str| test::TestRequest::get().uri("/ws").insert_header(("origin", o)).to_request();
    assert_eq!(test::call_service(&app, from("https://b.example")).await.status(), StatusCode::FORBIDDEN);
    handle.replace(policy(&["https://a.example", "https://b.example"])).unwrap();
    assert_eq!(test::call_service(&app, from("https://b.example")).await.status(), StatusCode::OK);
}

#[actix_web::test]
async fn the_extractor_without_a_guard_refuses_to_trust_anything() {
    let app = test::init_service(App::new().route("/open", web::post().to(form_post))).await;
    let req = test::TestRequest::post().uri("/open").insert_header(("origin", "https://evil.example")).to_request();
    assert_eq!(test::call_service(&app, req).await.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

// The standard test attribute: `test` here is actix-web's test module.
#[::core::prelude::v1::test]
fn a_cross_site_websocket_handshake_is_refused_before_the_upgrade() {
    let server: Server = serve!(websocket::app);
    let handshake = |origin: &str| {
        send(
            server.addr,
            "GET",
            "/ws",
            &[
                ("origin", origin),
                ("connection", "upgrade"),
                ("upgrade", "websocket"),
                ("sec-websocket-version", "13"),
                ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ],
        )
    };
    let (status, headers) = handshake("https://evil.example");
    assert_eq!(status, 403, "{headers:?}");
    let (status, headers) = handshake("https://chat.app.example");
    assert_eq!(status, 101, "{headers:?}");
    assert_eq!(server::header(&headers, "sec-websocket-accept"), Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    drop(server);
}
