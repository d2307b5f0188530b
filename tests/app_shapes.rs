//! How route policies, the global `Cors` and actix's router meet, tried on
//! app shapes an attacker would pick: catch-all resources, `web::route()`,
//! `default_service` (app and scope), `OPTIONS` routes, guards, scopes
//! wrapped in auth middleware, `reject` under routes with their own keys,
//! and two apps in one process. Every handler counts its calls, so a test
//! fails when user code runs for a preflight or a refused request.

use actix_service::IntoServiceFactory;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, post, put, route, test, web, App, HttpResponse};
use cors_actix::{cors, cors_policy, Cors, CorsPolicy, CorsResource};
use std::sync::atomic::{AtomicUsize, Ordering};

#[macro_use]
#[path = "support/http.rs"]
mod http;
use http::{access_control_headers, count, h, hit, preflight, request, APP, EVIL};

const PARTNER: &str = "https://partner.example";

counters!(CATCH_ALL, ANY_METHOD, APP_DEFAULT, SCOPE_DEFAULT, AUTH, A_CATCH_ALL, INVALID,);

fn actual(method: Method, path: &str, origin: &str) -> test::TestRequest {
    request(method, path, Some(origin))
}

async fn call<S, B>(app: &S, req: test::TestRequest) -> ServiceResponse<B>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    test::call_service(app, req.to_request()).await
}

/// The global of most shapes here: the app's own origin, nothing else.
fn app_only() -> Cors {
    Cors::new(cors_policy!(origins = ["https://app.example"]))
}

/// A global that allows the partner too, for routes that narrow it.
fn app_and_partner() -> Cors {
    Cors::new(cors_policy!(origins = ["https://app.example", "https://partner.example"]))
}

// ---- 1 and 2: `reject = true` -------------------------------------------

counted! {
    #[post("/transfer")]
    async fn transfer => TRANSFER;

    #[cors(origins = "*")]
    #[get("/public")]
    async fn public => PUBLIC;

    #[cors(origins = ["https://partner.example"])]
    #[get("/partner")]
    async fn partner_only => PARTNER_ONLY;

    #[cors(origins = ["https://partner.example"], reject = false)]
    #[get("/lenient")]
    async fn lenient => LENIENT;

    #[cors(off)]
    #[get("/off")]
    async fn off_route => OFF_ROUTE;
}

fn rejecting_global() -> CorsPolicy {
    CorsPolicy::builder().origins([APP]).reject(true).build().unwrap()
}

#[actix_web::test]
async fn global_reject_never_runs_a_global_only_handler_whatever_the_routes_allow() {
    let app = test::init_service(
        App::new()
            .wrap(Cors::new(rejecting_global()))
            .service(transfer)
            .service(public)
            .service(partner_only)
            .service(lenient)
            .service(off_route),
    )
    .await;
    // An origin nobody allows, and one a route's own policy allows.
    for origin in [EVIL, PARTNER] {
        let res = call(&app, actual(Method::POST, "/transfer", origin)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{origin}");
        assert!(access_control_headers(&res).is_empty());
    }
    assert_eq!(count(&TRANSFER), 0, "the global-only handler ran for a refused origin");
    let res = call(&app, actual(Method::POST, "/transfer", APP)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(count(&TRANSFER), 1);

    // The route's own origins win over the global's: allowed there, and
    // refused (inheriting `reject`) without running the handler otherwise.
    let res = call(&app, actual(Method::GET, "/partner", PARTNER)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    let res = call(&app, actual(Method::GET, "/partner", EVIL)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = call(&app, actual(Method::GET, "/partner", APP)).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "the route's origins replace the global's");
    assert_eq!(count(&PARTNER_ONLY), 1);
    let res = call(&app, actual(Method::GET, "/public", EVIL)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some("*"));
    assert_eq!(count(&PUBLIC), 1);
}

#[actix_web::test]
async fn a_routes_own_reject_false_and_off_beat_the_global_reject() {
    let app = test::init_service(
        App::new().wrap(Cors::new(rejecting_global())).service(lenient).service(off_route).service(transfer),
    )
    .await;
    let res = call(&app, actual(Method::GET, "/lenient", EVIL)).await;
    assert_eq!(res.status(), StatusCode::OK, "reject = false on the route");
    assert!(access_control_headers(&res).is_empty());
    assert_eq!(count(&LENIENT), 1);
    let res = call(&app, actual(Method::GET, "/off", EVIL)).await;
    assert_eq!(res.status(), StatusCode::OK, "an `off` route is not CORS at all");
    assert!(access_control_headers(&res).is_empty());
    assert_eq!(count(&OFF_ROUTE), 1);
}

// ---- 3: an OPTIONS route never answers another route's preflight ----------

counted! {
    #[cors(origins = "*", methods = "*")]
    #[route("/p", method = "OPTIONS")]
    async fn options_route => OPTIONS_ROUTE;

    #[cors(origins = ["https://partner.example"])]
    #[put("/p")]
    async fn put_p => PUT_P;
}

async fn check_options_route<S, B>(app: &S)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let res = call(app, preflight("/p", EVIL, "PUT")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "the PUT route's policy answers its preflight");
    assert!(access_control_headers(&res).is_empty());
    let res = call(app, preflight("/p", PARTNER, "PUT")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    // A plain OPTIONS request (no ACRM) is the OPTIONS route's own.
    let res = call(app, actual(Method::OPTIONS, "/p", EVIL)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some("*"));
}

#[actix_web::test]
async fn an_options_route_does_not_answer_another_routes_preflight() {
    let global = test::init_service(App::new().wrap(app_only()).service(options_route).service(put_p)).await;
    check_options_route(&global).await;
    let alone = test::init_service(App::new().service(options_route).service(put_p)).await;
    check_options_route(&alone).await;
    assert_eq!(count(&PUT_P), 0, "the PUT handler ran for a preflight");
    assert_eq!(count(&OPTIONS_ROUTE), 2, "only the two plain OPTIONS requests");
}

// ---- 4: no handler runs for a preflight, whatever the app's shape --------

counted! {
    #[cors(origins = ["https://partner.example"])]
    #[get("/guarded", guard = "has_token")]
    async fn guarded => GUARDED;
}

fn has_token(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head().headers.contains_key("x-token")
}

#[actix_web::test]
async fn preflights_never_reach_catch_alls_default_services_or_guarded_routes() {
    let app = test::init_service(
        App::new()
            .wrap(Cors::new(cors_policy!(origins = ["https://app.example"], methods = [GET, POST, PUT, DELETE])))
            .service(guarded)
            .service(
                web::scope("/scoped")
                    .route("/any", web::route().to(|| async { hit(&ANY_METHOD) }))
                    .default_service(web::to(|| async { hit(&SCOPE_DEFAULT) })),
            )
            .service(web::resource("/{tail:.*}").to(|| async { hit(&CATCH_ALL) }))
            .default_service(web::to(|| async { hit(&APP_DEFAULT) })),
    )
    .await;
    for path in ["/guarded", "/anything", "/scoped/any", "/scoped/missing", "/", "/deep/er/path"] {
        for origin in [APP, EVIL, PARTNER] {
            for method in ["GET", "DELETE", "PATCH"] {
                let res = call(&app, preflight(path, origin, method)).await;
                assert!(
                    res.status() == StatusCode::NO_CONTENT || res.status() == StatusCode::FORBIDDEN,
                    "{path} {origin} {method}: {}",
                    res.status()
                );
            }
        }
    }
    for c in [&GUARDED, &ANY_METHOD, &SCOPE_DEFAULT, &CATCH_ALL, &APP_DEFAULT] {
        assert_eq!(count(c), 0, "a handler ran for a preflight");
    }
    // The guarded route's preflight is its own policy's (guards are not
    // applied to preflights: browsers send them without the headers).
    let res = call(&app, preflight("/guarded", PARTNER, "GET")).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    // The catch-all's preflights are the global policy's.
    let res = call(&app, preflight("/anything", APP, "DELETE")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    // Actual requests still reach them.
    let res = call(&app, actual(Method::GET, "/anything", APP)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!(count(&CATCH_ALL), 1);
}

// ---- 5: apps in one process do not leak into each other -----------------

counted! {
    #[cors(origins = ["https://partner.example"], credentials)]
    #[get("/b")]
    async fn b_route => B_ROUTE;
}

async fn app_a_works() {
    let a = App::new()
        .wrap(Cors::new(cors_policy!(origins = "*")))
        .service(web::resource("/{tail:.*}").to(|| async { hit(&A_CATCH_ALL) }));
    let a = a.into_factory().new_service(actix_web::dev::AppConfig::default()).await;
    let a = a.unwrap_or_else(|_| panic!("app A (global `*`, no routes) must start"));
    let before = count(&A_CATCH_ALL);
    let res = call(&a, preflight("/b", PARTNER, "GET")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some("*"), "A's own policy, not B's route");
    assert_eq!(h(&res, "access-control-allow-credentials"), None);
    assert_eq!(count(&A_CATCH_ALL), before, "A's catch-all saw a preflight");
}

#[actix_web::test]
async fn two_apps_in_one_process_keep_their_own_routes() {
    app_a_works().await;
    // B: a credentialed route and no global.
    let b = test::init_service(App::new().service(b_route)).await;
    let res = call(&b, actual(Method::GET, "/b", PARTNER)).await;
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    // A built after B, and again with B alive.
    app_a_works().await;
    // B's routes are B's alone: under a global `*` they would be invalid.
    let res = call(&b, preflight("/b", PARTNER, "GET")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    drop(b);
    app_a_works().await;
}

// ---- 6: a hand-built route is checked at start like `#[cors]` -----------

/// Builds the app's service as the server does when it starts.
async fn starts<T, F>(app: T) -> bool
where
    T: IntoServiceFactory<F, actix_http::Request>,
    F: ServiceFactory<actix_http::Request, Config = actix_web::dev::AppConfig>,
{
    app.into_factory().new_service(actix_web::dev::AppConfig::default()).await.is_ok()
}

#[actix_web::test]
async fn a_cors_resource_whose_merged_policy_is_invalid_stops_the_app() {
    let credentialed = CorsPolicy::builder().credentials(true).build_spec().unwrap();
    let app = App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(
        web::scope("/api").service(CorsResource::new("/c", credentialed.clone()).get(|| async { hit(&INVALID) })),
    );
    assert!(!starts(app).await, "credentials under a global `*` must stop the app");
    let app = App::new()
        .wrap(app_only())
        .service(web::scope("/api").service(CorsResource::new("/c", credentialed).get(|| async { hit(&INVALID) })));
    assert!(starts(app).await);
    assert_eq!(count(&INVALID), 0);
}

/// A `PolicySpec` built by hand gets every check the attribute and the
/// builder apply, not only the combination rules.
#[actix_web::test]
async fn a_hand_built_spec_cannot_bypass_validation() {
    use cors_actix::PolicySpec;
    use cors_actix::{NameList, OriginEntry, OriginPattern, Origins, PortPattern};
    use std::borrow::Cow;
    let every_dot_com = OriginEntry::Pattern(OriginPattern {
        scheme: "https".into(),
        subdomains: true,
        host: "com".into(),
        port: PortPattern::Default,
    });
    let wildcard = PolicySpec {
        origins: Some(Origins::List(Cow::Owned(vec![every_dot_com]))),
        credentials: Some(true),
        ..PolicySpec::EMPTY
    };
    let global = Cors::new(cors_policy!(origins = ["https://app.example"]));
    let app =
        App::new().wrap(global).service(CorsResource::new("/w", wildcard.clone()).get(|| async { hit(&INVALID) }));
    assert!(!starts(app).await, "`https://*.com` with credentials must stop the app");
    // Without a global there is no start-up check: every request is
    // answered 500 (and logged), never with the spec's headers.
    let app =
        test::init_service(App::new().service(CorsResource::new("/w", wildcard).get(|| async { hit(&INVALID) }))).await;
    let res = call(&app, actual(Method::GET, "/w", "https://evil.com")).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(access_control_headers(&res), Vec::<String>::new());
    let split_header = PolicySpec {
        origins: Some(Origins::Any),
        allow_headers: Some(NameList { any: false, names: Cow::Owned(vec!["x-a\r\nx-b".into()]) }),
        ..PolicySpec::EMPTY
    };
    let global = Cors::new(cors_policy!(origins = "*"));
    let app = App::new().wrap(global).service(CorsResource::new("/h", split_header).get(|| async { hit(&INVALID) }));
    assert!(!starts(app).await, "a header name with CR LF must stop the app");

    // A valid hand-built spec is used in its normal form.
    let upper = PolicySpec {
        origins: Some(Origins::Any),
        allow_headers: Some(NameList { any: false, names: Cow::Owned(vec!["X-Trace".into()]) }),
        ..PolicySpec::EMPTY
    };
    let app = test::init_service(App::new().service(CorsResource::new("/u", upper).put(|| async { "ok" }))).await;
    let req =
        preflight("/u", "https://a.example", "PUT").insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "x-trace"));
    let res = call(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-headers"), Some("x-trace"));
    assert_eq!(count(&INVALID), 0);
}

// ---- 7: scope middleware never sees a route's preflight ------------------

async fn auth(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    AUTH.fetch_add(1, Ordering::SeqCst);
    if req.headers().contains_key(header::AUTHORIZATION) {
        next.call(req).await
    } else {
        Err(actix_web::error::ErrorUnauthorized("no credentials"))
    }
}

counted! {
    #[cors(origins = ["https://partner.example"], credentials, allow_headers = ["authorization"])]
    #[post("/secure")]
    async fn secure => SECURE;
}

#[actix_web::test]
async fn a_routes_preflight_is_answered_before_the_scopes_auth_middleware() {
    let app =
        test::init_service(App::new().wrap(app_only()).service(web::scope("/api").wrap(from_fn(auth)).service(secure)))
            .await;
    let req = preflight("/api/secure", PARTNER, "POST")
        .insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization"));
    let res = call(&app, req).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    assert_eq!(h(&res, "access-control-allow-credentials"), Some("true"));
    assert_eq!(count(&AUTH), 0, "the auth layer saw a preflight");
    // The auth layer's refusal of the actual request carries the route's
    // headers, so the page can read the 401.
    let Err(err) = app.call(actual(Method::POST, "/api/secure", PARTNER).to_request()).await else {
        panic!("auth lets it in")
    };
    let res = err.error_response();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(header("access-control-allow-origin").as_deref(), Some(PARTNER));
    assert_eq!(header("access-control-allow-credentials").as_deref(), Some("true"));
    assert_eq!(count(&SECURE), 0);
}

// ---- start-up error names the route with its full path ------------------

counted! {
    #[cors(credentials)]
    #[get("/err")]
    async fn err_route => ERR_ROUTE;
}

#[actix_web::test]
async fn a_route_in_a_scope_is_reported_with_its_full_path() {
    let app = App::new()
        .wrap(Cors::new(cors_policy!(origins = "*")))
        .service(web::scope("/v1").service(web::scope("/{tenant}").service(err_route)));
    assert!(!starts(app).await);
    // The same routes are merged per app: a compatible global starts.
    let app =
        App::new().wrap(app_only()).service(web::scope("/v1").service(web::scope("/{tenant}").service(err_route)));
    assert!(starts(app).await);
}

counted! {
    #[cors(origins = ["https://partner.example"], methods = [GET, POST])]
    #[route("/items/{id}", method = "GET", method = "POST")]
    async fn shape_route => SHAPE_ROUTE;
}

#[actix_web::test]
async fn a_route_in_a_dynamic_scope_answers_its_preflights_by_its_full_path() {
    let app =
        test::init_service(App::new().wrap(app_only()).service(web::scope("/t/{tenant}").service(shape_route))).await;
    let res = call(&app, preflight("/t/acme/items/7", PARTNER, "POST")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    // Same path, a method the route does not have: the global's.
    let res = call(&app, preflight("/t/acme/items/7", PARTNER, "PUT")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = call(&app, preflight("/t/acme/items/7", APP, "GET")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "the route's origins replace the global's");
    let res = call(&app, preflight("/t/acme/other", APP, "GET")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = call(&app, actual(Method::POST, "/t/acme/items/7", PARTNER)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    assert_eq!(count(&SHAPE_ROUTE), 1);
}

// ---- the route table stays per app --------------------------------------

static CODE: AtomicUsize = AtomicUsize::new(0);

counted! {
    #[cors(origins = ["https://partner.example"])]
    #[get("/adopted")]
    async fn adopted => ADOPTED;
}

#[actix_web::test]
async fn a_global_never_answers_with_another_apps_route() {
    // The `Cors` value exists before the other app registers its route:
    // the hand-off alone cannot tell whose route it is.
    let cors = Cors::new(cors_policy!(origins = ["https://app.example"]));
    let other = test::init_service(App::new().service(adopted)).await;
    let app = test::init_service(App::new().wrap(cors).default_service(web::to(HttpResponse::NotFound))).await;
    let res = call(&app, preflight("/adopted", PARTNER, "GET")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "the other app's route answered this app's preflight");
    let res = call(&app, preflight("/adopted", APP, "GET")).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    // The other app still answers with its route's own policy.
    let res = call(&other, preflight("/adopted", PARTNER, "GET")).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    assert_eq!(count(&ADOPTED), 0);
}

#[actix_web::test]
async fn routes_whose_segments_need_a_pattern_of_their_own_are_found() {
    let spec = CorsPolicy::builder().origins([PARTNER]).build_spec().unwrap();
    let app = test::init_service(
        App::new().wrap(app_only()).service(
            web::scope("/s/{tenant:[a-z]+}")
                .service(CorsResource::new("/code/{code:[A-Z]{3}}", spec).get(|| async { hit(&CODE) })),
        ),
    )
    .await;
    let res = call(&app, preflight("/s/acme/code/ABC", PARTNER, "GET")).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    let res = call(&app, preflight("/s/acme/code/abc", PARTNER, "GET")).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "not the route's path: the global policy");
    let res = call(&app, actual(Method::GET, "/s/acme/code/XYZ", PARTNER)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    assert_eq!(count(&CODE), 1);
}

counted! {
    #[cors(origins = ["https://partner.example"])]
    #[get("/inside")]
    async fn inside => INSIDE;

    #[cors(origins = ["https://partner.example"])]
    #[get("/outside")]
    async fn outside => OUTSIDE;
}

#[actix_web::test]
async fn a_cors_wrapped_around_one_scope_leaves_the_other_routes_their_own_headers() {
    let app =
        test::init_service(App::new().service(web::scope("/api").wrap(app_only()).service(inside)).service(outside))
            .await;
    for _ in 0..3 {
        for path in ["/api/inside", "/outside"] {
            let res = call(&app, actual(Method::GET, path, PARTNER)).await;
            assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER), "{path}");
            let res = call(&app, preflight(path, PARTNER, "GET")).await;
            assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path}");
        }
    }
    assert_eq!((count(&INSIDE), count(&OUTSIDE)), (3, 3));
}

// ---- same-origin requests are not cross-origin ---------------------------

static FORM: AtomicUsize = AtomicUsize::new(0);

counted! {
    #[cors(origins = ["https://partner.example"], reject = true)]
    #[post("/route-form")]
    async fn route_form => ROUTE_FORM;
}

#[actix_web::test]
async fn a_same_origin_post_is_neither_refused_nor_decorated_even_with_reject() {
    const SITE: &str = "https://site.example";
    let app = test::init_service(
        App::new()
            .wrap(Cors::new(cors_policy!(origins = ["https://app.example"], reject = true)))
            .route("/form", web::post().to(|| async { hit(&FORM) }))
            .service(route_form),
    )
    .await;
    let post = |path: &str, fetch_site: Option<&str>| {
        let req = test::TestRequest::post().uri(path).insert_header((header::ORIGIN, SITE));
        match fetch_site {
            Some(v) => req.insert_header(("sec-fetch-site", v)),
            None => req,
        }
    };
    for path in ["/form", "/route-form"] {
        let res = call(&app, post(path, Some("same-origin"))).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}: the site's own form POST");
        assert!(access_control_headers(&res).is_empty(), "{path}");
        assert!(h(&res, "vary").is_some_and(|v| v.contains("Origin")), "{path}: still varies for caches");
        for refused in [None, Some("cross-site"), Some("same-site")] {
            let res = call(&app, post(path, refused)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path} {refused:?}");
        }
    }
    assert_eq!((count(&FORM), count(&ROUTE_FORM)), (1, 1));
}

// ---- the table sees the path actix routes on ----------------------------

counted! {
    #[cors(origins = ["https://app.example"])]
    #[get("/secret")]
    async fn secret => SECRET;
}

#[actix_web::test]
async fn a_percent_encoded_path_gets_the_routes_policy_not_the_globals() {
    let app = test::init_service(App::new().wrap(app_and_partner()).service(secret)).await;
    // actix decodes `%65` to `e` before routing: this is `/secret`.
    for path in ["/secret", "/s%65cret"] {
        let res = call(&app, actual(Method::GET, path, PARTNER)).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(access_control_headers(&res).is_empty(), "{path}: the route does not allow this origin");
        let res = call(&app, preflight(path, PARTNER, "GET")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        let res = call(&app, actual(Method::GET, path, APP)).await;
        assert_eq!(h(&res, "access-control-allow-origin"), Some(APP), "{path}");
    }
    assert_eq!(count(&SECRET), 4);
}

fn api_host(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head().headers.get(header::HOST).is_some_and(|h| h == "api.example")
}

counted! {
    #[cors(origins = ["https://partner.example"])]
    #[get("/hosted", guard = "api_host")]
    async fn api_hosted => API_HOST;

    #[cors(origins = ["https://app.example"])]
    #[get("/hosted")]
    async fn www_hosted => WWW_HOST;
}

#[actix_web::test]
async fn two_routes_on_one_path_told_apart_by_a_guard_keep_their_own_headers() {
    let app = test::init_service(App::new().wrap(app_and_partner()).service(api_hosted).service(www_hosted)).await;
    let get = |host: &str, origin: &str| {
        test::TestRequest::get()
            .uri("/hosted")
            .insert_header((header::HOST, host))
            .insert_header((header::ORIGIN, origin))
    };
    let res = call(&app, get("api.example", PARTNER)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(PARTNER));
    // The table finds the first route; the router, by the guard, the second,
    // whose policy does not allow this origin.
    let res = call(&app, get("www.example", PARTNER)).await;
    assert!(access_control_headers(&res).is_empty(), "the other route's headers on this route's response");
    let res = call(&app, get("www.example", APP)).await;
    assert_eq!(h(&res, "access-control-allow-origin"), Some(APP));
    assert_eq!((count(&API_HOST), count(&WWW_HOST)), (1, 2));
}
