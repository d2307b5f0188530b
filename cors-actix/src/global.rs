//! The global [`Cors`] middleware: the default policy for every route that
//! has none of its own, and the layer that answers every preflight of the
//! app before routing, with the policy of the route it is for.

use crate::compiled::ActixPolicy;
use crate::introspect::{RouteErrors, RouteInfo};
use crate::policies::{CorsHandle, Policies, PolicyCell, Reloadable};
use crate::request;
use crate::respond::{self, Decider, Reporting};
use crate::routing::{batches, AppMark, Refused, RouteTable, TableRoute};
use actix_service::Service;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderValue;
use actix_web::{Error, HttpRequest, HttpResponse};
use cors_core::{CorsPolicy, Decision, Rejection};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

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
/// `Cors` answers every preflight (`OPTIONS` with `Origin` and
/// `Access-Control-Request-Method`) itself, before routing: no handler,
/// extractor, `default_service` or scope middleware of the app ever sees
/// one. The answer uses the policy of the first route with a policy of its
/// own whose path matches and whose methods include the requested method —
/// the route the actual request would reach — and the global policy
/// otherwise. A route's `guard = ".."` is not applied to its preflight:
/// browsers send preflights without the request's own headers.
///
/// With `reject = true`, a request from an origin the global policy refuses
/// is answered 403 before routing, unless it is for a route whose own
/// policy allows it or does not reject; that route's layer then decides.
///
/// # Start-up check
///
/// When the app starts, every route of the app with a policy of its own —
/// `#[cors]` and `CorsResource` alike — is merged with this policy and
/// checked; an invalid combination (say, a route with `credentials = true`
/// under `origins = "*"`) stops the app before it serves a request, and the
/// reason, with the route's handler, full path and source location, is
/// printed to standard error and logged. Run the same check on every
/// `#[cors]` route of the program in a unit test with [`Cors::check_routes`].
#[derive(Debug)]
pub struct Cors {
    shared: Arc<GlobalShared>,
    /// When this value was created: the app it wraps registers its routes
    /// later (see `routing.rs`).
    created: u64,
}

#[derive(Debug)]
struct GlobalShared {
    /// The policy the `Cors` was created with.
    compiled: ActixPolicy,
    options: Reporting,
    /// Set for [`Cors::reloadable`]: where the current policy is.
    reload: Option<Arc<Reloadable>>,
}

impl Clone for Cors {
    fn clone(&self) -> Self {
        // A clone is made for the app about to be built (one per worker).
        Cors { shared: self.shared.clone(), created: batches::now() }
    }
}

impl Cors {
    /// Wraps a checked policy.
    pub fn new(policy: CorsPolicy) -> Cors {
        Cors::with(ActixPolicy::new(policy), Reporting::default(), None)
    }

    /// A global `Cors` whose policy can be replaced while the server runs,
    /// and the [`CorsHandle`] that replaces it, e.g. when tenants add their
    /// domains in an admin panel.
    ///
    /// Create it once, outside `HttpServer::new`'s closure, and clone it
    /// into each worker's app. [`CorsHandle::replace`] checks the new
    /// policy against every route of every running app first and changes
    /// nothing when one would become invalid; otherwise every worker uses
    /// it from its next request on, and routes with their own policy
    /// inherit from it at once. A request never takes a lock: it reads the
    /// current version with one atomic load, and makes all its decisions
    /// with one policy.
    ///
    /// See [`CorsHandle`] for an example, and `examples/multi_tenant.rs`.
    pub fn reloadable(policy: CorsPolicy) -> (Cors, CorsHandle) {
        let shared = Reloadable::new(policy.clone());
        let cors = Cors::with(ActixPolicy::new(policy), Reporting::default(), Some(shared.clone()));
        (cors, CorsHandle::new(shared))
    }

    fn with(compiled: ActixPolicy, options: Reporting, reload: Option<Arc<Reloadable>>) -> Cors {
        Cors { shared: Arc::new(GlobalShared { compiled, options, reload }), created: batches::now() }
    }

    /// Puts the typed refusal reason into the body of 403 answers (and an
    /// `x-cors-rejection` header), for development. Off by default: the
    /// reason is always logged at debug level, never sent.
    pub fn debug_reasons(self, on: bool) -> Cors {
        let options = Reporting { reason_in_body: on, ..self.shared.options };
        Cors::with(self.shared.compiled.clone(), options, self.shared.reload.clone())
    }

    /// Puts the typed [`Rejection`](crate::Rejection) of every refused
    /// request into its response's extensions, where an outer middleware
    /// can read it (`res.response().extensions().get::<Rejection>()`) to
    /// count or log refusals. Applies to the global policy and to the
    /// routes under it. Off by default: it costs an allocation per refusal.
    pub fn record_rejections(self, on: bool) -> Cors {
        let options = Reporting { reason_in_extensions: on, ..self.shared.options };
        Cors::with(self.shared.compiled.clone(), options, self.shared.reload.clone())
    }

    /// The global policy this `Cors` was created with (for a
    /// [`reloadable`](Cors::reloadable) one, [`CorsHandle::policy`] is the
    /// current one).
    pub fn policy(&self) -> &CorsPolicy {
        &self.shared.compiled.policy
    }

    /// Merges every `#[cors]` route linked into the program with this
    /// policy and checks the result, as each app does for its own routes
    /// when it starts.
    ///
    /// Returns each route's effective policy, or every route whose merged
    /// policy is invalid, with its handler name and source location.
    pub fn check_routes(&self) -> Result<Vec<RouteInfo>, RouteErrors> {
        match &self.shared.reload {
            Some(reload) => crate::introspect::check_all(Some(&reload.current())),
            None => crate::introspect::check_all(Some(self.policy())),
        }
    }
}

either_body_layer!(Cors => CorsMiddleware, future: CorsFuture<S::Future, B>);

impl Cors {
    /// One worker's middleware: the app's route table and policies, or
    /// `Err` when a route's merged policy is invalid.
    fn build<S>(&self, service: S) -> Result<CorsMiddleware<S>, ()> {
        let entries = batches::adopt(self.created);
        let app = AppMark::new(self.shared.options);
        let options = self.shared.options;
        let start = self.shared.reload.as_ref().map(|reload| reload.start());
        let (table, routes, global) = {
            let global = match &start {
                Some(start) => &*start.policy,
                None => self.policy(),
            };
            match RouteTable::build(entries, global) {
                // A fixed policy's actix values are made once, in `Cors::new`.
                Ok((table, routes)) => match &start {
                    Some(_) => (table, routes, ActixPolicy::new(global.clone())),
                    None => (table, routes, self.shared.compiled.clone()),
                },
                Err(refused) => {
                    refuse_to_start(refused);
                    return Err(());
                }
            }
        };
        let policies = Policies { global, routes: routes.into(), options };
        if log::log_enabled!(target: "cors_actix", log::Level::Debug) {
            for route in table.describe(&policies) {
                log::debug!(target: "cors_actix", "route {route}");
            }
        }
        let cell = match start {
            Some(start) => PolicyCell::reloadable(policies, start, table.routes()),
            None => PolicyCell::fixed(policies),
        };
        table.link(&app, &cell);
        Ok(CorsMiddleware { service, worker: Rc::new(Worker { policies: cell, table, app }) })
    }
}

/// actix reports a failed middleware only as "service initialization
/// failed", so the reason goes to standard error as well as to the log.
#[cold]
fn refuse_to_start(refused: Vec<Refused>) {
    let routes = refused
        .into_iter()
        .map(|Refused::Policy(entry, error)| RouteInfo {
            route: entry.meta.clone(),
            path: entry.full_pattern(),
            effective: Err(error),
        })
        .collect();
    let errors = RouteErrors { routes };
    log::error!(target: "cors_actix", "refusing to start: {errors}");
    eprintln!("cors-actix: refusing to start: {errors}");
}

/// One worker's copy of the app's policies and route table: no lock per
/// request (and for a fixed policy, no atomic operation).
struct Worker {
    policies: Rc<PolicyCell>,
    /// The app's routes with their own policy (looked at only when there
    /// are any).
    table: RouteTable,
    app: Rc<AppMark>,
}

impl Worker {
    /// The route with its own policy that a request for `method` on `path`
    /// reaches, if any (none in an app without such routes). `path` is the
    /// one actix routes on (percent-decoded where actix decodes it), or
    /// `/s%65cret` would miss the policy of `/secret`.
    ///
    /// With `req`, the guards of scopes with a policy are asked too.
    #[inline]
    fn route_for(&self, path: &str, method: &[u8], req: Option<&ServiceRequest>) -> Option<Rc<TableRoute>> {
        if self.table.is_empty() {
            return None;
        }
        self.table.find(path, method, req)
    }
}

fn index(route: &Option<Rc<TableRoute>>) -> Option<usize> {
    route.as_ref().map(|r| r.index)
}

fn decider(route: &Option<Rc<TableRoute>>) -> Decider<'_> {
    route.as_ref().map_or(Decider::Global, |r| Decider::route(&r.entry.meta))
}

/// The service built by [`Cors`]; see there.
#[doc(hidden)]
pub struct CorsMiddleware<S> {
    service: S,
    worker: Rc<Worker>,
}

impl<S> CorsMiddleware<S> {
    fn handle<B>(&self, req: ServiceRequest) -> CorsFuture<S::Future, B>
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    {
        let worker = &self.worker;
        // One set of policies for every decision about this request.
        let policies = worker.policies.get();
        if worker.table.is_empty() {
            // No route has a policy of its own: one classification and
            // decision by the global policy, preflights included.
            let (decision, origin) = policies.global.decide_with_origin(req.head());
            return match decision {
                Decision::PreflightAccepted(_)
                | Decision::PreflightRejected(..)
                | Decision::ActualDisallowed { reject: true, .. } => {
                    answer_before_routing(&policies, &None, req, &decision)
                }
                _ => CorsFuture::Inner {
                    fut: self.service.call(req),
                    decision,
                    origin,
                    route: None,
                    policies,
                    app: None,
                },
            };
        }
        if worker.app.note(req.request()) {
            worker.table.verify(req.request());
        }
        if request::is_preflight(req.head()) {
            return answer_preflight(worker, &policies, req);
        }
        // One decision per request, by the policy of the route it is for
        // (whose layer then only passes it on) or the global one.
        let route = worker.route_for(req.match_info().as_str(), req.method().as_str().as_bytes(), Some(&req));
        let (decision, origin) = policies.of(index(&route)).decide_with_origin(req.head());
        if let Decision::ActualDisallowed { reject: true, .. } = decision {
            return answer_before_routing(&policies, &route, req, &decision);
        }
        if let Some(r) = &route {
            r.note_decided();
        }
        let app = Some(worker.app.clone());
        CorsFuture::Inner { fut: self.service.call(req), decision, origin, route, policies, app }
    }
}

/// A preflight never goes to the router: the policy of the route its
/// `Access-Control-Request-Method` would reach answers it, or the global.
#[inline(never)]
fn answer_preflight<F, B>(worker: &Worker, policies: &Policies, req: ServiceRequest) -> CorsFuture<F, B> {
    let route = worker.route_for(req.match_info().as_str(), request::requested_method(req.head()), None);
    let policy = policies.of(index(&route));
    let decision = policy.decide(req.head());
    let res = decider(&route).answer(req.request(), policy, &decision, policies.options);
    CorsFuture::answer(req, res)
}

/// The global's own answer, before routing: a preflight's, or the 403 of
/// `reject = true` for a refused origin.
#[inline(never)]
fn answer_before_routing<F, B>(
    policies: &Policies,
    route: &Option<Rc<TableRoute>>,
    req: ServiceRequest,
    decision: &Decision,
) -> CorsFuture<F, B> {
    let res = decider(route).answer(req.request(), policies.of(index(route)), decision, policies.options);
    CorsFuture::answer(req, res)
}

/// A refusal of a request that went on to its handler: logged, and
/// recorded in the response when the user asked for it.
#[cold]
#[inline(never)]
fn note_rejection(
    policies: &Policies,
    route: &Option<Rc<TableRoute>>,
    req: &HttpRequest,
    rejection: Rejection,
) -> Option<Rejection> {
    respond::log_rejection(decider(route), req, rejection);
    policies.options.reason_in_extensions.then_some(rejection)
}

pin_project_lite::pin_project! {
    /// The future of [`CorsMiddleware`]; no boxing.
    #[doc(hidden)]
    #[project = CorsFutureProj]
    pub enum CorsFuture<F, B> {
        Answer { res: Option<ServiceResponse<EitherBody<B, BoxBody>>> },
        Inner {
            #[pin] fut: F,
            decision: Decision,
            // The request's Origin, when the answer mirrors it.
            origin: Option<HeaderValue>,
            route: Option<Rc<TableRoute>>,
            // The policies the request was decided with.
            policies: Rc<Policies>,
            // The app, when it has routes with a policy of their own.
            app: Option<Rc<AppMark>>,
        },
    }
}

impl<F, B> CorsFuture<F, B> {
    fn answer(req: ServiceRequest, res: HttpResponse) -> Self {
        let (http_req, _) = req.into_parts();
        CorsFuture::Answer { res: Some(ServiceResponse::new(http_req, res).map_into_right_body()) }
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
            CorsFutureProj::Answer { res, .. } => {
                Poll::Ready(Ok(res.take().expect("CorsFuture polled after completion")))
            }
            CorsFutureProj::Inner { fut, decision, origin, route, policies, app } => {
                let result = std::task::ready!(fut.poll(cx));
                let policy = policies.of(index(route));
                Poll::Ready(match result {
                    Ok(res) if app.as_ref().is_some_and(|app| app.decided_by_route(&res)) => {
                        Ok(res.map_into_left_body())
                    }
                    Ok(res) => {
                        let mut res = res.map_into_left_body();
                        let recorded = match decision.rejection() {
                            Some(r) => note_rejection(policies, route, res.request(), r),
                            None => None,
                        };
                        respond::decorate(&mut res, policy, decision.plan(), origin.as_ref(), recorded);
                        Ok(res)
                    }
                    Err(err) => Err(respond::decorate_error(err, policy, decision.plan(), origin.as_ref())),
                })
            }
        }
    }
}
