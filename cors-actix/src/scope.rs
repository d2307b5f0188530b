//! [`CorsScope`]: a `web::scope` with a policy for every route inside.

use crate::meta::Declared;
use crate::route::RouteCors;
use crate::routing::{scopes, RouteEntry};
use actix_service::{IntoServiceFactory, ServiceFactory};
use actix_web::body::MessageBody;
use actix_web::dev::{AppService, HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::guard::{Guard, GuardContext};
use actix_web::{web, Error, Route, Scope};
use cors_core::PolicySpec;
use std::borrow::Cow;
use std::future::Future;
use std::rc::Rc;

/// A scope with its own CORS policy: `web::scope` with the same services
/// API, whose policy covers every route inside, with a policy of its own
/// or not.
///
/// Precedence is route > scope > global > default: a route inside with its
/// own policy (`#[cors]`, [`CorsResource`](crate::CorsResource), or a
/// nested `CorsScope`) sets what it sets and inherits the rest from the
/// scope; the scope sets what it sets and inherits the rest from the
/// global [`Cors`](crate::Cors). A scope's `methods`, when it sets none,
/// are the global ones (it covers routes it knows nothing of); a route's
/// are its own, as everywhere.
///
/// The scope's policy answers the preflights of every route inside that
/// has no policy of its own (and of paths inside that no route takes), and
/// its headers go on every response from inside, errors and the answers of
/// the scope's own middleware (`wrap`) included. A request the policy
/// refuses with `reject = true` gets 403 before any of the scope's
/// middleware runs. Under a global `Cors` the scope is merged and checked
/// at start-up like every route with its own policy, and listed in the
/// start-up log with its full path.
///
/// ```
/// use actix_web::{http::Method, test, web, App, HttpResponse};
/// use cors_actix::{cors_policy, Cors, CorsScope};
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(
///     App::new()
///         .wrap(Cors::new(cors_policy!(origins = "*")))
///         .service(
///             CorsScope::new("/api", cors_policy!(origins = ["https://app.example"], credentials = true))
///                 .route("/orders", web::post().to(HttpResponse::Created)),
///         ),
/// )
/// .await;
/// let preflight = test::TestRequest::default()
///     .method(Method::OPTIONS)
///     .uri("/api/orders")
///     .insert_header(("origin", "https://app.example"))
///     .insert_header(("access-control-request-method", "POST"))
///     .to_request();
/// let res = test::call_service(&app, preflight).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://app.example");
/// assert_eq!(res.headers().get("access-control-allow-credentials").unwrap(), "true");
/// # });
/// ```
///
/// The scope's guards decide which requests enter it, as for `web::scope`;
/// they are not asked about preflights (browsers send those without the
/// request's own headers).
#[must_use = "a scope does nothing until passed to `App::service`"]
pub struct CorsScope<S = Scope> {
    scope: S,
    declared: Declared,
    guards: Vec<Rc<dyn Guard>>,
}

impl CorsScope {
    /// A scope at `path` (as for `web::scope`) with a policy. Build one
    /// with `cors_policy!(...)`, `CorsPolicy::builder()...build_spec()`,
    /// or pass a `PolicySpec`.
    #[track_caller]
    pub fn new(path: impl Into<String>, policy: impl Into<PolicySpec>) -> CorsScope {
        let path = path.into();
        CorsScope {
            scope: web::scope(&path),
            declared: Declared::here(path.clone(), format!("scope {path}"), policy.into()),
            guards: Vec::new(),
        }
    }
}

impl<T> CorsScope<Scope<T>>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = Error, InitError = ()>,
{
    /// Names the scope in logs and introspection (defaults to
    /// `scope <path>`).
    pub fn name(mut self, label: impl Into<String>) -> Self {
        self.declared.label = label.into();
        self
    }

    fn map<U>(self, f: impl FnOnce(Scope<T>) -> Scope<U>) -> CorsScope<Scope<U>> {
        CorsScope { scope: f(self.scope), declared: self.declared, guards: self.guards }
    }

    /// Adds a guard to the scope, as `Scope::guard`.
    pub fn guard<G: Guard + 'static>(mut self, guard: G) -> Self {
        let guard: Rc<dyn Guard> = Rc::new(guard);
        self.guards.push(guard.clone());
        self.map(|scope| scope.guard(Shared(guard)))
    }

    /// Adds scope-wide data, as `Scope::app_data`.
    pub fn app_data<U: 'static>(self, data: U) -> Self {
        self.map(|scope| scope.app_data(data))
    }

    /// Runs a configuration function on the scope, as `Scope::configure`.
    pub fn configure<F>(self, cfg_fn: F) -> Self
    where
        F: FnOnce(&mut web::ServiceConfig),
    {
        self.map(|scope| scope.configure(cfg_fn))
    }

    /// Registers a service inside the scope, as `Scope::service`.
    pub fn service<F>(self, factory: F) -> Self
    where
        F: HttpServiceFactory + 'static,
    {
        self.map(|scope| scope.service(factory))
    }

    /// Registers a route inside the scope, as `Scope::route`.
    pub fn route(self, path: &str, route: Route) -> Self {
        self.map(|scope| scope.route(path, route))
    }

    /// The scope's default service, as `Scope::default_service`. Its
    /// responses get the scope's headers too; preflights never reach it.
    pub fn default_service<F, U>(self, f: F) -> Self
    where
        F: IntoServiceFactory<U, ServiceRequest>,
        U: ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse, Error = Error> + 'static,
        U::InitError: std::fmt::Debug,
    {
        self.map(|scope| scope.default_service(f))
    }

    /// Wraps the scope's routes in a middleware, as `Scope::wrap`. The
    /// scope's CORS layer stays outside it: preflights and `reject`
    /// refusals are answered before it runs, and its answers get the
    /// scope's headers.
    pub fn wrap<M, B>(
        self,
        mw: M,
    ) -> CorsScope<
        Scope<
            impl ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse<B>, Error = Error, InitError = ()>,
        >,
    >
    where
        M: actix_service::Transform<
                T::Service,
                ServiceRequest,
                Response = ServiceResponse<B>,
                Error = Error,
                InitError = (),
            > + 'static,
        B: MessageBody,
    {
        self.map(|scope| scope.wrap(mw))
    }

    /// Wraps the scope's routes in a function middleware, as
    /// `Scope::wrap_fn` (the scope's CORS layer stays outside it).
    pub fn wrap_fn<F, R, B>(
        self,
        mw: F,
    ) -> CorsScope<
        Scope<
            impl ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse<B>, Error = Error, InitError = ()>,
        >,
    >
    where
        F: Fn(ServiceRequest, &T::Service) -> R + Clone + 'static,
        R: Future<Output = Result<ServiceResponse<B>, Error>>,
        B: MessageBody,
    {
        self.map(|scope| scope.wrap_fn(mw))
    }
}

impl<T, B> HttpServiceFactory for CorsScope<Scope<T>>
where
    T: ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse<B>, Error = Error, InitError = ()>
        + 'static,
    B: MessageBody + 'static,
{
    fn register(self, config: &mut AppService) {
        let entry = RouteEntry::scope(self.declared.meta(Cow::Borrowed(EVERY_METHOD)), config, self.guards);
        // The scope's layer is the outermost of its middleware; everything
        // registered inside the scope is inside it (see `routing.rs`).
        let scope = self.scope.wrap(RouteCors::scope(entry.clone()));
        scopes::within(&entry, || scope.register(config));
        entry.enroll_scope(config);
    }
}

/// What a scope's policy covers, as its introspection shows it.
const EVERY_METHOD: &[Cow<'static, str>] = &[Cow::Borrowed("*")];

/// A guard the scope and its entry share.
struct Shared(Rc<dyn Guard>);

impl Guard for Shared {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        self.0.check(ctx)
    }
}
