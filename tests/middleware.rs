//! The global `Cors` middleware at the HTTP level through `actix_web::test`;
//! per-route policies under it are in `tests/route_policies.rs`.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{test, web, App, HttpResponse};
use cors_actix::{Cors, CorsPolicy};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[macro_use]
#[path = "support/http.rs"]
mod http;
use http::*;

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
    let acrh = header::ACCESS_CONTROL_REQUEST_HEADERS;
    let cases = [
        ("origin not allowed", preflight("/items", EVIL, "PUT")),
        ("method not allowed", preflight("/items", APP, "DELETE")),
        ("method in the wrong case", preflight("/items", APP, "put")),
        ("header not allowed", preflight("/items", APP, "PUT").insert_header((acrh.clone(), "x-other"))),
        ("authorization not listed", preflight("/items", APP, "PUT").insert_header((acrh, "authorization"))),
        (
            "private network not allowed",
            preflight("/items", APP, "PUT").insert_header(("access-control-request-private-network", "true")),
        ),
    ];
    assert_preflights_refused(&app, cases).await;
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
