//! A route whose merged policy is invalid stops the app before it serves,
//! says why (handler, full path, source location, the rule and its fix),
//! and the same check runs from a unit test. Kept in its own test binary:
//! `check_routes` sees every `#[cors]` route linked into the program, and
//! this one conflicts with every `origins = "*"` global.

use actix_service::{IntoServiceFactory, ServiceFactory};
use actix_web::dev::AppConfig;
use actix_web::{get, web, App, Responder};
use cors_actix::{cors, cors_policy, Cors, ProblemKind};
use std::sync::Mutex;

#[cors(credentials = true, allow_headers = ["content-type"])]
#[get("/conflict")]
async fn conflicting() -> impl Responder {
    "never served"
}

#[test]
fn check_routes_names_the_handler_and_its_location() {
    let err = Cors::new(cors_policy!(origins = "*")).check_routes().unwrap_err();
    assert_eq!(err.routes.len(), 1);
    let route = &err.routes[0];
    assert_eq!(route.route.handler, "conflicting");
    assert!(route.route.file.ends_with("startup_check.rs"), "{}", route.route.file);
    let attribute_line =
        include_str!("startup_check.rs").lines().position(|l| l.starts_with("#[cors(credentials")).unwrap();
    assert_eq!(route.route.line as usize, attribute_line + 1);
    let problem = &route.effective.as_ref().unwrap_err().problems()[0];
    assert_eq!(problem.kind, ProblemKind::CredentialsWithAnyOrigin);
    let text = err.to_string();
    assert!(
        text.contains("`conflicting`") && text.contains(&format!("startup_check.rs:{}", route.route.line)),
        "{text}"
    );
}

#[test]
fn a_compatible_global_passes_the_check() {
    let routes = Cors::new(cors_policy!(origins = ["https://app.example"])).check_routes().unwrap();
    let route = routes.iter().find(|r| r.route.handler == "conflicting").unwrap();
    let policy = route.effective.as_ref().unwrap();
    assert!(policy.credentials());
    assert!(policy.allows_origin(b"https://app.example"));
}

#[test]
fn without_a_global_the_route_lacks_origins() {
    let info = cors_actix::routes(None).into_iter().find(|r| r.route.handler == "conflicting").unwrap();
    assert_eq!(info.effective.unwrap_err().problems()[0].kind, ProblemKind::MissingOrigins);
}

/// Builds the app's service the way the server does when it starts.
async fn start<
    T: IntoServiceFactory<F, actix_http::Request>,
    F: ServiceFactory<actix_http::Request, Config = AppConfig>,
>(
    app: T,
) -> bool {
    app.into_factory().new_service(AppConfig::default()).await.is_ok()
}

#[actix_web::test]
async fn the_app_refuses_to_start_with_a_conflicting_global() {
    let started = start(App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(conflicting)).await;
    assert!(!started, "an invalid merged policy must stop the app before it serves");
}

#[actix_web::test]
async fn the_app_starts_with_a_compatible_global() {
    let global = cors_policy!(origins = ["https://app.example"]);
    assert!(start(App::new().wrap(Cors::new(global)).service(conflicting)).await);
}

/// Keeps the `cors_actix` records of this test binary, to read what the app
/// said when it started or refused to (a refusal also goes to standard
/// error).
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target() == "cors_actix" && metadata.level() <= log::Level::Debug
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            self.0.lock().unwrap_or_else(|e| e.into_inner()).push(record.args().to_string());
        }
    }
    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

fn capture() {
    let _ = log::set_logger(&CAPTURE).map(|()| log::set_max_level(log::LevelFilter::Debug));
}

#[actix_web::test]
async fn the_refusal_names_the_route_its_full_path_location_rule_and_fix() {
    capture();
    let app = App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(web::scope("/api").service(conflicting));
    assert!(!start(app).await);
    let said = CAPTURE.0.lock().unwrap().join("\n");
    let line = include_str!("startup_check.rs").lines().position(|l| l.starts_with("#[cors(credentials")).unwrap() + 1;
    for part in [
        "refusing to start",
        "`conflicting`",
        &format!("startup_check.rs:{line}"),
        "GET /api/conflict",
        "cannot be combined with `credentials`",
        "list the allowed origins",
    ] {
        assert!(said.contains(part), "{part:?} not in {said}");
    }
}

#[actix_web::test]
async fn a_starting_app_lists_its_routes_with_their_full_paths_at_debug_level() {
    capture();
    let global = cors_policy!(origins = ["https://app.example"]);
    assert!(start(App::new().wrap(Cors::new(global)).service(web::scope("/v2").service(conflicting))).await);
    let said = CAPTURE.0.lock().unwrap().join("\n");
    assert!(said.contains("route GET /v2/conflict -> conflicting (") && said.contains("credentials"), "{said}");
}
