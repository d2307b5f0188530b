//! `#[cors]` routes at the HTTP level: per-method preflights inside scopes
//! (the "done when"), nested scopes, inheritance from the global
//! policy, error responses and `Vary` on route responses.

#[path = "support/http.rs"]
mod http;

use actix_web::dev::ServiceResponse;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{get, post, test, web, App, HttpResponse, Responder};
use cors_actix::{cors, cors_policy, Cors};
use http::{get, h, preflight, request, values};

const READER: &str = "https://reader.example";
const WRITER: &str = "https://writer.example";

#[cors(origins = ["https://reader.example"], allow_headers = ["x-page"], max_age = 60)]
#[get("/books")]
async fn list_books() -> impl Responder {
    HttpResponse::Ok().insert_header(("vary", "Accept-Encoding")).body("[]")
}

#[cors(origins = ["https://writer.example"], credentials, allow_headers = ["content-type"])]
#[post("/books")]
async fn add_book(book: web::Json<serde_json::Value>) -> impl Responder {
    if book.get("title").is_none() {
        return HttpResponse::UnprocessableEntity().body("title missing");
    }
    HttpResponse::Created().finish()
}

/// Sets no origins: inherits them (and the rest) from the global policy.
#[cors(allow_headers = ["x-trace"])]
#[get("/deep")]
async fn deep() -> Result<&'static str, actix_web::Error> {
    Err(actix_web::error::ErrorServiceUnavailable("down"))
}

fn app() -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .wrap(Cors::new(cors_policy!(
            origins = ["https://global.example"],
            expose_headers = ["x-request-id"],
            max_age = 5
        )))
        .service(web::scope("/api").service(list_books).service(add_book))
        .service(web::scope("/v1").service(web::scope("/nested").service(deep)))
}

/// A preflight for `method`, asking for `headers` when there are any.
fn preflight_asking(path: &str, origin: &str, method: &str, headers: Option<&str>) -> actix_http::Request {
    let req = preflight(path, origin, method);
    match headers {
        Some(h) => req.insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, h)),
        None => req,
    }
    .to_request()
}

#[actix_web::test]
async fn post_and_get_on_one_path_in_a_scope_answer_their_own_preflights() {
    let app = test::init_service(app()).await;
    let res = test::call_service(&app, preflight_asking("/api/books", WRITER, "POST", Some("content-type"))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(WRITER));
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    assert_eq!(h(&res, "access-control-allow-methods"), None, "POST is CORS-safelisted: no ACAM needed");
    assert_eq!(h(&res, "access-control-allow-headers"), Some("content-type"));
    assert_eq!(h(&res, "access-control-max-age"), Some("5"), "inherited from the global");

    let res = test::call_service(&app, preflight_asking("/api/books", READER, "GET", Some("x-page"))).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(READER));
    assert_eq!(h(&res, "access-control-allow-credentials"), None);
    assert_eq!(h(&res, "access-control-allow-headers"), Some("x-page"));
    assert_eq!(h(&res, "access-control-max-age"), Some("60"));

    // each route refuses the other's origin
    let res = test::call_service(&app, preflight_asking("/api/books", READER, "POST", Some("content-type"))).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = test::call_service(&app, preflight_asking("/api/books", WRITER, "GET", None)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // the global origin is not theirs either: route keys win
    let res = test::call_service(&app, preflight_asking("/api/books", "https://global.example", "GET", None)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[actix_web::test]
async fn route_responses_merge_vary_with_the_handler() {
    let app = test::init_service(app()).await;
    let res = test::call_service(&app, get("/api/books", Some(READER)).to_request()).await;
    assert_eq!(values(&res, "vary"), ["Accept-Encoding, Origin"], "one merged line");
    assert_eq!(h(&res, "access-control-allow-origin"), Some(READER));
    assert_eq!(h(&res, "access-control-expose-headers"), Some("x-request-id"), "inherited");
}

#[actix_web::test]
async fn route_error_and_extractor_failures_carry_route_headers() {
    let app = test::init_service(app()).await;
    // A body the extractor refuses, then one the handler refuses.
    for (body, status) in [("{broken", StatusCode::BAD_REQUEST), ("{}", StatusCode::UNPROCESSABLE_ENTITY)] {
        let req = request(Method::POST, "/api/books", Some(WRITER))
            .insert_header((header::CONTENT_TYPE, "application/json"))
            .set_payload(body);
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), status, "{body}");
        assert_eq!(h(&res, "access-control-allow-origin"), Some(WRITER), "{body}");
        assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"), "{body}");
    }
}

#[actix_web::test]
async fn nested_scope_route_inherits_origins_and_decorates_its_error() {
    let app = test::init_service(app()).await;
    let res =
        test::call_service(&app, preflight_asking("/v1/nested/deep", "https://global.example", "GET", Some("X-Trace")))
            .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-headers"), Some("x-trace"));

    let res = test::call_service(&app, get("/v1/nested/deep", Some("https://global.example")).to_request()).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(h(&res, "access-control-allow-origin"), Some("https://global.example"));
    assert_eq!(res.headers().get_all("access-control-allow-origin").count(), 1);
}
