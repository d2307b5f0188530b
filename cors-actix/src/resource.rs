//! [`CorsResource`]: the non-macro way to give a hand-registered resource
//! its own policy, with the same mechanism as `#[cors]` (see `route.rs`).

use crate::meta::Declared;
use crate::route::register_resource;
use crate::routing::RouteEntry;
use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::Method;
use actix_web::web;
use cors_core::PolicySpec;
use std::borrow::Cow;

/// `CorsResource::get(handler)` and its siblings: a route for one method.
macro_rules! handlers {
    ($($name:ident => $method:ident,)*) => {$(
        #[doc = concat!("Adds a `", stringify!($method), "` handler.")]
        pub fn $name<F, Args>(self, handler: F) -> Self
        where
            F: actix_web::Handler<Args>,
            Args: actix_web::FromRequest + 'static,
            F::Output: actix_web::Responder + 'static,
        {
            self.route(Method::$method, web::route().to(handler))
        }
    )*};
}

/// A resource with its own CORS policy, for routes registered by hand
/// (the non-macro equivalent of `#[cors]`).
///
/// ```
/// use actix_web::{test, App, HttpResponse};
/// use cors_actix::{CorsPolicy, CorsResource};
///
/// async fn update() -> HttpResponse { HttpResponse::Ok().finish() }
///
/// # actix_web::rt::System::new().block_on(async {
/// let policy = CorsPolicy::builder().origins(["https://app.example"]).allow_headers(["content-type"]).build_spec()?;
/// let app = test::init_service(App::new().service(CorsResource::new("/items/{id}", policy).put(update))).await;
///
/// let preflight = test::TestRequest::default()
///     .method(actix_web::http::Method::OPTIONS)
///     .uri("/items/7")
///     .insert_header(("origin", "https://app.example"))
///     .insert_header(("access-control-request-method", "PUT"))
///     .insert_header(("access-control-request-headers", "content-type"))
///     .to_request();
/// let res = test::call_service(&app, preflight).await;
/// assert_eq!(res.status(), 204);
/// assert_eq!(res.headers().get("access-control-allow-methods").unwrap(), "PUT");
/// # Ok::<(), cors_actix::PolicyError>(())
/// # }).unwrap();
/// ```
#[must_use = "a resource does nothing until passed to `App::service`"]
pub struct CorsResource {
    declared: Declared,
    methods: Vec<Cow<'static, str>>,
    resource: actix_web::Resource,
}

impl CorsResource {
    /// A resource at `path` (as for `web::resource`) with a route policy:
    /// the keys it sets win over the global `Cors`, the others are
    /// inherited. Build one with `CorsPolicy::builder()...build_spec()`,
    /// `cors_policy!(...).spec().clone()`, or pass a `CorsPolicy`.
    #[track_caller]
    pub fn new(path: impl Into<String>, policy: impl Into<PolicySpec>) -> Self {
        let path = path.into();
        CorsResource {
            resource: web::resource(path.clone()),
            declared: Declared::here(path.clone(), path, policy.into()),
            methods: Vec::new(),
        }
    }

    /// Names the route in logs and introspection (defaults to the path).
    pub fn name(mut self, label: impl Into<String>) -> Self {
        self.declared.label = label.into();
        self
    }

    /// Adds a route for `method`, handled by `route` (e.g. `web::route().to(h)`).
    pub fn route(mut self, method: Method, route: actix_web::Route) -> Self {
        self.resource = self.resource.route(route.method(method.clone()));
        self.methods.push(Cow::Owned(method.as_str().to_owned()));
        self
    }

    handlers! {
        get => GET,
        post => POST,
        put => PUT,
        patch => PATCH,
        delete => DELETE,
    }
}

impl HttpServiceFactory for CorsResource {
    fn register(self, config: &mut AppService) {
        let entry = RouteEntry::new(self.declared.meta(Cow::Owned(self.methods)), config);
        // Like actix's `#[get]`, guard the resource itself by its methods,
        // so the router goes on to the next resource with the same path
        // (another method's) instead of answering 405.
        let resource =
            if entry.methods.is_empty() { self.resource } else { self.resource.guard(OneOf(entry.methods.clone())) };
        register_resource(config, entry, resource);
    }
}

/// The resource-level method guard: a plain comparison. (actix's method
/// guards also record every method they see in the request's extensions,
/// for the `Allow` header of a 405 inside the resource, which costs an
/// allocation per check; the routes inside keep their own method guards,
/// and with them that 405.)
struct OneOf(Vec<Method>);

impl Guard for OneOf {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        self.0.contains(&ctx.head().method)
    }
}
