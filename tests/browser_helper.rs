//! `cors_actix::test::Browser`: whole browser exchanges against an app
//! in-process, judged by the Fetch standard's rules.

use actix_web::http::Method;
use actix_web::{test, web, App, HttpResponse};
use cors_actix::test::Browser;
use cors_actix::test::Step;
use cors_actix::{Cors, CorsPolicy, CorsResource};

const APP: &str = "https://app.example";

async fn ok() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-request-id", "42")).insert_header(("x-secret", "s")).body("hello")
}

macro_rules! app {
    () => {{
        let global = CorsPolicy::builder()
            .origins([APP])
            .methods(["GET", "POST", "PUT", "patch"])
            .allow_headers(["content-type", "x-request-id"])
            .expose_headers(["x-request-id"])
            .credentials(true)
            .build()
            .unwrap();
        let public = CorsPolicy::builder()
            .origins(["*"])
            .credentials(false)
            .methods(["*"])
            .allow_headers(["*"])
            .build_spec()
            .unwrap();
        test::init_service(
            App::new()
                .wrap(Cors::new(global))
                .route("/items", web::get().to(ok))
                .route("/items", web::put().to(ok))
                .route("/items", web::method(Method::from_bytes(b"patch").unwrap()).to(ok))
                .route("/items", web::method(Method::PATCH).to(ok))
                .route("/boom", web::get().to(|| async { HttpResponse::InternalServerError().body("boom") }))
                .service(CorsResource::new("/public", public).get(ok).put(ok)),
        )
        .await
    }};
}

#[actix_web::test]
async fn simple_get_is_not_preflighted_and_reads_exposed_headers_only() {
    let app = app!();
    let v = Browser::new(APP).fetch(Method::GET, "/items").send(&app).await;
    assert!(v.is_allowed(), "{v}");
    assert!(!v.preflighted());
    assert_eq!(v.status(), Some(200));
    assert_eq!(v.readable_header("x-request-id"), Some("42"));
    assert_eq!(v.readable_header("x-secret"), None, "not exposed");
    assert_eq!(v.body(), Some(&b"hello"[..]));
}

#[actix_web::test]
async fn json_put_with_credentials_is_preflighted_and_allowed() {
    let app = app!();
    let v = Browser::new(APP)
        .fetch(Method::PUT, "/items")
        .header("content-type", "application/json")
        .credentials(true)
        .send(&app)
        .await;
    assert!(v.is_allowed(), "{v}");
    assert!(v.preflighted());
}

#[actix_web::test]
async fn disallowed_origin_is_blocked_by_the_cors_check() {
    let app = app!();
    let v = Browser::new("https://evil.example").fetch(Method::GET, "/items").send(&app).await;
    assert!(!v.is_allowed());
    assert_eq!(v.blocked().unwrap().step, Step::CorsCheck, "{v}");
    assert_eq!(v.readable_header("x-request-id"), None);
}

#[actix_web::test]
async fn unlisted_header_blocks_at_the_preflight() {
    let app = app!();
    let v = Browser::new(APP).fetch(Method::PUT, "/items").header("x-other", "1").send(&app).await;
    assert!(!v.is_allowed());
    assert!(v.preflighted());
    assert!(!v.actual_sent(), "the actual request is never sent");
}

#[actix_web::test]
async fn lower_case_patch_differs_from_upper_case() {
    let app = app!();
    let v = Browser::new(APP).fetch("patch", "/items").send(&app).await;
    assert!(v.is_allowed(), "{v}");
    let v = Browser::new(APP).fetch("PATCH", "/items").send(&app).await;
    assert!(!v.is_allowed(), "PATCH is not listed, only `patch`: {v}");
}

#[actix_web::test]
async fn error_responses_are_readable_when_allowed() {
    let app = app!();
    let v = Browser::new(APP).fetch(Method::GET, "/boom").send(&app).await;
    assert!(v.is_allowed(), "{v}");
    assert_eq!(v.status(), Some(500));
}

#[actix_web::test]
async fn star_never_covers_authorization() {
    let app = app!();
    let v = Browser::new(APP).fetch(Method::PUT, "/public").header("x-anything", "1").send(&app).await;
    assert!(v.is_allowed(), "{v}");
    let v = Browser::new(APP).fetch(Method::PUT, "/public").header("authorization", "Bearer x").send(&app).await;
    assert!(!v.is_allowed(), "{v}");
}

#[actix_web::test]
async fn credentials_against_a_star_origin_are_blocked() {
    let app = app!();
    let v = Browser::new(APP).fetch(Method::GET, "/public").credentials(true).send(&app).await;
    assert!(!v.is_allowed(), "ACAO * with credentials must fail: {v}");
    let v = Browser::new(APP).fetch(Method::GET, "/public").send(&app).await;
    assert!(v.is_allowed(), "{v}");
}

#[actix_web::test]
async fn private_network_preflight_needs_the_opt_in() {
    let app = app!();
    let v = Browser::new(APP).fetch(Method::GET, "/items").private_network(true).send(&app).await;
    assert!(!v.is_allowed());
    assert!(v.preflighted());
    let pna = CorsPolicy::builder().origins([APP]).private_network(true).build().unwrap();
    let app = test::init_service(App::new().wrap(Cors::new(pna)).route("/dev", web::get().to(ok))).await;
    let v = Browser::new(APP).fetch(Method::GET, "/dev").private_network(true).send(&app).await;
    assert!(v.is_allowed(), "{v}");
}

#[actix_web::test]
async fn display_explains_each_step() {
    let app = app!();
    let v = Browser::new(APP).fetch(Method::PUT, "/items").header("x-other", "1").send(&app).await;
    let text = v.to_string();
    assert!(text.contains("preflight"), "{text}");
    assert!(text.contains("x-other"), "{text}");
    assert!(text.contains("verdict"), "{text}");
}
