//! `CorsScope`: one policy for every route of a scope, annotated or not,
//! with precedence route > scope > global > default. Checked on real
//! servers on 127.0.0.1 with raw requests, counting every run of a
//! handler, of the scope's middleware and of its default service.

#[macro_use]
#[path = "support/server.rs"]
mod server;

use actix_service::{IntoServiceFactory, ServiceFactory};
use actix_web::dev::{HttpServiceFactory, Service};
use actix_web::http::{Method, StatusCode};
use actix_web::{guard, post, web, App, HttpResponse};
use cors_actix::{cors, cors_policy, Cors, CorsPolicy, CorsScope};
use server::{header, send, Server};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const APP: &str = "https://app.example";
const ADMIN: &str = "https://admin.example";
const OTHER: &str = "https://other.example";

/// A route with its own policy inside the scope: its `origins` win, the
/// rest (credentials, exposed headers) comes from the scope.
#[cors(origins = ["https://admin.example"])]
#[post("/admin/orders")]
async fn admin_orders() -> HttpResponse {
    HttpResponse::Created().insert_header(("x-total", "1")).finish()
}

/// What ran on the server: handlers, the scope's middleware, its default.
#[derive(Clone, Default)]
struct Runs {
    handler: Arc<AtomicUsize>,
    middleware: Arc<AtomicUsize>,
    default: Arc<AtomicUsize>,
}

impl Runs {
    fn total(&self) -> usize {
        [&self.handler, &self.middleware, &self.default].iter().map(|c| c.load(Ordering::SeqCst)).sum()
    }
}

fn counted(counter: &Arc<AtomicUsize>, status: u16) -> actix_web::Route {
    let counter = counter.clone();
    web::route().to(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async move { HttpResponse::build(StatusCode::from_u16(status).unwrap()).insert_header(("x-total", "7")).finish() }
    })
}

/// `/api`: a scope for `https://app.example` with credentials, behind an
/// "auth" middleware that answers 401 without `authorization`, with a
/// plain route, a failing route, a `#[cors]` route and a default service.
fn api_scope(runs: &Runs) -> impl HttpServiceFactory {
    let middleware = runs.middleware.clone();
    CorsScope::new(
        "/api",
        cors_policy!(
            origins = ["https://app.example"],
            credentials = true,
            methods = [GET, PUT],
            expose_headers = ["x-total"],
        ),
    )
    .route("/items", counted(&runs.handler, 200).method(Method::GET))
    .route("/fails", web::get().to(|| async { Err::<HttpResponse, _>(actix_web::error::ErrorConflict("taken")) }))
    .service(admin_orders)
    .default_service(counted(&runs.default, 404))
    .wrap_fn(move |req, srv| {
        middleware.fetch_add(1, Ordering::SeqCst);
        let call = match req.headers().contains_key("authorization") {
            true => Ok(srv.call(req)),
            false => Err(req.into_response(HttpResponse::Unauthorized().finish())),
        };
        async move {
            match call {
                Ok(fut) => fut.await,
                Err(res) => Ok(res),
            }
        }
    })
}

fn preflight<'a>(origin: &'a str, method: &'a str) -> [(&'a str, &'a str); 2] {
    [("origin", origin), ("access-control-request-method", method)]
}

fn acao(h: &[(String, String)]) -> Option<&str> {
    header(h, "access-control-allow-origin")
}

fn acac(h: &[(String, String)]) -> Option<&str> {
    header(h, "access-control-allow-credentials")
}

/// The scope's answers, under a global and without one: the same, since
/// the global here adds nothing the scope does not set.
fn check_api_scope(server: &Server, runs: &Runs) {
    let addr = server.addr;
    let before = runs.total();
    // Preflights for a plain route, for a path no route takes, and for
    // the `#[cors]` route: answered by the scope's policy (the route's for
    // the route), before the auth middleware, the handlers and the default
    // service.
    let (code, h) = send(addr, "OPTIONS", "/api/items", &preflight(APP, "PUT"));
    assert_eq!((code, acao(&h), acac(&h)), (204, Some(APP), Some("true")), "{h:?}");
    assert_eq!(header(&h, "access-control-allow-methods"), Some("GET, PUT"), "{h:?}");
    let (code, h) = send(addr, "OPTIONS", "/api/nowhere", &preflight(APP, "GET"));
    assert_eq!((code, acao(&h)), (204, Some(APP)));
    let (code, h) = send(addr, "OPTIONS", "/api/items", &preflight(OTHER, "GET"));
    assert_eq!((code, acao(&h)), (403, None));
    let (code, h) = send(addr, "OPTIONS", "/api/items", &preflight(APP, "DELETE"));
    assert_eq!((code, acao(&h)), (403, None), "the scope's methods");
    let (code, h) = send(addr, "OPTIONS", "/api/admin/orders", &preflight(ADMIN, "POST"));
    assert_eq!((code, acao(&h), acac(&h)), (204, Some(ADMIN), Some("true")), "route > scope, credentials inherited");
    let (code, _) = send(addr, "OPTIONS", "/api/admin/orders", &preflight(APP, "POST"));
    assert_eq!(code, 403, "the route's origins replace the scope's");
    // a method the route does not take: not the route's preflight, the scope's
    let (code, h) = send(addr, "OPTIONS", "/api/admin/orders", &preflight(APP, "PUT"));
    assert_eq!((code, acao(&h)), (204, Some(APP)));
    let (code, _) = send(addr, "OPTIONS", "/api/admin/orders", &preflight(ADMIN, "PUT"));
    assert_eq!(code, 403);
    assert_eq!(runs.total(), before, "no handler, middleware or default service ran for a preflight");

    // Actual requests: the handler's response, the middleware's 401, the
    // default service's 404 and an error all carry the scope's headers.
    let auth = ("authorization", "yes");
    let (code, h) = send(addr, "GET", "/api/items", &[("origin", APP), auth]);
    assert_eq!((code, acao(&h), acac(&h)), (200, Some(APP), Some("true")));
    assert_eq!(header(&h, "access-control-expose-headers"), Some("x-total"));
    let (code, h) = send(addr, "GET", "/api/items", &[("origin", APP)]);
    assert_eq!((code, acao(&h)), (401, Some(APP)), "the scope middleware's answer");
    let (code, h) = send(addr, "GET", "/api/nowhere", &[("origin", APP), auth]);
    assert_eq!((code, acao(&h)), (404, Some(APP)), "the scope's default service");
    let (code, h) = send(addr, "GET", "/api/fails", &[("origin", APP), auth]);
    assert_eq!((code, acao(&h)), (409, Some(APP)), "a handler's error");
    let (code, h) = send(addr, "GET", "/api/items", &[("origin", OTHER), auth]);
    assert_eq!((code, acao(&h)), (200, None), "a refused origin gets no CORS headers");
    assert!(header(&h, "vary").is_some_and(|v| v.to_ascii_lowercase().contains("origin")));
    let (code, h) = send(addr, "POST", "/api/admin/orders", &[("origin", ADMIN), auth]);
    assert_eq!((code, acao(&h), acac(&h)), (201, Some(ADMIN), Some("true")));
    assert_eq!(header(&h, "access-control-expose-headers"), Some("x-total"), "inherited from the scope");
    let (code, h) = send(addr, "POST", "/api/admin/orders", &[("origin", APP), auth]);
    assert_eq!((code, acao(&h)), (201, None));
    assert_eq!(runs.default.load(Ordering::SeqCst), 1);
}

#[test]
fn a_scope_policy_covers_every_route_inside_under_a_global() {
    let runs = Runs::default();
    let app_runs = runs.clone();
    let server = serve!(move || App::new()
        .wrap(Cors::new(cors_policy!(origins = "*", methods = [GET])))
        .service(api_scope(&app_runs))
        .route("/public", web::get().to(HttpResponse::Ok)));
    check_api_scope(&server, &runs);
    // outside the scope: the global policy
    let (code, h) = send(server.addr, "GET", "/public", &[("origin", OTHER)]);
    assert_eq!((code, acao(&h), acac(&h)), (200, Some("*"), None));
    let (code, h) = send(server.addr, "OPTIONS", "/public", &preflight(APP, "GET"));
    assert_eq!((code, acao(&h)), (204, Some("*")));
    // a path that only starts like the scope's is not in it
    let (code, h) = send(server.addr, "GET", "/apiary", &[("origin", OTHER)]);
    assert_eq!((code, acao(&h)), (404, Some("*")));
}

#[test]
fn a_scope_policy_works_without_a_global() {
    let runs = Runs::default();
    let app_runs = runs.clone();
    let server =
        serve!(move || App::new().service(api_scope(&app_runs)).route("/public", web::get().to(HttpResponse::Ok)));
    check_api_scope(&server, &runs);
    // outside the scope: no policy, no CORS headers
    let (code, h) = send(server.addr, "GET", "/public", &[("origin", APP)]);
    assert_eq!((code, acao(&h)), (200, None));
}

/// `reject = true` in a scope: 403 before its middleware and handlers.
#[test]
fn a_rejecting_scope_answers_before_its_middleware() {
    let runs = Arc::new(AtomicUsize::new(0));
    let seen = runs.clone();
    let server = serve!(move || {
        let seen = seen.clone();
        App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(
            CorsScope::new("/admin", cors_policy!(origins = ["https://admin.example"], reject = true))
                .route("/users", web::delete().to(HttpResponse::NoContent))
                .wrap_fn(move |req, srv| {
                    seen.fetch_add(1, Ordering::SeqCst);
                    srv.call(req)
                }),
        )
    });
    let (code, h) = send(server.addr, "DELETE", "/admin/users", &[("origin", OTHER)]);
    assert_eq!((code, acao(&h)), (403, None));
    assert_eq!(runs.load(Ordering::SeqCst), 0, "refused before the scope's middleware");
    // the scope's `methods` default to the global's (GET, HEAD, POST): a
    // DELETE is not among them, so the preflight is refused
    let (code, _) = send(server.addr, "OPTIONS", "/admin/users", &preflight(ADMIN, "DELETE"));
    assert_eq!(code, 403);
    let (code, h) = send(server.addr, "DELETE", "/admin/users", &[("origin", ADMIN)]);
    assert_eq!((code, acao(&h)), (204, Some(ADMIN)));
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// Scopes nest, inside plain scopes too, with dynamic segments: the
/// innermost scope's keys win, the rest is inherited outwards.
#[test]
fn nested_scopes_inherit_outwards() {
    let server = serve!(|| App::new().wrap(Cors::new(cors_policy!(origins = "*", max_age = 60))).service(
        web::scope("/v1").service(
            CorsScope::new("/t/{tenant}", cors_policy!(origins = ["https://app.example"], credentials = true))
                .route("/orders", web::get().to(HttpResponse::Ok))
                .service(
                    CorsScope::new("/admin", cors_policy!(origins = ["https://admin.example"]))
                        .route("/keys", web::get().to(HttpResponse::Ok)),
                ),
        ),
    ));
    let addr = server.addr;
    let (code, h) = send(addr, "OPTIONS", "/v1/t/acme/orders", &preflight(APP, "GET"));
    assert_eq!((code, acao(&h), acac(&h)), (204, Some(APP), Some("true")));
    assert_eq!(header(&h, "access-control-max-age"), Some("60"), "inherited from the global");
    let (code, h) = send(addr, "OPTIONS", "/v1/t/acme/admin/keys", &preflight(ADMIN, "GET"));
    assert_eq!((code, acao(&h), acac(&h)), (204, Some(ADMIN), Some("true")), "inner origins, outer credentials");
    let (code, _) = send(addr, "OPTIONS", "/v1/t/acme/admin/keys", &preflight(APP, "GET"));
    assert_eq!(code, 403);
    let (code, h) = send(addr, "GET", "/v1/t/acme/admin/keys", &[("origin", ADMIN)]);
    assert_eq!((code, acao(&h)), (200, Some(ADMIN)));
    let (code, h) = send(addr, "GET", "/v1/t/acme/orders", &[("origin", ADMIN)]);
    assert_eq!((code, acao(&h)), (200, None));
    let (code, h) = send(addr, "GET", "/v1/other", &[("origin", ADMIN)]);
    assert_eq!((code, acao(&h)), (404, Some("*")), "outside the scopes: the global");
}

/// A request the scope's guard refuses is not the scope's: it goes on to
/// the next service, with that one's policy.
#[test]
fn a_scope_guard_decides_which_requests_are_the_scopes() {
    let server = serve!(|| App::new()
        .wrap(Cors::new(cors_policy!(origins = "*")))
        .service(
            CorsScope::new("/v2", cors_policy!(origins = ["https://app.example"]))
                .guard(guard::Header("x-version", "2"))
                .route("/items", web::get().to(HttpResponse::Ok)),
        )
        .route("/v2/items", web::get().to(HttpResponse::Accepted)));
    let (code, h) = send(server.addr, "GET", "/v2/items", &[("origin", APP), ("x-version", "2")]);
    assert_eq!((code, acao(&h)), (200, Some(APP)));
    let (code, h) = send(server.addr, "GET", "/v2/items", &[("origin", OTHER)]);
    assert_eq!((code, acao(&h)), (202, Some("*")), "not the scope's request: the global policy");
}

/// Two apps in one process: one scope's policy never reaches the other
/// app, which has a plain scope at the same path.
#[test]
fn two_apps_keep_their_scopes_apart() {
    let scoped = serve!(|| App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(
        CorsScope::new("/api", cors_policy!(origins = ["https://app.example"]))
            .route("/x", web::get().to(HttpResponse::Ok)),
    ));
    let plain = serve!(|| App::new()
        .wrap(Cors::new(cors_policy!(origins = ["https://other.example"])))
        .service(web::scope("/api").route("/x", web::get().to(HttpResponse::Ok))));
    for _ in 0..3 {
        let (_, h) = send(scoped.addr, "GET", "/api/x", &[("origin", APP)]);
        assert_eq!(acao(&h), Some(APP));
        let (_, h) = send(plain.addr, "GET", "/api/x", &[("origin", APP)]);
        assert_eq!(acao(&h), None);
        let (_, h) = send(plain.addr, "GET", "/api/x", &[("origin", OTHER)]);
        assert_eq!(acao(&h), Some(OTHER));
    }
}

/// The start-up check covers scopes and the routes inside them, and a
/// reload checks them again: a global that makes a scope (or a route in
/// it) invalid is refused, naming it.
#[actix_web::test]
async fn scopes_are_checked_at_start_up_and_on_reload() {
    let scope = || {
        CorsScope::new("/api", CorsPolicy::builder().credentials(true).build_spec().unwrap())
            .name("api")
            .route("/x", web::get().to(HttpResponse::Ok))
    };
    // credentials under `origins = "*"`: the app does not start
    let app = App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(scope());
    let started = app.into_factory().new_service(actix_web::dev::AppConfig::default()).await;
    assert!(started.is_err(), "an invalid scope stops the app");

    let listed = CorsPolicy::builder().origins([APP]).build().unwrap();
    let (cors, handle) = Cors::reloadable(listed);
    let app = actix_web::test::init_service(App::new().wrap(cors).service(scope())).await;
    let req = actix_web::test::TestRequest::get().uri("/api/x").insert_header(("origin", APP)).to_request();
    let res = actix_web::test::call_service(&app, req).await;
    assert_eq!(res.headers().get("access-control-allow-credentials").unwrap(), "true");

    let errors = handle.replace(CorsPolicy::builder().origins(["*"]).build().unwrap()).unwrap_err();
    let names: Vec<_> = errors.routes.iter().map(|r| (r.route.handler.to_string(), r.path.clone())).collect();
    assert_eq!(names, [("api".to_owned(), "/api".to_owned())], "{errors}");
    // a global the scope stays valid under: the scope inherits its origins at once
    handle.replace(CorsPolicy::builder().origins([OTHER]).build().unwrap()).unwrap();
    let req = actix_web::test::TestRequest::get().uri("/api/x").insert_header(("origin", OTHER)).to_request();
    let res = actix_web::test::call_service(&app, req).await;
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), OTHER);
}

/// `cors_actix::routes` lists a started app's scope layers, and the
/// `#[cors]` routes inside them with their full paths and their policies
/// merged over the scope's.
#[actix_web::test]
async fn routes_lists_the_scope_layer() {
    let global = CorsPolicy::builder().origins(["*"]).build().unwrap();
    let app = App::new().wrap(Cors::new(global.clone())).service(api_scope(&Runs::default()));
    let _app = actix_web::test::init_service(app).await;
    let routes = cors_actix::routes(Some(&global));
    let scope = routes.iter().find(|r| r.route.handler == "scope /api").expect("the scope is listed");
    assert_eq!((scope.path.as_str(), &scope.route.methods[..]), ("/api", &["*".into()][..]));
    let policy = scope.effective.as_ref().unwrap();
    assert!(policy.credentials() && policy.allows_origin(APP.as_bytes()) && !policy.allows_origin(OTHER.as_bytes()));
    assert!(scope.to_string().starts_with("* /api -> scope /api (tests/scope.rs:"), "{scope}");
    let route = routes.iter().find(|r| r.route.handler == "admin_orders").unwrap();
    assert_eq!(route.path, "/api/admin/orders");
    let policy = route.effective.as_ref().unwrap();
    assert!(policy.credentials(), "inherited from the scope");
    assert!(policy.allows_origin(ADMIN.as_bytes()) && !policy.allows_origin(APP.as_bytes()));
    assert_eq!(routes.iter().filter(|r| r.route.handler == "admin_orders").count(), 1, "listed once, in its scope");
}

/// Odd shapes inside a scope: a catch-all, an `OPTIONS` route of the
/// user's, and a scope at the empty path around everything. No preflight
/// reaches a handler; plain `OPTIONS` requests still do.
#[test]
fn odd_shapes_inside_a_scope() {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let server = serve!(move || {
        let (options, catch_all) = (counter.clone(), counter.clone());
        App::new().service(
            CorsScope::new("", cors_policy!(origins = ["https://app.example"], methods = [GET, PUT]))
                .route("/x", web::get().to(HttpResponse::Ok))
                .route(
                    "/x",
                    web::method(Method::OPTIONS).to(move || {
                        options.fetch_add(1, Ordering::SeqCst);
                        async { HttpResponse::Ok().insert_header(("allow", "GET, OPTIONS")).finish() }
                    }),
                )
                .route(
                    "/{tail:.*}",
                    web::route().to(move || {
                        catch_all.fetch_add(1, Ordering::SeqCst);
                        async { HttpResponse::NotFound().finish() }
                    }),
                ),
        )
    });
    let addr = server.addr;
    for path in ["/x", "/deep/path", "/"] {
        let (code, h) = send(addr, "OPTIONS", path, &preflight(APP, "PUT"));
        assert_eq!((code, acao(&h)), (204, Some(APP)), "{path}");
        let (code, h) = send(addr, "OPTIONS", path, &preflight(OTHER, "PUT"));
        assert_eq!((code, acao(&h)), (403, None), "{path}");
    }
    assert_eq!(runs.load(Ordering::SeqCst), 0, "no preflight reached a handler");
    let (code, h) = send(addr, "OPTIONS", "/x", &[("origin", APP)]);
    assert_eq!((code, header(&h, "allow"), acao(&h)), (200, Some("GET, OPTIONS"), Some(APP)), "not a preflight");
    let (code, h) = send(addr, "DELETE", "/anything", &[("origin", APP)]);
    assert_eq!((code, acao(&h)), (404, Some(APP)));
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

/// An `off` scope: nothing inside gets CORS headers, even under a global
/// that would allow the origin, and its preflights are refused.
#[actix_web::test]
async fn an_off_scope_has_no_cors_inside() {
    let off = CorsPolicy::builder().off().build_spec().unwrap();
    let app = actix_web::test::init_service(
        App::new()
            .wrap(Cors::new(cors_policy!(origins = "*")))
            .service(CorsScope::new("/internal", off).route("/metrics", web::get().to(HttpResponse::Ok)))
            .route("/public", web::get().to(HttpResponse::Ok)),
    )
    .await;
    let get = |path: &str| actix_web::test::TestRequest::get().uri(path).insert_header(("origin", APP)).to_request();
    let res = actix_web::test::call_service(&app, get("/internal/metrics")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().keys().all(|k| !k.as_str().starts_with("access-control-")), "{:?}", res.headers());
    let preflight = actix_web::test::TestRequest::default()
        .method(Method::OPTIONS)
        .uri("/internal/metrics")
        .insert_header(("origin", APP))
        .insert_header(("access-control-request-method", "GET"))
        .to_request();
    let res = actix_web::test::call_service(&app, preflight).await;
    assert!(res.headers().get("access-control-allow-origin").is_none(), "{:?}", res.headers());
    assert_ne!(res.status(), 204);
    let res = actix_web::test::call_service(&app, get("/public")).await;
    assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*", "outside the scope: the global");
}
