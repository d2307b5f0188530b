//! A route with its own policy: how it is registered, its layer
//! ([`RouteCors`]) and its preflight resource.
//!
//! actix's `#[get("/x")]` builds a resource guarded by its method, so an
//! `OPTIONS` preflight never reaches it (nor any `wrap=` on it). Under a
//! global [`Cors`](crate::Cors) that does not matter: the global answers
//! every preflight before routing, with the policy of the route the
//! preflight's method would reach (see `routing.rs`). Without one, a route
//! still answers its own preflights through a *preflight resource*
//! registered after it under the same path, guarded by "OPTIONS + Origin +
//! an `Access-Control-Request-Method` among this route's methods". A
//! route that takes `OPTIONS` refuses preflights (a guard), so it never
//! takes another route's preflight.

use crate::meta::RouteMeta;
use crate::request;
use crate::respond::{self, Decider};
use crate::routing::RouteEntry;
use actix_service::{Service, Transform};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{fn_service, AppService, HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use actix_web::http::Method;
use actix_web::{Error, HttpRequest};
use cors_core::Decision;
use std::cell::RefCell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// The route resource's guard: preflights are never the route's own
/// requests (they belong to the policy, not to a handler).
#[doc(hidden)]
pub fn not_a_preflight(ctx: &GuardContext<'_>) -> bool {
    !is_preflight(ctx)
}

fn is_preflight(ctx: &GuardContext<'_>) -> bool {
    request::is_preflight(ctx.head())
}

/// Matches the preflights a route owns: `OPTIONS` with an `Origin` and one
/// `Access-Control-Request-Method` naming one of the route's methods
/// (compared case-sensitively, as browsers send them).
struct PreflightGuard {
    methods: Vec<Method>,
}

impl Guard for PreflightGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let head = ctx.head();
        if head.method != Method::OPTIONS || !head.headers.contains_key(ORIGIN) {
            return false;
        }
        let mut acrm = head.headers.get_all(ACCESS_CONTROL_REQUEST_METHOD);
        match (acrm.next(), acrm.next()) {
            (Some(m), None) => self.methods.iter().any(|own| own.as_str().as_bytes() == m.as_bytes()),
            _ => false,
        }
    }
}

/// Registers a route's preflight resource (see the module docs) and hands
/// the route to its app's global `Cors`.
fn enroll(config: &mut AppService, entry: &Rc<RouteEntry>) {
    let guard = Box::new(PreflightGuard { methods: entry.methods.clone() });
    let answering = entry.clone();
    let service = fn_service(move |req: ServiceRequest| {
        let entry = answering.clone();
        async move {
            let (http_req, _) = req.into_parts();
            let chosen = entry.policy_for(&http_req);
            let decider = Decider::route(&entry.meta);
            let res = match chosen.policy {
                Ok(policy) => {
                    let decision = policy.decide(http_req.head());
                    decider.answer(&http_req, &policy, &decision, chosen.options)
                }
                Err(e) => respond::misconfigured(decider, e),
            };
            Ok::<_, Error>(ServiceResponse::new(http_req, res))
        }
    });
    entry.enroll(config, guard, service);
}

thread_local! {
    /// The entry of the `#[cors]` route whose actix resource is being
    /// registered right now, for the [`RouteCors`] its attribute builds.
    static REGISTERING: RefCell<Option<Rc<RouteEntry>>> = const { RefCell::new(None) };
}

/// Registers a `#[cors]` route: the actix route itself (its attribute wraps
/// it in [`RouteCors`]) and its preflight resource; the app's global `Cors`
/// adopts it when it is built. Called by generated code.
#[doc(hidden)]
pub fn register_route<F: HttpServiceFactory>(config: &mut AppService, meta: &'static RouteMeta, route: F) {
    let entry = RouteEntry::new(meta.clone(), config);
    // The route first: guarded by its methods (as every actix route
    // attribute is), actual requests stop there without trying the
    // preflight resource.
    let previous = REGISTERING.replace(Some(entry.clone()));
    route.register(config);
    REGISTERING.set(previous);
    enroll(config, &entry);
}

/// Registers a hand-built route (see [`CorsResource`](crate::CorsResource)).
pub(crate) fn register_resource(config: &mut AppService, entry: Rc<RouteEntry>, resource: actix_web::Resource) {
    // Like the attribute: only a resource that takes `OPTIONS` (or every
    // method) needs to be told that preflights are not its own.
    let resource = if entry.methods.is_empty() || entry.methods.contains(&actix_web::http::Method::OPTIONS) {
        resource.guard(actix_web::guard::fn_guard(not_a_preflight))
    } else {
        resource
    };
    resource.wrap(RouteCors { entry: entry.clone() }).register(config);
    enroll(config, &entry);
}

/// The route-level middleware that applies a route's policy to every
/// response of the route, errors included. Generated code passes it to the
/// actix route attribute as `wrap = "..."`.
#[doc(hidden)]
pub struct RouteCors {
    entry: Rc<RouteEntry>,
}

impl RouteCors {
    /// For a `#[cors]` route, while [`register_route`] registers it.
    pub fn new(meta: &'static RouteMeta) -> Self {
        // Outside `register_route` (not reachable from generated code) the
        // route works on its own policy, unknown to any global.
        let entry = REGISTERING.with_borrow(|e| e.clone()).unwrap_or_else(|| RouteEntry::detached(meta.clone()));
        RouteCors { entry }
    }

    /// The layer of a [`CorsScope`](crate::CorsScope), outermost in it.
    pub(crate) fn scope(entry: Rc<RouteEntry>) -> ScopeCors {
        ScopeCors(RouteCors { entry })
    }
}

/// A scope's layer: a route's, over the scope's own middleware with its
/// responses boxed (whatever body that middleware gives them).
pub(crate) struct ScopeCors(RouteCors);

impl<S, B> Transform<S, ServiceRequest> for ScopeCors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = RouteCorsService<Boxed<S>>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        self.0.new_transform(Boxed(service))
    }
}

/// The scope's middleware, its responses boxed.
pub(crate) struct Boxed<S>(S);

type ToBoxed<B> = fn(ServiceResponse<B>) -> ServiceResponse<BoxBody>;

impl<S, B> Service<ServiceRequest> for Boxed<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = futures_util::future::MapOk<S::Future, ToBoxed<B>>;

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        futures_util::TryFutureExt::map_ok(self.0.call(req), boxed as ToBoxed<B>)
    }
}

/// The response with a boxed body. Without middleware of its own a
/// scope's responses are boxed already: they are handed on as they are,
/// instead of being taken apart and rebuilt around the same body (the
/// type test is decided when the layer is compiled).
#[inline(always)]
fn boxed<B: MessageBody + 'static>(res: ServiceResponse<B>) -> ServiceResponse<BoxBody> {
    let mut slot = Some(res);
    let already = (&mut slot as &mut dyn std::any::Any).downcast_mut::<Option<ServiceResponse<BoxBody>>>();
    match (already.and_then(Option::take), slot) {
        (Some(res), _) => res,
        (None, Some(res)) => res.map_into_boxed_body(),
        (None, None) => unreachable!("the response is taken only when its body is boxed already"),
    }
}

// A route's layer is the innermost of its resource (the attribute lists
// it first; `CorsResource` has no other), so its inner service is the
// resource's own, whose responses are boxed.
impl<S> Transform<S, ServiceRequest> for RouteCors
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error> + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Transform = RouteCorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        // The app's resource map is complete now: a scope, or a route in
        // one, knows its full path (for `cors_actix::routes`).
        let entry = &self.entry;
        if entry.scope.is_some() || entry.layers.scopes.is_some() {
            crate::introspect::record_scoped(&entry.meta, &entry.layers, entry.full_pattern());
        }
        ready(Ok(RouteCorsService { service, entry: self.entry.clone() }))
    }
}

/// The service built by [`RouteCors`].
#[doc(hidden)]
pub struct RouteCorsService<S> {
    service: S,
    entry: Rc<RouteEntry>,
}

impl<S> Service<ServiceRequest> for RouteCorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<BoxBody>, Error = Error> + 'static,
{
    type Response = ServiceResponse<BoxBody>;
    type Error = Error;
    type Future = RouteFuture<S::Future>;

    actix_service::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        // The common case first: the app's global `Cors` decided this
        // request with this route's merged policy and decorates its
        // response.
        if self.entry.decided_by_global(req.request()) {
            return RouteFuture::Passthrough { fut: self.service.call(req) };
        }
        let mut answering = &self.entry;
        if self.entry.scope.is_some() {
            // A scope's layer: a request for a route (or scope) with a
            // policy of its own inside goes on to that route's layer; a
            // preflight is answered here, with that route's policy.
            let preflight = request::is_preflight(req.head());
            let method = match preflight {
                true => request::requested_method(req.head()),
                false => req.method().as_str().as_bytes(),
            };
            let path = req.match_info().as_str();
            while let Some(child) = answering.child_for(path, method) {
                if !preflight {
                    return RouteFuture::Passthrough { fut: self.service.call(req) };
                }
                answering = child;
            }
        }
        let chosen = answering.policy_for(req.request());
        if chosen.under_global {
            // The global saw the request without finding this route (or a
            // global wrapped around another scope never saw it): the route
            // decides, and tells the global.
            answering.mark_decided_itself(&req);
        }
        let decider = Decider::route(&answering.meta);
        let policy = match chosen.policy {
            Ok(policy) => policy,
            Err(e) => return RouteFuture::ready(req, respond::misconfigured(decider, e)),
        };
        let (decision, origin) = policy.decide_with_origin(req.head());
        match decision {
            Decision::PreflightAccepted(_)
            | Decision::PreflightRejected(..)
            | Decision::ActualDisallowed { reject: true, .. } => {
                let res = decider.answer(req.request(), &policy, &decision, chosen.options);
                RouteFuture::ready(req, res)
            }
            other => {
                let rejection = other.rejection();
                if let Some(r) = rejection {
                    respond::log_rejection(decider, req.request(), r);
                }
                // A route's layer renders an inner error into a response
                // with the request; a scope's cannot keep a clone of the
                // request (the scope's router needs it unshared) and
                // decorates the error itself instead.
                let http_req = self.entry.scope.is_none().then(|| req.request().clone());
                RouteFuture::Inner {
                    fut: self.service.call(req),
                    http_req,
                    policy,
                    plan: *other.plan(),
                    origin,
                    rejection: rejection.filter(|_| chosen.options.reason_in_extensions),
                }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`RouteCorsService`]; no boxing.
    #[doc(hidden)]
    #[project = RouteFutureProj]
    pub enum RouteFuture<F> {
        Ready { res: Option<ServiceResponse<BoxBody>> },
        Passthrough { #[pin] fut: F },
        Inner {
            #[pin] fut: F,
            // For a route's layer: the request, to render an error with.
            http_req: Option<HttpRequest>,
            policy: Rc<crate::compiled::ActixPolicy>,
            plan: cors_core::Plan,
            // The request's Origin, when the answer mirrors it.
            origin: Option<actix_web::http::header::HeaderValue>,
            rejection: Option<cors_core::Rejection>,
        },
    }
}

impl<F> RouteFuture<F> {
    fn ready(req: ServiceRequest, res: actix_web::HttpResponse) -> Self {
        let (http_req, _) = req.into_parts();
        RouteFuture::Ready { res: Some(ServiceResponse::new(http_req, res)) }
    }
}

impl<F> Future for RouteFuture<F>
where
    F: Future<Output = Result<ServiceResponse<BoxBody>, Error>>,
{
    type Output = Result<ServiceResponse<BoxBody>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            RouteFutureProj::Ready { res } => Poll::Ready(Ok(res.take().expect("RouteFuture polled after completion"))),
            RouteFutureProj::Passthrough { fut } => fut.poll(cx),
            RouteFutureProj::Inner { fut, http_req, policy, plan, origin, rejection } => {
                let result = std::task::ready!(fut.poll(cx));
                // Errors get the same headers as successes, or the browser
                // hides them from the page.
                let mut res = match (result, http_req.take()) {
                    (Ok(res), _) => res,
                    (Err(err), Some(http_req)) => ServiceResponse::from_err(err, http_req),
                    (Err(err), None) => {
                        return Poll::Ready(Err(respond::decorate_error(err, policy, plan, origin.as_ref())));
                    }
                };
                respond::decorate(&mut res, policy, plan, origin.as_ref(), *rejection);
                Poll::Ready(Ok(res))
            }
        }
    }
}
