//! The global [`Cors`] middleware: the default policy for every route that
//! has none of its own, answering their preflights and decorating their
//! responses (errors included).

use crate::compiled::CompiledPolicy;
use crate::registry;
use crate::respond::{self, Options, Scope};
use actix_service::{Service, Transform};
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, ORIGIN};
use actix_web::{Error, HttpMessage, HttpRequest};
use cors_core::{CorsPolicy, Decision};
use std::future::{ready, Future, Ready};
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

/// Marks a request whose CORS was handled by a route's own policy, so the
/// global middleware leaves its response alone.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Claimed;

/// The global policy as seen by route layers during a request: a worker's
/// own copy, so that holding it per request costs no atomic operation.
#[derive(Clone, Debug)]
pub(crate) struct GlobalRef(pub(crate) Rc<GlobalShared>);

#[derive(Clone, Debug)]
pub(crate) struct GlobalShared {
    /// Unique per `Cors::new`, so route caches can tell globals apart.
    pub(crate) id: u64,
    pub(crate) compiled: CompiledPolicy,
    pub(crate) options: Options,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The global CORS middleware: `App::new().wrap(Cors::new(policy))`.
///
/// Routes without a policy of their own (`#[cors]` or [`CorsResource`](crate::CorsResource))
/// get this policy: their preflights are answered with it and their
/// responses — successes and errors alike — get its headers. Routes with
/// their own policy inherit every key they do not set from it.
///
/// ```
/// use actix_web::{get, test, App};
/// use cors_actix::{cors_policy, Cors};
///
/// #[get("/health")]
/// async fn health() -> &'static str { "ok" }
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(
///     App::new().wrap(Cors::new(cors_policy!(origins = "*"))).service(health),
/// ).await;
/// let req = test::TestRequest::get().uri("/health").insert_header(("origin", "https://a.example")).to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "*");
/// # });
/// ```
///
/// Every refusal is logged at debug level (target `cors_actix`) with the
/// route and its typed [`Rejection`](crate::Rejection); with
/// [`record_rejections`](Cors::record_rejections) the same value is also put
/// in the response's extensions for outer middleware.
///
/// # How preflights find their policy
///
/// A route with its own policy registers a preflight resource next to
/// itself, so a preflight is answered by the policy of the route its
/// `Access-Control-Request-Method` would reach. When no route in the
/// process has a policy of its own, `Cors` answers every preflight itself
/// before routing. Otherwise it offers the preflight to the router first
/// and answers with the global policy only when no route claimed it; in
/// that case a resource that accepts every method (`web::resource(..).to(..)`
/// with no method guard) runs its handler for the preflight, and its answer
/// is replaced. Give such resources a method guard, or their own policy
/// with [`CorsResource`](crate::CorsResource), if their handler must never see an
/// `OPTIONS` request. A route's `guard = ".."` is not applied to its
/// preflight: browsers send preflights without the request's own headers.
///
/// When the app starts, every `#[cors]` route registered so far is merged
/// with this policy and checked; an invalid combination (say, a route with
/// `credentials = true` under `origins = "*"`) is logged with the handler's
/// name and source location and the app refuses to start. Run the same
/// check in a unit test with [`Cors::check_routes`].
#[derive(Clone, Debug)]
pub struct Cors {
    shared: Arc<GlobalShared>,
}

impl Cors {
    /// Wraps a checked policy.
    pub fn new(policy: CorsPolicy) -> Cors {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        Cors {
            shared: Arc::new(GlobalShared { id, compiled: CompiledPolicy::new(policy), options: Options::default() }),
        }
    }

    /// Puts the typed refusal reason into the body of 403 answers (and an
    /// `x-cors-rejection` header), for development. Off by default: the
    /// reason is always logged at debug level, never sent.
    pub fn debug_reasons(self, on: bool) -> Cors {
        let shared = &self.shared;
        let options = Options { debug: on, ..shared.options };
        Cors { shared: Arc::new(GlobalShared { id: shared.id, compiled: shared.compiled.clone(), options }) }
    }

    /// Puts the typed [`Rejection`](crate::Rejection) of every refused
    /// request into its response's extensions, where an outer middleware
    /// can read it (`res.response().extensions().get::<Rejection>()`) to
    /// count or log refusals. Applies to the global policy and to the
    /// routes under it. Off by default: it costs an allocation per refusal.
    pub fn record_rejections(self, on: bool) -> Cors {
        let shared = &self.shared;
        let options = Options { record: on, ..shared.options };
        Cors { shared: Arc::new(GlobalShared { id: shared.id, compiled: shared.compiled.clone(), options }) }
    }

    /// The global policy.
    pub fn policy(&self) -> &CorsPolicy {
        &self.shared.compiled.policy
    }

    /// Merges every `#[cors]` route linked into the program with this
    /// policy and checks the result, as the app does when it starts.
    ///
    /// Returns each route's effective policy, or every route whose merged
    /// policy is invalid, with its handler name and source location.
    pub fn check_routes(&self) -> Result<Vec<crate::RouteInfo>, crate::RouteErrors> {
        registry::check_all(Some(self.policy()))
    }
}

impl<S, B> Transform<S, ServiceRequest> for Cors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = Error;
    type Transform = CorsMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        if let Err(errors) = registry::check_registered(self.policy()) {
            log::error!(target: "cors_actix", "refusing to start: {errors}");
            return ready(Err(()));
        }
        let global = GlobalRef(Rc::new(GlobalShared::clone(&self.shared)));
        ready(Ok(CorsMiddleware { service: Rc::new(service), global }))
    }
}

/// The service built by [`Cors`]; see there.
#[doc(hidden)]
pub struct CorsMiddleware<S> {
    service: Rc<S>,
    global: GlobalRef,
}

impl<S, B> Service<ServiceRequest> for CorsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = Error;
    type Future = CorsFuture<S::Future, B>;

    actix_service::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let shared = &self.global.0;
        let routes_exist = registry::any_registered();
        let (decision, origin) = shared.compiled.decide_with_origin(req.headers(), req.method());
        let early = match decision {
            // No route can claim a preflight when no route has a policy:
            // answer at once instead of routing it.
            Decision::PreflightAccepted(_) | Decision::PreflightRejected(..) => !routes_exist,
            Decision::ActualDisallowed { forbid: true, .. } => {
                !routes_exist || !registry::some_route_allows(req.headers().get(ORIGIN))
            }
            _ => false,
        };
        if early {
            // The answer is built when polled: a small future, moved cheaply.
            let (http_req, _) = req.into_parts();
            return CorsFuture::Answer { req: Some(http_req), decision, global: shared.clone(), body: PhantomData };
        }
        if routes_exist {
            req.extensions_mut().insert(self.global.clone());
        }
        // The request itself cannot be kept (the router needs it unshared),
        // so keep what the answer needs: the decision and the Origin (when
        // the answer mirrors it).
        let global = shared.clone();
        CorsFuture::Inner { fut: self.service.call(req), decision, origin, global, claimable: routes_exist }
    }
}

// Kept out of line, like every path an allowed or refused actual request
// does not take, so the code those run stays small.
#[inline(never)]
fn answer(req: &HttpRequest, shared: &GlobalShared, decision: &Decision) -> actix_web::HttpResponse {
    match decision {
        Decision::ActualDisallowed { rejection, plan, .. } => {
            respond::forbidden(req, &shared.compiled, plan, *rejection, Scope::Global, shared.options)
        }
        _ => respond::preflight(req, &shared.compiled, decision, Scope::Global, shared.options),
    }
}

pin_project_lite::pin_project! {
    /// The future of [`CorsMiddleware`]; no boxing.
    #[doc(hidden)]
    #[project = CorsFutureProj]
    pub enum CorsFuture<F, B> {
        Answer { req: Option<HttpRequest>, decision: Decision, global: Rc<GlobalShared>, body: PhantomData<B> },
        Inner {
            #[pin] fut: F,
            decision: Decision,
            origin: Option<HeaderValue>,
            global: Rc<GlobalShared>,
            // Whether a route layer may have claimed the request (only when
            // some route has a policy of its own).
            claimable: bool,
        },
    }
}

impl<F, B> Future for CorsFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse<EitherBody<B, BoxBody>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            CorsFutureProj::Answer { req, decision, global, .. } => {
                let req = req.take().expect("CorsFuture polled after completion");
                Poll::Ready(Ok(own_answer(req, global, decision)))
            }
            CorsFutureProj::Inner { fut, decision, origin, global, claimable } => {
                let result = std::task::ready!(fut.poll(cx));
                Poll::Ready(finish(result, decision, origin.as_ref(), global, *claimable))
            }
        }
    }
}

/// Applies the global policy to an inner response unless a route claimed
/// it. An `Err` from inner middleware is rendered to its error response
/// and decorated too (SPEC §4 rule 4): the browser hides undecorated errors.
fn finish<B: MessageBody + 'static>(
    result: Result<ServiceResponse<B>, Error>,
    decision: &Decision,
    origin: Option<&HeaderValue>,
    global: &GlobalShared,
    claimable: bool,
) -> Result<ServiceResponse<EitherBody<B, BoxBody>>, Error> {
    let mut res = match result {
        Ok(res) => res.map_into_left_body(),
        Err(err) => return Err(decorate_error(err, decision, origin, global)),
    };
    if claimable && res.request().extensions().contains::<Claimed>() {
        return Ok(res);
    }
    match decision {
        Decision::PreflightAccepted(_)
        | Decision::PreflightRejected(..)
        | Decision::ActualDisallowed { forbid: true, .. } => {
            // No route claimed the request: the global policy answers it
            // (a preflight, or a 403 for `reject`) and whatever the router
            // produced is dropped.
            Ok(own_answer(res.request().clone(), global, decision))
        }
        other => {
            if let Some(r) = other.rejection() {
                respond::log_rejection(Scope::Global, res.request(), r);
                if global.options.record {
                    res.response_mut().extensions_mut().insert(r);
                }
            }
            global.compiled.apply(other.plan(), origin, res.headers_mut());
            Ok(res)
        }
    }
}

/// The global policy's own answer (a preflight, or a `reject` 403) as the
/// middleware's response: before routing, or when no route claimed it.
#[inline(never)]
fn own_answer<B>(
    req: HttpRequest,
    global: &GlobalShared,
    decision: &Decision,
) -> ServiceResponse<EitherBody<B, BoxBody>> {
    let answer = answer(&req, global, decision);
    ServiceResponse::new(req, answer).map_into_right_body()
}

/// Renders an inner `Err` to its response with the policy's headers.
#[cold]
#[inline(never)]
fn decorate_error(err: Error, decision: &Decision, origin: Option<&HeaderValue>, global: &GlobalShared) -> Error {
    let mut res = match decision {
        Decision::PreflightAccepted(_) | Decision::PreflightRejected(..) => {
            respond::preflight_without_request(&global.compiled, decision, origin, global.options)
        }
        _ => {
            let mut res = err.error_response();
            global.compiled.apply(decision.plan(), origin, res.headers_mut());
            res
        }
    };
    res.headers_mut().remove(actix_web::http::header::CONTENT_LENGTH);
    actix_web::error::InternalError::from_response(err, res).into()
}
