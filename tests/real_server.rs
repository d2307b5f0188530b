//! Real servers on 127.0.0.1, attacked with raw HTTP/1.1 requests: every
//! handler, `default_service` and scope middleware counts its calls, and
//! after preflights and refused requests every counter is still 0. Two
//! servers run side by side in this process (one with a global `Cors`,
//! one with only a credentialed `#[cors]` route) and neither changes the
//! other's answers. Each app is built on two workers.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Next};
use actix_web::{get, post, web, App, HttpServer, Responder};
use cors_actix::{cors, cors_policy, Cors, CorsPolicy, CorsResource};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

#[macro_use]
#[path = "support/server.rs"]
mod server;
use server::{header, send, Server};

#[macro_use]
#[path = "support/http.rs"]
mod http;
use http::{hit, APP, EVIL};

const PARTNER: &str = "https://partner.example";

counters!(CATCH_ALL, APP_DEFAULT, SCOPE_DEFAULT, AUTH, HAND_BUILT, OTHER_CATCH_ALL);

counted! {
    #[post("/transfer")]
    async fn transfer => TRANSFER;

    #[cors(origins = ["https://partner.example"], credentials, allow_headers = ["authorization"])]
    #[post("/secure")]
    async fn secure => SECURE;

    #[cors(origins = ["https://partner.example"])]
    #[get("/partner")]
    async fn partner_route => PARTNER_ROUTE;

    #[cors(origins = ["https://partner.example"], credentials)]
    #[get("/credentialed")]
    async fn credentialed => CREDENTIALED;
}

async fn auth(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    AUTH.fetch_add(1, Ordering::SeqCst);
    if req.headers().contains_key("authorization") {
        next.call(req).await
    } else {
        Err(actix_web::error::ErrorUnauthorized("no credentials"))
    }
}

fn has_access_control(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(n, _)| n.starts_with("access-control-"))
}

fn preflight(addr: SocketAddr, path: &str, origin: &str, method: &str) -> (u16, Vec<(String, String)>) {
    send(addr, "OPTIONS", path, &[("origin", origin), ("access-control-request-method", method)])
}

fn guarded_app() -> App<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let hand_built = CorsPolicy::builder().origins([PARTNER]).build_spec().unwrap();
    App::new()
        .wrap(Cors::new(cors_policy!(origins = ["https://app.example"], reject = true)))
        .service(transfer)
        .service(partner_route)
        .service(
            web::scope("/api")
                .wrap(from_fn(auth))
                .service(secure)
                .default_service(web::to(|| async { hit(&SCOPE_DEFAULT) })),
        )
        .service(CorsResource::new("/hand/{id}", hand_built).put(|| async { hit(&HAND_BUILT) }))
        .service(web::resource("/{tail:.*}").to(|| async { hit(&CATCH_ALL) }))
        .default_service(web::to(|| async { hit(&APP_DEFAULT) }))
}

#[test]
fn no_user_code_runs_for_preflights_or_refused_requests_on_a_real_server() {
    let guarded = serve!(guarded_app);
    // A second server in the same process, built at the same time: a
    // global `*` and a catch-all, no routes of its own.
    let other = serve!(|| {
        App::new()
            .wrap(Cors::new(cors_policy!(origins = "*")))
            .service(web::resource("/{tail:.*}").to(|| async { hit(&OTHER_CATCH_ALL) }))
    });
    // A third with only a credentialed route and no global.
    let routes_only = serve!(|| App::new().service(credentialed));
    let addr = guarded.addr;

    // Several rounds, so both workers of each server answer.
    for _ in 0..4 {
        for path in ["/transfer", "/partner", "/api/secure", "/api/missing", "/hand/7", "/anything", "/deep/path"] {
            for origin in [APP, EVIL, PARTNER] {
                for method in ["GET", "POST", "PUT", "DELETE"] {
                    let (status, headers) = preflight(addr, path, origin, method);
                    assert!(status == 204 || status == 403, "{path} {origin} {method}: {status}");
                    if status == 403 {
                        assert!(!has_access_control(&headers), "{path} {origin} {method}");
                    }
                }
            }
            // Refused actual requests: the global rejects EVIL everywhere
            // except where a route's own policy has its say.
            for method in ["GET", "POST", "PUT"] {
                let (status, _) = send(addr, method, path, &[("origin", EVIL)]);
                assert_eq!(status, 403, "{method} {path} from a refused origin");
            }
        }
        // The other server answers with its own policy, B's routes unseen.
        let (status, headers) = preflight(other.addr, "/credentialed", PARTNER, "GET");
        assert_eq!(status, 204);
        assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));
        assert_eq!(header(&headers, "access-control-allow-credentials"), None);
        let (status, headers) = preflight(routes_only.addr, "/credentialed", PARTNER, "GET");
        assert_eq!(status, 204);
        assert_eq!(header(&headers, "access-control-allow-credentials"), Some("true"));
    }
    for (name, counter) in [
        ("catch-all", &CATCH_ALL),
        ("app default_service", &APP_DEFAULT),
        ("scope default_service", &SCOPE_DEFAULT),
        ("auth middleware", &AUTH),
        ("secure route", &SECURE),
        ("transfer (global reject)", &TRANSFER),
        ("partner route", &PARTNER_ROUTE),
        ("hand-built route", &HAND_BUILT),
        ("other server's catch-all", &OTHER_CATCH_ALL),
        ("credentialed route", &CREDENTIALED),
    ] {
        assert_eq!(counter.load(Ordering::SeqCst), 0, "{name} ran for a preflight or a refused request");
    }

    // The route policies answer their own preflights.
    let (_, headers) = preflight(addr, "/api/secure", PARTNER, "POST");
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(PARTNER));
    assert_eq!(header(&headers, "access-control-allow-credentials"), Some("true"));
    let (status, _) = preflight(addr, "/api/secure", APP, "POST");
    assert_eq!(status, 403, "the route's origins, not the global's");
    let (_, headers) = preflight(addr, "/hand/7", PARTNER, "PUT");
    assert_eq!(header(&headers, "access-control-allow-origin"), Some(PARTNER));

    // Allowed requests still reach their handlers, decorated.
    let (status, headers) = send(addr, "GET", "/partner", &[("origin", PARTNER)]);
    assert_eq!((status, header(&headers, "access-control-allow-origin")), (200, Some(PARTNER)));
    let (status, headers) = send(addr, "POST", "/transfer", &[("origin", APP)]);
    assert_eq!((status, header(&headers, "access-control-allow-origin")), (200, Some(APP)));
    // The auth layer's 401 on the route carries the route's headers.
    let (status, headers) = send(addr, "POST", "/api/secure", &[("origin", PARTNER)]);
    assert_eq!((status, header(&headers, "access-control-allow-origin")), (401, Some(PARTNER)));
    assert_eq!(counter_sum(&[&PARTNER_ROUTE, &TRANSFER]), 2);
    drop((guarded, other, routes_only));
}

fn counter_sum(counters: &[&AtomicUsize]) -> usize {
    counters.iter().map(|c| c.load(Ordering::SeqCst)).sum()
}

#[cors(credentials)]
#[get("/conflicting")]
async fn conflicting() -> impl Responder {
    "never"
}

#[test]
fn a_bound_server_with_an_invalid_route_policy_does_not_start() {
    let result = std::thread::spawn(|| {
        actix_web::rt::System::new().block_on(async {
            let server = HttpServer::new(|| {
                App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(web::scope("/api").service(conflicting))
            })
            .workers(1)
            .bind(("127.0.0.1", 0))?
            .run();
            let handle = server.handle();
            // A server that started would run until stopped.
            actix_web::rt::spawn(async move {
                actix_web::rt::time::sleep(Duration::from_secs(10)).await;
                handle.stop(false).await;
            });
            server.await
        })
    })
    .join()
    .expect("the server thread");
    assert!(result.is_err(), "the server must refuse to start, got {result:?}");
}
