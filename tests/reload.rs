//! `Cors::reloadable`: the global policy replaced while the app runs —
//! in-process, and on a real two-worker server under concurrent load where
//! every response must be the answer of exactly one policy.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{get, test, web, App, HttpResponse, Responder};
use cors_actix::{cors, Cors, CorsPolicy};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};

#[macro_use]
#[path = "support/server.rs"]
mod server;
use server::{header as find, send, Server};

const A: &str = "https://a.example";
const B: &str = "https://b.example";

fn policy(origins: &[&str], expose: &str) -> CorsPolicy {
    CorsPolicy::builder().origins(origins).expose_headers([expose]).methods(["GET", "PUT"]).build().unwrap()
}

/// A route with its own origins that inherits everything else (here
/// `expose_headers` and `credentials`) from the global policy.
#[cors(origins = ["https://route.example"])]
#[get("/own")]
async fn own() -> impl Responder {
    "own"
}

fn get(path: &str, origin: &str) -> actix_http::Request {
    test::TestRequest::get().uri(path).insert_header((header::ORIGIN, origin)).to_request()
}

fn h<B>(res: &actix_web::dev::ServiceResponse<B>, name: &str) -> Option<String> {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_owned())
}

#[actix_web::test]
async fn a_replaced_policy_applies_to_the_next_request_and_routes_inherit_it_at_once() {
    let (cors, handle) = Cors::reloadable(policy(&[A], "x-one"));
    let app = App::new().wrap(cors).service(own).route("/g", web::get().to(HttpResponse::Ok));
    let app = test::init_service(app).await;

    let res = test::call_service(&app, get("/g", B)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), None);
    let res = test::call_service(&app, get("/own", "https://route.example")).await;
    assert_eq!(h(&res, "access-control-expose-headers").as_deref(), Some("x-one"));

    handle.replace(policy(&[A, B], "x-two")).unwrap();
    assert!(handle.policy().allows_origin(B.as_bytes()));
    let res = test::call_service(&app, get("/g", B)).await;
    assert_eq!(h(&res, "access-control-allow-origin").as_deref(), Some(B));
    assert_eq!(h(&res, "access-control-expose-headers").as_deref(), Some("x-two"));
    let res = test::call_service(&app, get("/own", "https://route.example")).await;
    assert_eq!(h(&res, "access-control-expose-headers").as_deref(), Some("x-two"), "inherited at once");

    // Preflights, answered before routing, use the new policy too.
    let req = test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/g")
        .insert_header((header::ORIGIN, B))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "PUT"))
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status(), StatusCode::NO_CONTENT);
}

#[actix_web::test]
async fn a_policy_that_would_make_a_route_invalid_changes_nothing() {
    #[cors(origins = ["https://route.example"], credentials)]
    #[get("/credentialed")]
    async fn credentialed() -> impl Responder {
        "c"
    }
    let (cors, handle) = Cors::reloadable(policy(&[A], "x-one"));
    let app = test::init_service(App::new().wrap(cors).service(credentialed)).await;

    // `*` in expose_headers is refused under the route's credentials.
    let star = CorsPolicy::builder().origins(["*"]).expose_headers(["*"]).build().unwrap();
    let err = handle.replace(star).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("/credentialed") && text.contains("credentialed"), "{text}");
    assert_eq!(err.routes.len(), 1, "{text}");

    assert!(!handle.policy().allows_origin(B.as_bytes()), "the old policy stays");
    let res = test::call_service(&app, get("/credentialed", "https://route.example")).await;
    assert_eq!(h(&res, "access-control-expose-headers").as_deref(), Some("x-one"));
    assert_eq!(h(&res, "access-control-allow-credentials").as_deref(), Some("true"));
}

static SERVED: AtomicUsize = AtomicUsize::new(0);

/// Each response under load is checked against both policies: from `A`,
/// ACAO is `A` and ACEH is the one of the policy that answered; from `B`,
/// either nothing (policy one) or ACAO `B` with policy two's ACEH. Any
/// mix of the two — `B` allowed with policy one's header, say — fails.
fn consistent(origin: &str, status: u16, headers: &[(String, String)]) -> Result<(), String> {
    let acao = find(headers, "access-control-allow-origin");
    let aceh = find(headers, "access-control-expose-headers");
    let ok = status == 200
        && matches!(
            (origin, acao, aceh),
            (A, Some(A), Some("x-one" | "x-two")) | (B, None, None) | (B, Some(B), Some("x-two"))
        );
    if ok {
        Ok(())
    } else {
        Err(format!("origin {origin}: status {status}, ACAO {acao:?}, ACEH {aceh:?}"))
    }
}

// The standard test attribute: `test` here is actix-web's test module.
#[::core::prelude::v1::test]
fn a_server_under_load_answers_every_request_with_exactly_one_policy() {
    let one = policy(&[A], "x-one");
    let two = policy(&[A, B], "x-two");
    let (cors, handle) = Cors::reloadable(one.clone());
    let server: Server = serve!(move || {
        App::new().wrap(cors.clone()).route(
            "/",
            web::get().to(|| async {
                SERVED.fetch_add(1, Ordering::Relaxed);
                HttpResponse::Ok().finish()
            }),
        )
    });
    let addr: SocketAddr = server.addr;
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let origin = if i % 2 == 0 { A } else { B };
                let mut seen = (0usize, 0usize, Vec::new());
                while !stop.load(Ordering::Relaxed) {
                    let (status, headers) = send(addr, "GET", "/", &[("origin", origin)]);
                    seen.0 += 1;
                    if find(&headers, "access-control-expose-headers") == Some("x-two") {
                        seen.1 += 1;
                    }
                    if let Err(e) = consistent(origin, status, &headers) {
                        seen.2.push(e);
                    }
                }
                seen
            })
        })
        .collect();

    // Swap back and forth while the clients run, keeping a weak reference
    // to every policy that was replaced.
    let mut replaced: Vec<Weak<CorsPolicy>> = Vec::new();
    for round in 0..200 {
        replaced.push(Arc::downgrade(&handle.policy()));
        let next = if round % 2 == 0 { two.clone() } else { one.clone() };
        handle.replace(next).expect("valid policy");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    stop.store(true, Ordering::Relaxed);
    let (mut total, mut by_two) = (0, 0);
    for client in clients {
        let (count, two, errors) = client.join().expect("client thread");
        total += count;
        by_two += two;
        assert!(
            errors.is_empty(),
            "{} inconsistent responses, e.g. {:?}",
            errors.len(),
            &errors[..errors.len().min(3)]
        );
    }
    assert!(total >= 200, "too few requests ran during the swaps: {total}");
    assert!(by_two > 0 && by_two < total, "both policies answered: {by_two} of {total} by the second");
    eprintln!("{total} requests during 200 swaps, {by_two} answered by the second policy");
    assert_eq!(SERVED.load(Ordering::Relaxed), total, "every request reached the handler once");

    // Nothing keeps old policies alive: after one more request per worker
    // (each worker drops its old policies when it picks up a new one),
    // only the current policy remains.
    handle.replace(one.clone()).unwrap();
    for _ in 0..20 {
        send(addr, "GET", "/", &[("origin", A)]);
    }
    let alive = replaced.iter().filter(|w| w.strong_count() > 0).count();
    assert_eq!(alive, 0, "{alive} replaced policies are still referenced");
    drop(server);
}
