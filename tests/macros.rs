//! `#[cors]` and `cors_policy!` in an example app, through `actix_web::test`:
//! per-route preflights and actual responses, a scope, two methods
//! on one path with different policies, `off` under a global policy,
//! `reject`, and the route list.

use actix_web::http::{header, Method, StatusCode};
use actix_web::{test, web, App};
use cors_actix::{cors_policy, Cors, CorsPolicy};
use std::sync::atomic::Ordering;

#[macro_use]
#[path = "support/http.rs"]
mod http;
use http::{
    access_control_headers, assert_preflights_refused, call_expecting, h, preflight, request, vary_names, APP, EVIL,
};

const PARTNER: &str = "https://shop.partner.example";
const OTHER: &str = "https://other.example";

/// The handlers, in their own module like in a real app: `use` imports,
/// private helpers and `super::` paths must keep working inside them.
mod api {
    use actix_web::{delete, get, post, route, web, HttpResponse, Responder};
    use cors_actix::cors;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// How many times a handler ran.
    #[derive(Default)]
    pub struct Runs(pub AtomicUsize);

    #[derive(serde::Deserialize)]
    pub struct Order {
        pub item: String,
    }

    fn request_id() -> (&'static str, &'static str) {
        ("x-request-id", "42")
    }

    /// Lists the orders; readable from the app and any partner subdomain.
    #[cors(
        origins = ["https://app.example", "https://*.partner.example"],
        expose_headers = ["x-request-id"],
        max_age = 600,
    )]
    #[get("/orders")]
    pub async fn list_orders() -> impl Responder {
        HttpResponse::Ok().insert_header(request_id()).body("orders")
    }

    /// Same path, another method, a stricter policy: credentials, app only.
    #[cors(origins = "https://app.example", credentials, allow_headers = ["content-type", "x-request-id"])]
    #[post("/orders")]
    #[allow(clippy::unused_async)]
    pub async fn create_order(order: web::Json<Order>, runs: web::Data<Runs>) -> impl Responder {
        runs.0.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Created().body(format!("created {}", order.item))
    }

    /// Refuses disallowed origins before the handler runs.
    #[cors(origins = ["https://app.example"], reject)]
    #[delete("/orders/{id}")]
    pub async fn delete_order(id: web::Path<u32>, runs: web::Data<Runs>) -> impl Responder {
        runs.0.fetch_add(1, Ordering::SeqCst);
        format!("deleted {id}")
    }

    /// Two methods, one attribute; answers Private Network Access preflights.
    #[cors(origins = ["https://app.example"], private_network, allow_headers = ["content-type"])]
    #[route("/items/{id}", method = "PUT", method = "PATCH")]
    pub async fn update_item(id: web::Path<u32>) -> impl Responder {
        format!("updated {id}")
    }

    /// Public, mounted under `/api`.
    #[cors(origins = "*", methods = "*")]
    #[actix_web::get("/status")]
    pub async fn status() -> &'static str {
        "up"
    }

    /// Never gets CORS headers, whatever the global policy says.
    #[cors(off)]
    #[get("/internal/metrics")]
    pub async fn metrics() -> &'static str {
        "requests 1"
    }

    /// No attribute: the global policy applies.
    #[get("/health")]
    pub async fn health() -> &'static str {
        super::HEALTHY
    }
}

const HEALTHY: &str = "ok";

fn global() -> CorsPolicy {
    cors_policy!(origins = ["https://app.example", "https://other.example"], methods = [GET, HEAD], max_age = 60)
}

/// The example app under the global policy, with the `Runs` its
/// handlers count in: `let (runs, app) = app!();`.
macro_rules! app {
    () => {{
        let runs = web::Data::new(api::Runs::default());
        let app = test::init_service(
            App::new()
                .wrap(Cors::new(global()))
                .app_data(runs.clone())
                .service(api::list_orders)
                .service(api::create_order)
                .service(api::delete_order)
                .service(api::update_item)
                .service(web::scope("/api").service(api::status))
                .service(api::metrics)
                .service(api::health),
        )
        .await;
        (runs, app)
    }};
}

#[actix_web::test]
async fn preflight_is_answered_by_the_policy_of_the_requested_method() {
    let (runs, app) = app!();

    // GET /orders: app and partners, max_age 600, no credentials.
    let res = call_expecting(&app, preflight("/orders", PARTNER, "GET"), StatusCode::NO_CONTENT).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    assert_eq!(h(&res, "access-control-allow-credentials"), None);
    assert_eq!(h(&res, "access-control-max-age"), Some("600"));
    assert_eq!(h(&res, "access-control-allow-methods"), None, "GET is safelisted");

    // POST /orders: app only, with credentials and its request headers.
    let req = preflight("/orders", APP, "POST").insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"));
    let res = call_expecting(&app, req, StatusCode::NO_CONTENT).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    assert_eq!(h(&res, "access-control-allow-methods"), None, "POST is safelisted");
    assert!(h(&res, "access-control-allow-headers").unwrap().contains("content-type"));
    assert_eq!(h(&res, "access-control-max-age"), Some("60"), "inherited from the global policy");
    assert!(vary_names(&res).contains(&"origin".to_owned()));
    assert!(test::read_body(res).await.is_empty());
    assert_eq!(runs.0.load(Ordering::SeqCst), 0, "a preflight never runs the handler");

    // A partner may GET /orders but not POST to it.
    let res = call_expecting(&app, preflight("/orders", PARTNER, "POST"), StatusCode::FORBIDDEN).await;
    assert!(access_control_headers(&res).is_empty());
}

#[actix_web::test]
async fn preflight_refusals_are_403() {
    let (_, app) = app!();
    let acrh = header::ACCESS_CONTROL_REQUEST_HEADERS;
    let cases = [
        ("origin in no policy", preflight("/orders", EVIL, "GET")),
        ("global origin, not the route's", preflight("/orders", OTHER, "GET")),
        ("header not allowed", preflight("/orders", APP, "POST").insert_header((acrh.clone(), "x-other"))),
        ("authorization not listed", preflight("/items/1", APP, "PUT").insert_header((acrh, "authorization"))),
    ];
    assert_preflights_refused(&app, cases).await;
}

#[actix_web::test]
async fn route_with_several_methods_and_private_network() {
    let (_, app) = app!();
    for method in ["PUT", "PATCH"] {
        let req = preflight("/items/7", APP, method)
            .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"))
            .insert_header(("access-control-request-private-network", "true"));
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{method}");
        assert_eq!(h(&res, "access-control-allow-private-network"), Some("true"));
        assert_eq!(h(&res, "access-control-allow-methods"), Some("PUT, PATCH"));
        assert!(vary_names(&res).contains(&"access-control-request-private-network".to_owned()));
    }
    let res = call_expecting(&app, request(Method::PATCH, "/items/7", Some(APP)), StatusCode::OK).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!(test::read_body(res).await, "updated 7");
}

#[actix_web::test]
async fn actual_requests_are_decorated_per_route() {
    let (runs, app) = app!();

    let res = call_expecting(&app, request(Method::GET, "/orders", Some(PARTNER)), StatusCode::OK).await;
    assert_eq!(res.headers().get_all("access-control-allow-origin").count(), 1);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    assert_eq!(h(&res, "access-control-expose-headers"), Some("x-request-id"));
    assert_eq!(h(&res, "access-control-allow-credentials"), None);
    assert_eq!(vary_names(&res), ["origin"]);

    let req = request(Method::POST, "/orders", Some(APP)).set_json(serde_json::json!({ "item": "tea" }));
    let res = call_expecting(&app, req, StatusCode::CREATED).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    assert_eq!(test::read_body(res).await, "created tea");

    // Extractor errors carry the route's headers too.
    let req = request(Method::POST, "/orders", Some(APP)).insert_header((header::CONTENT_TYPE, "application/json"));
    let res = call_expecting(&app, req.set_payload("not json"), StatusCode::BAD_REQUEST).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));

    // Disallowed origin: the handler runs, the response has no CORS headers.
    let req = request(Method::POST, "/orders", Some(PARTNER)).set_json(serde_json::json!({ "item": "tea" }));
    let res = call_expecting(&app, req, StatusCode::CREATED).await;
    assert!(access_control_headers(&res).is_empty());
    assert_eq!(vary_names(&res), ["origin"]);
    assert_eq!(runs.0.load(Ordering::SeqCst), 2);
}

#[actix_web::test]
async fn reject_answers_403_without_running_the_handler() {
    let (runs, app) = app!();
    let res = call_expecting(&app, request(Method::DELETE, "/orders/3", Some(EVIL)), StatusCode::FORBIDDEN).await;
    assert!(access_control_headers(&res).is_empty());
    assert_eq!(runs.0.load(Ordering::SeqCst), 0);

    let res = call_expecting(&app, request(Method::DELETE, "/orders/3", Some(APP)), StatusCode::OK).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!(runs.0.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn route_in_a_scope_allows_any_origin() {
    let (_, app) = app!();
    let res = call_expecting(&app, preflight("/api/status", EVIL, "GET"), StatusCode::NO_CONTENT).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some("*"));

    let res = test::call_service(&app, request(Method::GET, "/api/status", Some(EVIL)).to_request()).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some("*"));
    assert!(!vary_names(&res).contains(&"origin".to_owned()));
    // `origins = "*"` without credentials: `*` on non-CORS responses too.
    let res = test::call_service(&app, request(Method::GET, "/api/status", None).to_request()).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some("*"));
    assert_eq!(test::read_body(res).await, "up");
}

#[actix_web::test]
async fn off_route_gets_no_cors_under_a_global_policy() {
    let (_, app) = app!();
    let res = call_expecting(&app, request(Method::GET, "/internal/metrics", Some(APP)), StatusCode::OK).await;
    assert!(access_control_headers(&res).is_empty());
    // The route without an attribute gets the global policy.
    let res = test::call_service(&app, request(Method::GET, "/health", Some(OTHER)).to_request()).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(OTHER));
    assert_eq!(test::read_body(res).await, "ok");
    let res = call_expecting(&app, preflight("/health", OTHER, "GET"), StatusCode::NO_CONTENT).await;
    assert_eq!(h(&res, "access-control-max-age"), Some("60"));
}

#[actix_web::test]
async fn a_cors_route_works_without_a_global_policy() {
    let app = test::init_service(App::new().service(api::list_orders)).await;
    let res = test::call_service(&app, request(Method::GET, "/orders", Some(APP)).to_request()).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    call_expecting(&app, preflight("/orders", APP, "GET"), StatusCode::NO_CONTENT).await;
}

#[actix_web::test]
async fn routes_are_listed_with_their_source() {
    let routes = cors_actix::routes(None);
    let find =
        |handler: &str| routes.iter().find(|r| r.route.handler == handler).unwrap_or_else(|| panic!("{handler}"));
    let create = find("create_order");
    assert_eq!((create.path.as_str(), create.route.methods.join("|")), ("/orders", "POST".into()));
    assert_eq!(create.route.spec.credentials, Some(true));
    assert_eq!(create.route.module_path, "macros::api");
    assert!(create.route.file.ends_with("macros.rs"));
    let update = find("update_item");
    assert_eq!((update.path.as_str(), update.route.methods.join("|")), ("/items/{id}", "PUT|PATCH".into()));
    assert_eq!(find("status").path, "/status");
    assert!(find("metrics").route.spec.off);
    assert_eq!(find("list_orders").route.spec.max_age, Some(600));
    assert!(routes.iter().all(|r| r.route.handler != "health"));
    // Every route sets its own origins (or is `off`), so each is valid
    // stand-alone as well as merged over the global policy.
    assert!(routes.iter().all(|r| r.effective.is_ok()), "{routes:#?}");
    assert!(Cors::new(global()).check_routes().is_ok());
}

#[actix_web::test]
async fn cors_policy_is_a_compiled_policy() {
    let policy = global();
    assert!(policy.allows_origin(APP.as_bytes()));
    assert!(!policy.allows_origin(EVIL.as_bytes()));
    assert_eq!(policy.spec().max_age, Some(60));
    assert_eq!(policy.allowed_methods().names.as_ref(), ["GET", "HEAD"]);
}
