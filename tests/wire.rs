//! What the CORS layers put on the wire around a handler's own headers:
//! the layer that owns a route's CORS is the only writer of
//! `Access-Control-Allow-*`, `-Expose-Headers` and `-Max-Age` (exactly one
//! ACAO, whatever the handler set), `Vary` stays one merged line, and a
//! cacheable `*` answer carries the exposed headers (Fetch standard, "CORS
//! protocol and HTTP caches").
//!
//! Every case runs under the three owners a route can have: the global
//! `Cors`, a `#[cors]` route without a global, and a `CorsResource`.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{get, test, web, App, HttpResponse};
use cors_actix::{cors, cors_policy, Cors, CorsResource};

const APP: &str = "https://app.example";
const EVIL: &str = "https://evil.example";

/// A handler that writes CORS headers of its own, as code migrated from
/// hand-rolled CORS often does, and a `Vary` of its own.
fn meddling() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("access-control-allow-origin", "*"))
        .insert_header(("access-control-allow-credentials", "true"))
        .insert_header(("access-control-allow-methods", "DELETE"))
        .insert_header(("access-control-expose-headers", "x-secret"))
        .insert_header(("access-control-max-age", "99999"))
        .insert_header(("vary", "Accept-Encoding"))
        .insert_header(("x-request-id", "1"))
        .finish()
}

#[cors(origins = ["https://app.example"], expose_headers = ["x-request-id"], credentials = true)]
#[get("/m")]
async fn meddling_route() -> HttpResponse {
    meddling()
}

#[cors(off)]
#[get("/off")]
async fn meddling_off() -> HttpResponse {
    meddling()
}

fn request(origin: Option<&str>, path: &str) -> actix_http::Request {
    let req = test::TestRequest::get().uri(path);
    match origin {
        Some(o) => req.insert_header((header::ORIGIN, o)).to_request(),
        None => req.to_request(),
    }
}

fn all<B>(res: &ServiceResponse<B>, name: &str) -> Vec<String> {
    res.headers().get_all(name).map(|v| v.to_str().unwrap().to_owned()).collect()
}

fn cors_headers<B>(res: &ServiceResponse<B>) -> Vec<String> {
    let mut names: Vec<String> = res
        .headers()
        .iter()
        .map(|(n, v)| format!("{}: {}", n.as_str(), v.to_str().unwrap()))
        .filter(|l| l.starts_with("access-control-"))
        .collect();
    names.sort();
    names
}

/// Allowed, refused and non-CORS requests to `path` of `app`: only the
/// layer's own headers, and one `Vary` line.
async fn only_the_layers_headers<S, B>(app: &S, path: &str, owner: &str)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let res = test::call_service(app, request(Some(APP), path)).await;
    assert_eq!(res.status(), StatusCode::OK, "{owner}");
    assert_eq!(
        cors_headers(&res),
        [
            "access-control-allow-credentials: true",
            "access-control-allow-origin: https://app.example",
            "access-control-expose-headers: x-request-id",
        ],
        "{owner}: allowed"
    );
    assert_eq!(all(&res, "vary"), ["Accept-Encoding, Origin"], "{owner}: allowed");

    let res = test::call_service(app, request(Some(EVIL), path)).await;
    assert_eq!(cors_headers(&res), Vec::<String>::new(), "{owner}: refused origin reads nothing");
    assert_eq!(all(&res, "vary"), ["Accept-Encoding, Origin"], "{owner}: refused");

    let res = test::call_service(app, request(None, path)).await;
    assert_eq!(cors_headers(&res), Vec::<String>::new(), "{owner}: not CORS");
    assert_eq!(all(&res, "vary"), ["Accept-Encoding, Origin"], "{owner}: not CORS");
}

#[actix_web::test]
async fn the_global_cors_is_the_only_writer_of_cors_headers() {
    let policy = cors_policy!(origins = ["https://app.example"], expose_headers = ["x-request-id"], credentials);
    let app = App::new().wrap(Cors::new(policy)).route("/g", web::get().to(|| async { meddling() }));
    let app = test::init_service(app).await;
    only_the_layers_headers(&app, "/g", "global Cors").await;
}

#[actix_web::test]
async fn a_route_layer_is_the_only_writer_of_its_routes_cors_headers() {
    let app = test::init_service(App::new().service(meddling_route)).await;
    only_the_layers_headers(&app, "/m", "#[cors] alone").await;

    let global = cors_policy!(origins = "*");
    let app = test::init_service(App::new().wrap(Cors::new(global)).service(meddling_route)).await;
    only_the_layers_headers(&app, "/m", "#[cors] under a global").await;

    let policy = cors_policy!(origins = ["https://app.example"], expose_headers = ["x-request-id"], credentials);
    let resource = CorsResource::new("/r", policy).get(|| async { meddling() });
    let app = test::init_service(App::new().service(resource)).await;
    only_the_layers_headers(&app, "/r", "CorsResource").await;
}

#[actix_web::test]
async fn an_off_route_keeps_the_handlers_own_headers() {
    let app = test::init_service(App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(meddling_off)).await;
    let res = test::call_service(&app, request(Some(APP), "/off")).await;
    assert_eq!(
        cors_headers(&res),
        [
            "access-control-allow-credentials: true",
            "access-control-allow-methods: DELETE",
            "access-control-allow-origin: *",
            "access-control-expose-headers: x-secret",
            "access-control-max-age: 99999",
        ],
        "CORS is the handler's business on an `off` route"
    );
    assert_eq!(all(&res, "vary"), ["Accept-Encoding"]);
}

#[actix_web::test]
async fn vary_stays_one_line() {
    let policy = cors_policy!(origins = ["https://app.example"]);
    let app = App::new()
        .wrap(Cors::new(policy))
        .route("/none", web::get().to(HttpResponse::Ok))
        .route("/has", web::get().to(|| async { HttpResponse::Ok().insert_header(("vary", "origin")).finish() }))
        .route(
            "/two",
            web::get().to(|| async {
                HttpResponse::Ok().append_header(("vary", "Accept-Encoding")).append_header(("vary", "Cookie")).finish()
            }),
        );
    let app = test::init_service(app).await;
    let res = test::call_service(&app, request(Some(APP), "/none")).await;
    assert_eq!(all(&res, "vary"), ["Origin"]);
    let res = test::call_service(&app, request(Some(APP), "/has")).await;
    assert_eq!(all(&res, "vary"), ["origin"], "already there, in any case: left alone");
    let res = test::call_service(&app, request(Some(APP), "/two")).await;
    assert_eq!(all(&res, "vary"), ["Accept-Encoding, Cookie, Origin"]);
    let res = test::call_service(
        &app,
        test::TestRequest::default()
            .method(Method::OPTIONS)
            .uri("/two")
            .insert_header((header::ORIGIN, APP))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, "GET"))
            .to_request(),
    )
    .await;
    assert_eq!(all(&res, "vary").len(), 1, "a preflight answer has one Vary line too");
}

/// Under `origins = "*"` without credentials every response is the same
/// for every origin, so caches may store a non-CORS one and serve it to a
/// CORS request: it must already expose what a CORS answer would.
#[actix_web::test]
async fn a_star_answer_carries_the_exposed_headers_even_without_origin() {
    let policy = cors_policy!(origins = "*", expose_headers = ["x-request-id"]);
    let app = App::new()
        .wrap(Cors::new(policy))
        .route("/p", web::get().to(|| async { HttpResponse::Ok().insert_header(("x-request-id", "1")).finish() }));
    let app = test::init_service(app).await;
    for origin in [None, Some(APP)] {
        let res = test::call_service(&app, request(origin, "/p")).await;
        assert_eq!(
            cors_headers(&res),
            ["access-control-allow-origin: *", "access-control-expose-headers: x-request-id"],
            "origin {origin:?}"
        );
        assert!(all(&res, "vary").is_empty(), "the answer does not depend on the origin");
    }
}
