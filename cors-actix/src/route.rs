//! Per-route policies that own their route's preflight.
//!
//! actix's `#[get("/x")]` builds a resource guarded by its method, so an
//! `OPTIONS` preflight never reaches it (nor any `wrap=` on it). A route
//! with a policy therefore registers two things under its path: first a
//! *preflight resource*, guarded by "OPTIONS + Origin + an
//! Access-Control-Request-Method among this route's methods", that answers
//! the preflight from the route's policy; then the route itself, wrapped in
//! [`RouteCors`], which applies the policy to every response (errors
//! included) and marks the request as claimed so the global [`Cors`](crate::Cors)
//! leaves it alone.

use crate::compiled::CompiledPolicy;
use crate::middleware::{Claimed, GlobalRef};
use crate::registry;
use crate::respond::{self, Options, Scope};
use actix_service::{Service, Transform};
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{fn_service, AppService, HttpServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::header::{HeaderValue, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use actix_web::http::Method;
use actix_web::{web, Error, HttpMessage, HttpRequest, HttpResponse};
use cors_core::{CorsPolicy, Decision, PolicySpec};
use std::borrow::Cow;
use std::cell::RefCell;
use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// What the `#[cors]` attribute records about a route, as `static` data.
/// Public for generated code and introspection; build routes by hand with
/// [`CorsResource`](crate::CorsResource) instead.
#[derive(Debug)]
pub struct RouteMeta {
    /// The handler function's name.
    pub handler: &'static str,
    /// `module_path!()` of the handler.
    pub module_path: &'static str,
    /// `file!()` of the attribute.
    pub file: &'static str,
    /// `line!()` of the attribute.
    pub line: u32,
    /// The route's path, relative to its scope.
    pub path: &'static str,
    /// The route's own methods, from the actix route attribute.
    pub methods: &'static [&'static str],
    /// The policy keys the attribute sets (checked at compile time).
    pub spec: PolicySpec,
}

/// A route's identity and policy, owned, for one registration.
#[derive(Clone, Debug)]
pub(crate) struct RouteDesc {
    pub(crate) handler: Cow<'static, str>,
    pub(crate) path: Cow<'static, str>,
    pub(crate) methods: Vec<Cow<'static, str>>,
    pub(crate) spec: Cow<'static, PolicySpec>,
}

impl RouteDesc {
    fn from_meta(meta: &'static RouteMeta) -> Self {
        RouteDesc {
            handler: Cow::Borrowed(meta.handler),
            path: Cow::Borrowed(meta.path),
            methods: meta.methods.iter().map(|m| Cow::Borrowed(*m)).collect(),
            spec: Cow::Borrowed(&meta.spec),
        }
    }

    fn scope(&self) -> Scope<'_> {
        Scope::Route { handler: &self.handler, path: &self.path }
    }

    fn method_strs(&self) -> Vec<&str> {
        self.methods.iter().map(|m| m.as_ref()).collect()
    }
}

type PolicyResult = Result<Rc<CompiledPolicy>, Rc<str>>;

/// Per-worker state of one route: its stand-alone policy (used when no
/// global `Cors` wraps the app) and its policy merged with the global one,
/// computed on first use and then reused for every request.
#[derive(Debug)]
struct RouteState {
    desc: RouteDesc,
    standalone: PolicyResult,
    merged: RefCell<Option<(u64, PolicyResult)>>,
}

impl RouteState {
    fn new(desc: RouteDesc) -> Rc<Self> {
        let standalone = compile(&desc, desc.spec.as_ref().clone());
        Rc::new(RouteState { desc, standalone, merged: RefCell::new(None) })
    }

    /// The route's effective policy for this request: merged over the
    /// global policy when a global `Cors` handled the request, stand-alone
    /// otherwise.
    fn policy(&self, req: &HttpRequest) -> PolicyResult {
        let extensions = req.extensions();
        let Some(GlobalRef(global)) = extensions.get::<GlobalRef>() else {
            return self.standalone.clone();
        };
        if let Some((id, policy)) = &*self.merged.borrow() {
            if *id == global.id {
                return policy.clone();
            }
        }
        let merged = self.desc.spec.merged_over(global.compiled.policy.spec());
        let policy = compile(&self.desc, merged);
        *self.merged.borrow_mut() = Some((global.id, policy.clone()));
        policy
    }
}

fn compile(desc: &RouteDesc, spec: PolicySpec) -> PolicyResult {
    CorsPolicy::from_spec(spec, Some(&desc.method_strs()))
        .map(|p| Rc::new(CompiledPolicy::new(p)))
        .map_err(|e| Rc::from(e.to_string()))
}

/// Matches the preflights this route owns: OPTIONS with an `Origin` and an
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

/// Registers the preflight resource of a route.
pub(crate) fn register_preflight(config: &mut AppService, desc: RouteDesc) {
    let path = desc.path.to_string();
    let methods = desc.methods.iter().filter_map(|m| Method::from_bytes(m.as_bytes()).ok()).collect();
    let state = RouteState::new(desc);
    let service = fn_service(move |req: ServiceRequest| {
        let state = state.clone();
        async move {
            req.extensions_mut().insert(Claimed);
            let (http_req, _) = req.into_parts();
            let res = match state.policy(&http_req) {
                Ok(policy) => {
                    let decision = policy.decide(http_req.headers(), http_req.method());
                    respond::preflight(&http_req, &policy, &decision, state.desc.scope(), options(&http_req))
                }
                Err(message) => respond::misconfigured(state.desc.scope(), &message),
            };
            Ok::<_, Error>(ServiceResponse::new(http_req, res))
        }
    });
    web::resource(path).guard(PreflightGuard { methods }).default_service(service).register(config);
}

fn options(req: &HttpRequest) -> Options {
    req.extensions().get::<GlobalRef>().map(|g| g.0.options).unwrap_or_default()
}

/// Registers a `#[cors]` route: its preflight resource, then the actix
/// route itself (already wrapped in [`RouteCors`] by the attribute).
/// Called by generated code.
#[doc(hidden)]
pub fn register_route<F: HttpServiceFactory>(config: &mut AppService, meta: &'static RouteMeta, route: F) {
    registry::register(meta);
    // The route first: its resource is guarded by its methods (as every
    // actix route attribute does), so actual requests stop there without
    // trying the preflight resource, and preflights fall through to it.
    route.register(config);
    register_preflight(config, RouteDesc::from_meta(meta));
}

/// The route-level middleware that applies a route's policy to every
/// response of the route. Generated code passes it to the actix route
/// attribute as `wrap = "..."`.
#[doc(hidden)]
pub struct RouteCors {
    desc: RouteDesc,
}

impl RouteCors {
    /// For a `#[cors]` route.
    pub fn new(meta: &'static RouteMeta) -> Self {
        RouteCors { desc: RouteDesc::from_meta(meta) }
    }

    pub(crate) fn from_desc(desc: RouteDesc) -> Self {
        RouteCors { desc }
    }
}

impl<S, B> Transform<S, ServiceRequest> for RouteCors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = Error;
    type Transform = RouteCorsService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RouteCorsService { service, state: RouteState::new(self.desc.clone()) }))
    }
}

/// The service built by [`RouteCors`].
#[doc(hidden)]
pub struct RouteCorsService<S> {
    service: S,
    state: Rc<RouteState>,
}

impl<S, B> Service<ServiceRequest> for RouteCorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B, BoxBody>>;
    type Error = Error;
    type Future = RouteFuture<S::Future, B>;

    actix_service::forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        req.extensions_mut().insert(Claimed);
        let scope = self.state.desc.scope();
        let policy = match self.state.policy(req.request()) {
            Ok(policy) => policy,
            Err(message) => return RouteFuture::ready(req, respond::misconfigured(scope, &message)),
        };
        let (decision, origin) = policy.decide_with_origin(req.headers(), req.method());
        match decision {
            Decision::PreflightAccepted(_) | Decision::PreflightRejected(..) => {
                let res = respond::preflight(req.request(), &policy, &decision, scope, options(req.request()));
                RouteFuture::ready(req, res)
            }
            Decision::ActualDisallowed { forbid: true, rejection, plan } => {
                let res = respond::forbidden(req.request(), &policy, &plan, rejection, scope, options(req.request()));
                RouteFuture::ready(req, res)
            }
            other => {
                if let Some(r) = other.rejection() {
                    respond::log_rejection(scope, req.request(), r);
                }
                let http_req = req.request().clone();
                let recorded = other.rejection().filter(|_| options(req.request()).record);
                RouteFuture::Inner {
                    fut: self.service.call(req),
                    http_req: Some(http_req),
                    policy,
                    plan: *other.plan(),
                    origin,
                    rejection: recorded,
                }
            }
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`RouteCorsService`]; no boxing.
    #[doc(hidden)]
    #[project = RouteFutureProj]
    pub enum RouteFuture<F, B> {
        Ready { res: Option<ServiceResponse<EitherBody<B, BoxBody>>> },
        Inner {
            #[pin] fut: F,
            http_req: Option<HttpRequest>,
            policy: Rc<CompiledPolicy>,
            plan: cors_core::Plan,
            // The request's Origin, when the answer mirrors it.
            origin: Option<HeaderValue>,
            rejection: Option<cors_core::Rejection>,
        },
    }
}

impl<F, B> RouteFuture<F, B> {
    fn ready(req: ServiceRequest, res: HttpResponse) -> Self {
        let (http_req, _) = req.into_parts();
        RouteFuture::Ready { res: Some(ServiceResponse::new(http_req, res).map_into_right_body()) }
    }
}

impl<F, B> Future for RouteFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
    B: MessageBody + 'static,
{
    type Output = Result<ServiceResponse<EitherBody<B, BoxBody>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            RouteFutureProj::Ready { res } => Poll::Ready(Ok(res.take().expect("RouteFuture polled after completion"))),
            RouteFutureProj::Inner { fut, http_req, policy, plan, origin, rejection } => {
                let result = std::task::ready!(fut.poll(cx));
                let http_req = http_req.take().expect("RouteFuture polled after completion");
                // Errors get the same headers as successes (SPEC §4 rule 4).
                let mut res = match result {
                    Ok(res) => res.map_into_left_body(),
                    Err(err) => ServiceResponse::from_err(err, http_req.clone()).map_into_right_body(),
                };
                policy.apply(plan, origin.as_ref(), res.headers_mut());
                if let Some(r) = rejection {
                    res.response_mut().extensions_mut().insert(*r);
                }
                Poll::Ready(Ok(res))
            }
        }
    }
}
