//! Per-route policies (`CorsResource`, `#[cors]`-style routes) with and
//! without a global `Cors`, at the HTTP level through `actix_web::test`.

use actix_web::http::{header, StatusCode};
use actix_web::{test, web, App, HttpResponse};
use cors_actix::{Cors, CorsPolicy, CorsResource};

#[macro_use]
#[path = "support/http.rs"]
mod http;
use http::*;

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
