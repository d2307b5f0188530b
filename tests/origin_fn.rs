//! `origin_fn`: a request-aware origin predicate, in `#[cors]` (a function
//! path), on the builder (`cors_actix::origin_fn`) under the global `Cors`,
//! and in the origin guard. Checked on a real server on 127.0.0.1 with
//! raw requests, counting every question the predicate is asked and every
//! run of a handler.

#[macro_use]
#[path = "support/server.rs"]
mod server;

use actix_web::dev::RequestHead;
use actix_web::{get, post, web, App, HttpResponse};
use cors_actix::{cors, cors_policy, origin_fn, Cors, CorsPolicy, OriginGuard, RequestOrigin};
use server::{header, send, Server};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

static ASKED: AtomicUsize = AtomicUsize::new(0);
static ORDERS_RAN: AtomicUsize = AtomicUsize::new(0);

/// A tenant's page may call the API for its own tenant only: the origin
/// `https://<tenant>.tenants.example` and the path `/t/<tenant>/…`.
fn own_tenant(origin: &RequestOrigin<'_>, head: &RequestHead) -> bool {
    ASKED.fetch_add(1, Ordering::SeqCst);
    let Some(tenant) = origin.host().strip_suffix(".tenants.example") else { return false };
    origin.scheme() == "https" && head.uri.path().strip_prefix("/t/").and_then(|p| p.split('/').next()) == Some(tenant)
}

#[cors(origin_fn = own_tenant, credentials = true, reject = true, methods = [POST], allow_headers = ["content-type"])]
#[post("/t/{tenant}/orders")]
async fn orders() -> HttpResponse {
    ORDERS_RAN.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Created().finish()
}

#[get("/status")]
async fn status() -> &'static str {
    "ok"
}

fn acao(headers: &[(String, String)]) -> Option<&str> {
    header(headers, "access-control-allow-origin")
}

#[test]
fn a_route_predicate_sees_the_request_and_is_asked_every_time() {
    let server = serve!(|| App::new()
        .wrap(Cors::new(cors_policy!(origins = ["https://app.example"], methods = [GET])))
        .service(orders)
        .service(status));
    let acme = "https://acme.tenants.example";
    let preflight = [
        ("origin", acme),
        ("access-control-request-method", "POST"),
        ("access-control-request-headers", "content-type"),
    ];
    // its own tenant: the preflight and the request are allowed, mirrored
    // with credentials, and vary on Origin
    let (code, h) = send(server.addr, "OPTIONS", "/t/acme/orders", &preflight);
    assert_eq!((code, acao(&h)), (204, Some(acme)));
    assert_eq!(header(&h, "access-control-allow-credentials"), Some("true"));
    let (code, h) = send(server.addr, "POST", "/t/acme/orders", &[("origin", acme)]);
    assert_eq!((code, acao(&h)), (201, Some(acme)));
    assert!(header(&h, "vary").is_some_and(|v| v.contains("origin") || v.contains("Origin")), "{h:?}");
    // another tenant's path: refused before the handler (reject = true)
    let before = ORDERS_RAN.load(Ordering::SeqCst);
    let (code, _) = send(server.addr, "OPTIONS", "/t/globex/orders", &preflight);
    assert_eq!(code, 403);
    let (code, h) = send(server.addr, "POST", "/t/globex/orders", &[("origin", acme)]);
    assert_eq!((code, acao(&h)), (403, None));
    assert_eq!(ORDERS_RAN.load(Ordering::SeqCst), before, "a refused request never ran the handler");
    // never cached: asking again asks again
    let asked = ASKED.load(Ordering::SeqCst);
    for _ in 0..3 {
        let (code, _) = send(server.addr, "POST", "/t/acme/orders", &[("origin", acme)]);
        assert_eq!(code, 201);
    }
    assert_eq!(ASKED.load(Ordering::SeqCst), asked + 3);
    // `null` and a plain-http tenant (credentials) never reach the predicate
    let asked = ASKED.load(Ordering::SeqCst);
    for origin in ["null", "http://acme.tenants.example"] {
        let (code, _) = send(server.addr, "POST", "/t/acme/orders", &[("origin", origin)]);
        assert_eq!(code, 403, "{origin}");
    }
    assert_eq!(ASKED.load(Ordering::SeqCst), asked);
    // the route inherits the global origins too: either may allow
    let (code, h) = send(server.addr, "POST", "/t/acme/orders", &[("origin", "https://app.example")]);
    assert_eq!((code, acao(&h)), (201, Some("https://app.example")));
    // routes without a policy of their own keep the global one
    let (_, h) = send(server.addr, "GET", "/status", &[("origin", acme)]);
    assert_eq!(acao(&h), None);
}

#[test]
fn a_global_predicate_built_at_run_time_applies_to_every_route() {
    let allowed = Arc::new(std::sync::RwLock::new(vec!["https://one.example".to_owned()]));
    let list = allowed.clone();
    let predicate = origin_fn("admin-managed origins", move |origin, head| {
        head.method != actix_web::http::Method::DELETE && list.read().unwrap().iter().any(|o| o == origin.as_str())
    });
    let policy = CorsPolicy::builder().origins(["https://app.example"]).origin_fn(predicate).build().unwrap();
    assert_eq!(policy.to_string(), "origins = [\"https://app.example\"], origin_fn = admin-managed origins, methods = [\"GET\", \"HEAD\", \"POST\"]");
    let server = serve!(move || App::new().wrap(Cors::new(policy.clone())).service(status));
    let (_, h) = send(server.addr, "GET", "/status", &[("origin", "https://two.example")]);
    assert_eq!(acao(&h), None);
    allowed.write().unwrap().push("https://two.example".to_owned());
    // the next request sees the new answer: nothing is cached
    let (_, h) = send(server.addr, "GET", "/status", &[("origin", "https://two.example")]);
    assert_eq!(acao(&h), Some("https://two.example"));
    let (_, h) = send(server.addr, "GET", "/status", &[("origin", "https://one.example")]);
    assert_eq!(acao(&h), Some("https://one.example"));
    // a preflight is decided with the preflight's own request
    let preflight = [("origin", "https://two.example"), ("access-control-request-method", "GET")];
    let (code, h) = send(server.addr, "OPTIONS", "/status", &preflight);
    assert_eq!((code, acao(&h)), (204, Some("https://two.example")));
}

#[test]
fn a_predicate_next_to_any_origin_is_refused_with_its_reason() {
    let err = CorsPolicy::builder().origins(["*"]).origin_fn(origin_fn("f", |_, _| true)).build().unwrap_err();
    assert!(err.to_string().contains("`origin_fn` is never asked"), "{err}");
}

#[actix_web::test]
async fn the_origin_guard_asks_the_predicate_with_the_request() {
    let policy = CorsPolicy::builder()
        .origins(["https://app.example"])
        .origin_fn(origin_fn("ws tenants", |origin, head| {
            head.uri.path() == "/ws" && origin.host().ends_with(".tenants.example")
        }))
        .build()
        .unwrap();
    let app = actix_web::test::init_service(
        App::new().service(
            web::resource("/ws")
                .wrap(OriginGuard::new(policy))
                .route(web::get().to(|| async { HttpResponse::Ok().finish() })),
        ),
    )
    .await;
    for (origin, expected) in
        [("https://a.tenants.example", 200), ("https://app.example", 200), ("https://evil.example", 403)]
    {
        let req = actix_web::test::TestRequest::get().uri("/ws").insert_header(("origin", origin)).to_request();
        let res = actix_web::test::call_service(&app, req).await;
        assert_eq!(res.status().as_u16(), expected, "{origin}");
    }
}
