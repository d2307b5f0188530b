//! Per-route, compile-time validated CORS for [actix-web](https://docs.rs/actix-web).
//!
//! Declare a policy on a handler with `#[cors(...)]` above its actix route
//! attribute, set a global default with [`Cors`], and get compile errors
//! for policies that can never work or are dangerous.
//!
//! ```
//! use actix_web::{get, post, test, App, Responder};
//! use cors_actix::{cors, cors_policy, Cors};
//!
//! #[cors(
//!     origins = ["https://app.example.com"],
//!     credentials = true,
//!     allow_headers = ["content-type"],
//! )]
//! #[post("/orders")]
//! async fn create_order() -> impl Responder { "created" }
//!
//! #[get("/health")] // no attribute: the global default applies
//! async fn health() -> impl Responder { "ok" }
//!
//! # actix_web::rt::System::new().block_on(async {
//! let app = test::init_service(
//!     App::new()
//!         .wrap(Cors::new(cors_policy!(origins = "*", methods = [GET, HEAD])))
//!         .service(create_order)
//!         .service(health),
//! ).await;
//! let req = test::TestRequest::post()
//!     .uri("/orders")
//!     .insert_header(("origin", "https://app.example.com"))
//!     .to_request();
//! let res = test::call_service(&app, req).await;
//! let header = |name| res.headers().get(name).unwrap();
//! assert_eq!(header("access-control-allow-origin"), "https://app.example.com");
//! assert_eq!(header("access-control-allow-credentials"), "true");
//! # });
//! ```
//!
//! Where to go next:
//! - [`cors`] and [`cors_policy!`]: the keys and the compile errors;
//! - [`Cors`]: the global default, start-up checks, how preflights find
//!   their policy, `debug_reasons` and `record_rejections`;
//! - [`CorsResource`]: per-route policies for hand-registered resources;
//! - [`CorsScope`]: one policy for every route of a `web::scope`;
//! - [`CorsPolicy::builder`] and `PolicyConfig` (feature `serde`): policies
//!   from the environment or a config file, errors as values;
//! - [`routes`] and [`Cors::check_routes`]: every route's effective policy;
//! - [`test::Browser`]: assert what a browser would allow, in a unit test.
#![deny(missing_docs)]

/// The actix plumbing of a layer that answers some requests itself (with a
/// boxed body) and hands the others to the service it wraps (with that
/// service's body), written once for every such layer:
/// - the layer's `Transform`, served by the layer's own `build`, which
///   makes one worker's service (or refuses to start it);
/// - that service's `Service`, served by its own `handle`, whose future
///   `$future` is written in terms of the wrapped service `S` and its body
///   `B`.
macro_rules! either_body_layer {
    ($layer:ty => $service:ident, future: $future:ty) => {
        impl<S> actix_service::Transform<S, actix_web::dev::ServiceRequest> for $layer
        where
            $service<S>: actix_service::Service<actix_web::dev::ServiceRequest, Error = actix_web::Error>,
        {
            type Response = <$service<S> as actix_service::Service<actix_web::dev::ServiceRequest>>::Response;
            type Error = actix_web::Error;
            type Transform = $service<S>;
            type InitError = ();
            type Future = std::future::Ready<Result<$service<S>, ()>>;

            fn new_transform(&self, service: S) -> Self::Future {
                std::future::ready(self.build(service))
            }
        }

        impl<S, B> actix_service::Service<actix_web::dev::ServiceRequest> for $service<S>
        where
            S: actix_service::Service<
                    actix_web::dev::ServiceRequest,
                    Response = actix_web::dev::ServiceResponse<B>,
                    Error = actix_web::Error,
                > + 'static,
            B: actix_web::body::MessageBody + 'static,
        {
            type Response = actix_web::dev::ServiceResponse<actix_web::body::EitherBody<B>>;
            type Error = actix_web::Error;
            type Future = $future;

            actix_service::forward_ready!(service);

            fn call(&self, req: actix_web::dev::ServiceRequest) -> Self::Future {
                self.handle(req)
            }
        }
    };
}

mod compiled;
mod global;
mod introspect;
mod meta;
mod origin_fn;
mod origin_guard;
mod policies;
mod request;
mod resource;
mod respond;
mod route;
mod routing;
mod scope;
pub mod test;

/// A policy read from configuration (TOML, JSON, environment), checked by the same rules.
#[cfg(feature = "serde")]
pub use cors_core::PolicyConfig;
pub use cors_core::{CorsPolicy, PolicyBuilder, PolicyError, Problem, ProblemKind, Rejection};
pub use cors_core::{NameList, OriginEntry, OriginPattern, Origins, PolicyKey, PolicySpec, PortPattern, Text};
/// A policy's keys as plain data (what `#[cors]` and the builder produce,
/// or what you build by hand), with the types of its fields.
pub use cors_core::{OriginFn, RequestOrigin, RequestView};
pub use cors_macros::{cors, cors_policy};
pub use global::Cors;
pub use introspect::{routes, RouteErrors, RouteInfo};
pub use meta::RouteMeta;
pub use origin_fn::origin_fn;
pub use origin_guard::{AllowedOrigin, OriginGuard};
pub use policies::CorsHandle;
pub use resource::CorsResource;
pub use scope::CorsScope;

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// Items used by code the macros generate. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::global::{CorsFuture, CorsMiddleware};
    pub use crate::introspect::LinkedRoute;
    pub use crate::origin_fn::call as call_origin_fn;
    pub use crate::route::{not_a_preflight, register_route, RouteCors, RouteCorsService, RouteFuture};
    pub use actix_web;
    pub use actix_web::dev::{AppService, HttpServiceFactory};
    pub use inventory;
    pub use std::borrow::Cow;

    /// Builds the policy of `cors_policy!` from its compile-time-checked
    /// spec. The spec went through the same checks when the macro ran, so
    /// they cannot fail here; a failure is a bug in cors-macros.
    pub fn policy_from_static(spec: &'static crate::PolicySpec) -> crate::CorsPolicy {
        crate::CorsPolicy::from_spec(spec.clone(), None)
            .unwrap_or_else(|e| panic!("cors_policy! emitted a spec cors-core refuses (a bug in cors-macros): {e}"))
    }
}
