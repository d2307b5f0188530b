//! The global `Cors` middleware and per-route policies at the HTTP level
//! through `actix_web::test`.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{test, web, App, HttpResponse};
use cors_actix::{Cors, CorsPolicy, CorsResource};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const APP: &str = "https://app.example";
const EVIL: &str = "https://evil.example";

fn list_policy() -> CorsPolicy {
    CorsPolicy::builder()
        .origins([APP, "https://*.example.com"])
        .methods(["GET", "POST", "PUT"])
        .allow_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .credentials(true)
        .max_age(600)
        .build()
        .unwrap()
}

fn any_policy() -> CorsPolicy {
    CorsPolicy::builder().origins(["*"]).methods(["GET", "PUT"]).build().unwrap()
}

async fn ok() -> HttpResponse {
    HttpResponse::Ok().insert_header(("x-request-id", "42")).body("ok")
}

fn preflight(path: &str, origin: &str, method: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri(path)
        .insert_header((header::ORIGIN, origin))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method))
}

fn get(path: &str, origin: Option<&str>) -> test::TestRequest {
    let req = test::TestRequest::get().uri(path);
    match origin {
        Some(o) => req.insert_header((header::ORIGIN, o)),
        None => req,
    }
}

fn h<'a, B>(res: &'a ServiceResponse<B>, name: &str) -> Option<&'a str> {
    res.headers().get(name).map(|v| v.to_str().unwrap())
}

fn values<B>(res: &ServiceResponse<B>, name: &str) -> Vec<String> {
    res.headers().get_all(name).map(|v| v.to_str().unwrap().to_owned()).collect()
}

fn vary_names<B>(res: &ServiceResponse<B>) -> Vec<String> {
    values(res, "vary").iter().flat_map(|v| v.split(',').map(|s| s.trim().to_ascii_lowercase())).collect()
}

fn access_control_headers<B>(res: &ServiceResponse<B>) -> Vec<String> {
    res.headers().keys().map(|k| k.as_str().to_owned()).filter(|k| k.starts_with("access-control-")).collect()
}

macro_rules! global_app {
    ($policy:expr) => {
        test::init_service(
            App::new()
                .wrap(Cors::new($policy))
                .route("/items", web::get().to(ok))
                .route("/items", web::put().to(ok))
                .route("/fail", web::get().to(|| async { HttpResponse::InternalServerError().body("boom") })),
        )
        .await
    };
}

#[actix_web::test]
async fn non_cors_request_passes_through_with_vary_origin() {
    let app = global_app!(list_policy());
    let res = test::call_service(&app, get("/items", None).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(access_control_headers(&res).is_empty());
    assert_eq!(vary_names(&res), ["origin"]);
}

#[actix_web::test]
async fn non_cors_request_to_any_origin_policy_gets_star_and_no_vary() {
    let app = global_app!(any_policy());
    let res = test::call_service(&app, get("/items", None).to_request()).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some("*"));
    assert!(vary_names(&res).is_empty());
}

#[actix_web::test]
async fn preflight_accepted_has_all_headers_and_skips_the_handler() {
    let app = global_app!(list_policy());
    let req = preflight("/items", APP, "PUT")
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type,x-request-id"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    assert_eq!(h(&res, "access-control-allow-methods"), Some("GET, POST, PUT"));
    assert_eq!(h(&res, "access-control-allow-headers"), Some("content-type, x-request-id"));
    assert_eq!(h(&res, "access-control-max-age"), Some("600"));
    assert_eq!(h(&res, "x-request-id"), None, "the handler must not run");
    assert_eq!(vary_names(&res), ["origin", "access-control-request-method", "access-control-request-headers"]);
    let body = test::read_body(res).await;
    assert!(body.is_empty());
}

#[actix_web::test]
async fn preflight_for_safelisted_method_without_headers_omits_acam_and_acah() {
    let app = global_app!(list_policy());
    let res = test::call_service(&app, preflight("/items", APP, "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-methods"), None);
    assert_eq!(h(&res, "access-control-allow-headers"), None);
}

#[actix_web::test]
async fn preflight_refusals_are_403_without_access_control_headers() {
    let app = global_app!(list_policy());
    let cases = [
        preflight("/items", EVIL, "PUT"),
        preflight("/items", APP, "DELETE"),
        preflight("/items", APP, "put"),
        preflight("/items", APP, "PUT").insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "x-other")),
        preflight("/items", APP, "PUT").insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")),
        preflight("/items", APP, "PUT").insert_header(("access-control-request-private-network", "true")),
    ];
    for (i, req) in cases.into_iter().enumerate() {
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "case {i}");
        assert!(access_control_headers(&res).is_empty(), "case {i}: {:?}", access_control_headers(&res));
        assert!(vary_names(&res).contains(&"origin".to_owned()), "case {i}");
    }
}

#[actix_web::test]
async fn actual_request_from_allowed_origin_is_decorated() {
    let app = global_app!(list_policy());
    let res = test::call_service(&app, get("/items", Some("https://shop.example.com")).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(values(&res, "access-control-allow-origin"), ["https://shop.example.com"]);
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    assert_eq!(h(&res, "access-control-expose-headers"), Some("x-request-id"));
    assert_eq!(vary_names(&res), ["origin"]);
}

#[actix_web::test]
async fn actual_request_from_disallowed_origin_runs_handler_without_cors_headers() {
    let app = global_app!(list_policy());
    for origin in [
        EVIL,
        "https://example.com",
        "https://evilexample.com",
        "https://example.com.evil.io",
        "http://app.example",
        "null",
    ] {
        let res = test::call_service(&app, get("/items", Some(origin)).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        assert_eq!(h(&res, "x-request-id"), Some("42"), "{origin}: handler ran");
        assert!(access_control_headers(&res).is_empty(), "{origin}");
        assert_eq!(vary_names(&res), ["origin"], "{origin}");
    }
}

#[actix_web::test]
async fn options_without_acrm_is_an_actual_request() {
    let app = test::init_service(
        App::new().wrap(Cors::new(list_policy())).route("/items", web::method(Method::OPTIONS).to(ok)),
    )
    .await;
    let req = test::TestRequest::default().method(Method::OPTIONS).uri("/items").insert_header((header::ORIGIN, APP));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(h(&res, "x-request-id"), Some("42"));
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
}

#[actix_web::test]
async fn error_responses_carry_cors_headers() {
    let app = global_app!(list_policy());
    let res = test::call_service(&app, get("/fail", Some(APP)).to_request()).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    // 404 from the router too
    let res = test::call_service(&app, get("/missing", Some(APP)).to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
}

#[actix_web::test]
async fn json_extractor_failure_carries_cors_headers() {
    #[derive(serde::Deserialize)]
    struct Order {
        #[allow(dead_code)]
        id: u32,
    }
    let app = test::init_service(
        App::new()
            .wrap(Cors::new(list_policy()))
            .route("/orders", web::post().to(|_: web::Json<Order>| async { HttpResponse::Created().finish() })),
    )
    .await;
    let req = test::TestRequest::post()
        .uri("/orders")
        .insert_header((header::ORIGIN, APP))
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .set_payload("{not json");
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
}

/// An inner middleware that fails every request with `Err`.
async fn failing_middleware(
    _req: actix_web::dev::ServiceRequest,
    _next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    Err::<ServiceResponse<actix_web::body::BoxBody>, _>(actix_web::error::ErrorUnauthorized("no token"))
}

#[actix_web::test]
async fn err_from_inner_middleware_becomes_a_decorated_response() {
    let app = test::init_service(
        App::new()
            .wrap(actix_web::middleware::from_fn(failing_middleware))
            .wrap(Cors::new(list_policy()))
            .route("/items", web::get().to(ok)),
    )
    .await;
    // The request is consumed by the failing middleware, so the error stays
    // an `Err`, but the response actix renders from it is decorated.
    let Err(err) = app.call(get("/items", Some(APP)).to_request()).await else { panic!("the middleware fails") };
    let res = err.error_response();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), APP);
    assert_eq!(res.headers().get("vary").unwrap(), "Origin");
}

#[actix_web::test]
async fn handler_vary_is_merged_without_duplicates() {
    let app = test::init_service(
        App::new()
            .wrap(Cors::new(list_policy()))
            .route(
                "/a",
                web::get().to(|| async { HttpResponse::Ok().insert_header(("vary", "Accept-Encoding")).finish() }),
            )
            .route(
                "/b",
                web::get().to(|| async { HttpResponse::Ok().insert_header(("vary", "origin, accept")).finish() }),
            )
            .route("/c", web::get().to(|| async { HttpResponse::Ok().insert_header(("vary", "*")).finish() })),
    )
    .await;
    let res = test::call_service(&app, get("/a", Some(APP)).to_request()).await;
    assert_eq!(vary_names(&res), ["accept-encoding", "origin"]);
    let res = test::call_service(&app, get("/b", Some(APP)).to_request()).await;
    assert_eq!(vary_names(&res), ["origin", "accept"]);
    let res = test::call_service(&app, get("/c", None).to_request()).await;
    assert_eq!(vary_names(&res), ["*"]);
}

#[actix_web::test]
async fn exactly_one_acao_even_if_the_handler_set_one() {
    let app = test::init_service(App::new().wrap(Cors::new(list_policy())).route(
        "/x",
        web::get().to(|| async { HttpResponse::Ok().insert_header(("access-control-allow-origin", "*")).finish() }),
    ))
    .await;
    let res = test::call_service(&app, get("/x", Some(APP)).to_request()).await;
    assert_eq!(values(&res, "access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn reject_true_answers_403_without_running_the_handler() {
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let policy = CorsPolicy::builder().origins([APP]).reject(true).build().unwrap();
    let app = test::init_service(App::new().wrap(Cors::new(policy)).route(
        "/x",
        web::get().to(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { HttpResponse::Ok().finish() }
        }),
    ))
    .await;
    let res = test::call_service(&app, get("/x", Some(EVIL)).to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(access_control_headers(&res).is_empty());
    assert_eq!(count.load(Ordering::SeqCst), 0);
    let res = test::call_service(&app, get("/x", Some(APP)).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[actix_web::test]
async fn debug_reasons_are_sent_only_when_enabled() {
    let app = test::init_service(
        App::new().wrap(Cors::new(list_policy()).debug_reasons(true)).route("/items", web::get().to(ok)),
    )
    .await;
    let res = test::call_service(&app, preflight("/items", EVIL, "PUT").to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(h(&res, "x-cors-rejection"), Some("origin-not-allowed"));
    let body = test::read_body(res).await;
    assert!(String::from_utf8_lossy(&body).contains("origin not allowed"));

    let app = global_app!(list_policy());
    let res = test::call_service(&app, preflight("/items", EVIL, "PUT").to_request()).await;
    assert_eq!(h(&res, "x-cors-rejection"), None);
    assert!(test::read_body(res).await.is_empty());
}

#[actix_web::test]
async fn private_network_preflight_is_answered_when_enabled() {
    let policy = CorsPolicy::builder().origins([APP]).private_network(true).build().unwrap();
    let app = test::init_service(App::new().wrap(Cors::new(policy)).route("/x", web::get().to(ok))).await;
    let req = preflight("/x", APP, "GET").insert_header(("access-control-request-private-network", "true"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-private-network"), Some("true"));
    assert!(vary_names(&res).contains(&"access-control-request-private-network".to_owned()));
}

#[actix_web::test]
async fn hostile_request_headers_get_an_answer_not_a_panic() {
    let app = global_app!(list_policy());
    let huge = ",".repeat(10_000);
    let req = preflight("/items", APP, "PUT").insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, huge));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let mut req = preflight("/items", APP, "PUT").to_request();
    for _ in 0..20 {
        req.headers_mut().append(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type".parse().unwrap());
    }
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let mut req = get("/items", Some(APP)).to_request();
    req.headers_mut().append(header::ORIGIN, EVIL.parse().unwrap());
    let res = test::call_service(&app, req).await;
    assert!(access_control_headers(&res).is_empty(), "two Origin headers are malformed");
}

fn route_policy(origin: &str) -> cors_actix::PolicySpec {
    CorsPolicy::builder().origins([origin]).allow_headers(["content-type"]).build_spec().unwrap()
}

#[actix_web::test]
async fn two_methods_on_one_path_answer_their_own_preflights_inside_a_scope() {
    let app = test::init_service(
        App::new().wrap(Cors::new(any_policy())).service(
            web::scope("/api")
                .service(CorsResource::new("/items", route_policy("https://reader.example")).get(ok))
                .service(CorsResource::new("/items", route_policy("https://writer.example")).post(ok)),
        ),
    )
    .await;
    let req = preflight("/api/items", "https://writer.example", "POST")
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some("https://writer.example"));
    assert_eq!(h(&res, "access-control-allow-headers"), Some("content-type"));

    let req = preflight("/api/items", "https://writer.example", "GET")
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "GET /items belongs to reader.example");

    let req = preflight("/api/items", "https://reader.example", "GET")
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some("https://reader.example"));

    // actual requests: route policy, not the global `*`
    let res = test::call_service(&app, get("/api/items", Some("https://reader.example")).to_request()).await;
    assert_eq!(values(&res, "access-control-allow-origin"), ["https://reader.example"]);
    let res = test::call_service(&app, get("/api/items", Some("https://other.example")).to_request()).await;
    assert!(access_control_headers(&res).is_empty());
}

#[actix_web::test]
async fn route_inherits_unset_keys_from_the_global_policy() {
    let global = CorsPolicy::builder().origins([APP]).max_age(123).expose_headers(["x-request-id"]).build().unwrap();
    let route = CorsPolicy::builder().allow_headers(["x-custom"]).build_spec().unwrap();
    let app =
        test::init_service(App::new().wrap(Cors::new(global)).service(CorsResource::new("/r", route).put(ok))).await;
    let req = preflight("/r", APP, "PUT").insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "X-Custom"));
    let res = test::call_service(&app, req.to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP), "origins inherited");
    assert_eq!(h(&res, "access-control-max-age"), Some("123"), "max_age inherited");
    assert_eq!(h(&res, "access-control-allow-methods"), Some("PUT"), "route's own method");
    let res =
        test::call_service(&app, test::TestRequest::put().uri("/r").insert_header((header::ORIGIN, APP)).to_request())
            .await;
    assert_eq!(h(&res, "access-control-expose-headers"), Some("x-request-id"), "expose inherited");
}

#[actix_web::test]
async fn route_policy_works_without_a_global_cors() {
    let app = test::init_service(App::new().service(CorsResource::new("/solo", route_policy(APP)).delete(ok))).await;
    let res = test::call_service(&app, preflight("/solo", APP, "DELETE").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-methods"), Some("DELETE"));
    let res = test::call_service(
        &app,
        test::TestRequest::delete().uri("/solo").insert_header((header::ORIGIN, APP)).to_request(),
    )
    .await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    // a path without a route policy and no global: preflights pass through to the router
    let res = test::call_service(&app, preflight("/elsewhere", APP, "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(access_control_headers(&res).is_empty());
}

#[actix_web::test]
async fn off_route_gets_no_cors_headers_under_a_global_policy() {
    let off = CorsPolicy::builder().off().build_spec().unwrap();
    let app = test::init_service(
        App::new().wrap(Cors::new(any_policy())).service(CorsResource::new("/internal", off).get(ok)),
    )
    .await;
    let res = test::call_service(&app, get("/internal", Some(APP)).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(access_control_headers(&res).is_empty());
    let res = test::call_service(&app, get("/internal", None).to_request()).await;
    assert!(access_control_headers(&res).is_empty());
    let res = test::call_service(&app, preflight("/internal", APP, "GET").to_request()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(access_control_headers(&res).is_empty());
}

#[actix_web::test]
async fn unclaimed_preflight_gets_the_global_policy_even_with_a_200_default_service() {
    let app = test::init_service(
        App::new()
            .wrap(Cors::new(list_policy()))
            .service(CorsResource::new("/r", route_policy(APP)).put(ok))
            .default_service(web::to(|| async { HttpResponse::Ok().body("fallback") })),
    )
    .await;
    let res = test::call_service(&app, preflight("/other", APP, "PUT").to_request()).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-methods"), Some("GET, POST, PUT"));
    assert!(test::read_body(res).await.is_empty());
}

#[actix_web::test]
async fn route_error_responses_carry_the_route_headers() {
    let app = test::init_service(
        App::new().wrap(Cors::new(any_policy())).service(
            CorsResource::new("/e", route_policy(APP))
                .get(|| async { Err::<HttpResponse, _>(actix_web::error::ErrorConflict("taken")) }),
        ),
    )
    .await;
    let res = test::call_service(&app, get("/e", Some(APP)).to_request()).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(values(&res, "access-control-allow-origin"), [APP]);
}

#[actix_web::test]
async fn refusals_carry_their_typed_reason_in_response_extensions_when_recorded() {
    use cors_actix::Rejection;
    let app = test::init_service(
        App::new()
            .wrap(Cors::new(list_policy()).record_rejections(true))
            .route("/items", web::get().to(ok))
            .service(CorsResource::new("/solo", route_policy(APP)).get(ok)),
    )
    .await;
    let res = test::call_service(&app, preflight("/items", APP, "DELETE").to_request()).await;
    assert_eq!(res.response().extensions().get::<Rejection>(), Some(&Rejection::MethodNotAllowed));
    let res = test::call_service(&app, get("/items", Some(EVIL)).to_request()).await;
    assert_eq!(res.response().extensions().get::<Rejection>(), Some(&Rejection::OriginNotAllowed));
    let res = test::call_service(&app, get("/items", Some(APP)).to_request()).await;
    assert_eq!(res.response().extensions().get::<Rejection>(), None);
    let res = test::call_service(&app, get("/solo", Some(EVIL)).to_request()).await;
    assert_eq!(res.response().extensions().get::<Rejection>(), Some(&Rejection::OriginNotAllowed), "route layer");

    // off by default
    let app = global_app!(list_policy());
    let res = test::call_service(&app, get("/items", Some(EVIL)).to_request()).await;
    assert_eq!(res.response().extensions().get::<Rejection>(), None);
}
