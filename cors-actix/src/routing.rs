//! Which policy answers a request: the routes of one app that have a
//! policy of their own, how they find the app's global [`Cors`](crate::Cors),
//! and how the global finds the route a request would reach.
//!
//! See `docs/ARCHITECTURE.md` for the whole flow. In short:
//!
//! - Registering a route with its own policy (`#[cors]` or
//!   [`CorsResource`](crate::CorsResource)) creates one [`RouteEntry`] for
//!   that app. It is shared by the route's layer, its preflight resource
//!   and, once the app's middleware is built, the global `Cors`.
//! - actix registers every service of an app, on the worker's thread,
//!   before it builds the app's middleware. Registration leaves the entries
//!   in a per-thread batch keyed by the app being registered; the global
//!   `Cors` of that app adopts the batch when it is built, merges every
//!   route with its own policy, checks them and refuses to start on error.
//! - Each entry gives its preflight resource a node of its own in the
//!   app's resource map (a [`Marker`]): the node knows its parents, so the
//!   route's full pattern (scopes included) is known when the app starts,
//!   and its name tells, at the first request, whether the route is really
//!   in this app's resource map.
//! - At run time nothing is shared between apps: the global holds its
//!   [`RouteTable`], and a route's layer uses the merged policy only for
//!   requests of the app whose global adopted it.

use crate::compiled::ActixPolicy;
use crate::meta::{Layers, RouteMeta};
use crate::policies::{AppRoute, Policies, PolicyCell};
use crate::respond::Reporting;
use actix_web::dev::{fn_service, AppService, ResourceDef, ResourceMap, ServiceRequest};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::Method;
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use cors_core::{CorsPolicy, PolicyError};
use std::any::Any;
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicU64, Ordering};

/// Marks a request a route's layer decided itself although its app's
/// global `Cors` saw it (the global's table and actix's router disagreed
/// on the route), so the global leaves the route's answer alone.
/// Zero-sized: inserting it allocates nothing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DecidedByRoute;

/// A compiled policy, or why the route's policy is invalid.
pub(crate) type PolicyResult = Result<Rc<ActixPolicy>, Rc<PolicyError>>;

/// One route with its own policy, or one [`CorsScope`](crate::CorsScope),
/// in one app (one per worker).
#[derive(Debug)]
pub(crate) struct RouteEntry {
    pub(crate) meta: RouteMeta,
    /// The scopes with a policy around it.
    pub(crate) layers: Layers,
    /// `meta.methods`, parsed (a scope covers every method).
    pub(crate) methods: Vec<Method>,
    /// Set for a scope's own entry.
    pub(crate) scope: Option<ScopeParts>,
    /// The scope with a policy this entry was registered in.
    parent: Option<Weak<RouteEntry>>,
    /// The route's own keys over its scopes' alone: its policy when no
    /// global `Cors` wraps the app.
    pub(crate) standalone: PolicyResult,
    /// Set by the app's global `Cors` when it adopts the route.
    link: OnceCell<Link>,
    /// Requests the global decided with this route's policy that have not
    /// reached the route's layer yet (see [`RouteEntry::policy_for`]).
    decided: Cell<u32>,
    marker: Marker,
    /// Whether the route was registered at the root of the app (actix then
    /// always gives its path a leading `/`).
    at_root: bool,
}

/// What a route needs from its app's global `Cors` during a request: the
/// app's policies on this worker, and the route's index among them.
struct Link {
    policies: Rc<PolicyCell>,
    index: usize,
    app: Rc<AppMark>,
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Link").field("index", &self.index).finish_non_exhaustive()
    }
}

/// The identity of the app a global `Cors` serves, learnt at its first
/// request, and the reporting options of that global.
#[derive(Debug)]
pub(crate) struct AppMark {
    rmap: Cell<*const ResourceMap>,
    pub(crate) options: Reporting,
    /// Requests of this app marked [`DecidedByRoute`] whose response the
    /// global has not seen yet: while there are none, the global need not
    /// look for the mark.
    marked: Cell<u32>,
}

impl AppMark {
    pub(crate) fn new(options: Reporting) -> Rc<AppMark> {
        Rc::new(AppMark { rmap: Cell::new(std::ptr::null()), options, marked: Cell::new(0) })
    }

    /// Whether a route's layer decided the request of `res` itself (see
    /// [`RouteEntry::mark_decided_itself`]).
    #[inline]
    pub(crate) fn decided_by_route<B>(&self, res: &actix_web::dev::ServiceResponse<B>) -> bool {
        let marked = self.marked.get();
        if marked == 0 {
            return false;
        }
        let found = res.request().extensions().contains::<DecidedByRoute>();
        if found {
            self.marked.set(marked - 1);
        }
        found
    }

    /// Records the app's resource map; true the first time.
    #[inline]
    pub(crate) fn note(&self, req: &HttpRequest) -> bool {
        if self.rmap.get().is_null() {
            self.rmap.set(req.resource_map());
            return true;
        }
        false
    }

    #[inline]
    fn is_app_of(&self, req: &HttpRequest) -> bool {
        std::ptr::eq(self.rmap.get(), req.resource_map())
    }
}

/// The policy a route's layer applies to one request.
pub(crate) struct RoutePolicy<'a> {
    pub(crate) policy: Result<Rc<ActixPolicy>, &'a PolicyError>,
    pub(crate) options: Reporting,
    /// The route belongs to the app of the global `Cors` that adopted it.
    pub(crate) under_global: bool,
}

impl RouteEntry {
    /// A route being registered in `config` (inside the scopes with a
    /// policy being registered now, if any).
    pub(crate) fn new(meta: RouteMeta, config: &AppService) -> Rc<RouteEntry> {
        RouteEntry::at(meta, config.is_root(), None, scopes::innermost())
    }

    /// A scope with a policy being registered in `config`; the routes
    /// registered inside it (see [`scopes::within`]) are its children.
    pub(crate) fn scope(meta: RouteMeta, config: &AppService, guards: Vec<Rc<dyn Guard>>) -> Rc<RouteEntry> {
        let parts = ScopeParts { children: RefCell::new(Vec::new()), inside: OnceCell::new(), guards };
        RouteEntry::at(meta, config.is_root(), Some(parts), scopes::innermost())
    }

    fn at(meta: RouteMeta, at_root: bool, scope: Option<ScopeParts>, parent: Option<Rc<RouteEntry>>) -> Rc<RouteEntry> {
        let mut layers = parent.as_ref().map(|p| p.layers.inside(&p.meta)).unwrap_or_default();
        layers.is_scope = scope.is_some();
        let standalone = layers.effective_policy(&meta, None).map(|p| Rc::new(ActixPolicy::new(p))).map_err(Rc::new);
        let methods = match scope {
            Some(_) => Vec::new(),
            None => meta.methods.iter().filter_map(|m| Method::from_bytes(m.as_bytes()).ok()).collect(),
        };
        let marker = match scope {
            Some(_) => Marker::separate(),
            None => Marker::new(&own_pattern(&meta.path, at_root)),
        };
        let entry = Rc::new(RouteEntry {
            meta,
            layers,
            methods,
            scope,
            parent: parent.as_ref().map(Rc::downgrade),
            standalone,
            link: OnceCell::new(),
            decided: Cell::new(0),
            marker,
            at_root,
        });
        if let Some(parts) = parent.as_ref().and_then(|p| p.scope.as_ref()) {
            parts.children.borrow_mut().push(Rc::downgrade(&entry));
        }
        entry
    }

    /// A route known to no app (its layer built outside registration).
    pub(crate) fn detached(meta: RouteMeta) -> Rc<RouteEntry> {
        RouteEntry::at(meta, true, None, None)
    }

    /// The scopes with a policy around this entry, innermost first.
    fn enclosing(&self) -> Vec<Rc<RouteEntry>> {
        let mut scopes = Vec::new();
        let mut next = self.parent.as_ref().and_then(Weak::upgrade);
        while let Some(scope) = next {
            next = scope.parent.as_ref().and_then(Weak::upgrade);
            scopes.push(scope);
        }
        scopes
    }

    /// Where requests for this entry go: its full pattern and methods
    /// (known once the app's resource map is complete).
    fn place(&self) -> Place {
        Place {
            pattern: Pattern::new(self.marker.prefix(), self.own_pattern(), self.scope.is_some()),
            methods: self.methods.clone(),
            any_method: self.scope.is_some(),
        }
    }

    /// Registers the route's preflight resource (`guard` and `service`
    /// answer its preflights when no global `Cors` does) and leaves the
    /// entry for the app's global `Cors` to adopt.
    pub(crate) fn enroll<F, S>(
        self: &Rc<Self>,
        config: &mut AppService,
        guard: Box<dyn actix_web::guard::Guard>,
        service: F,
    ) where
        F: actix_service::IntoServiceFactory<S, ServiceRequest>,
        S: actix_service::ServiceFactory<
                ServiceRequest,
                Response = actix_web::dev::ServiceResponse,
                Error = actix_web::Error,
                Config = (),
                InitError = (),
            > + 'static,
    {
        // The preflight resource carries the node, unless a never-matching
        // resource of its own does (see [`Marker`]).
        let node = self.marker.separate.is_none().then(|| self.marker.node.clone());
        config.register_service(self.marker.own.clone(), Some(vec![guard]), service, node);
        self.marker.register_separate(config);
        batches::enroll(config, self);
    }

    /// Registers a scope's node (next to the scope, after it) and leaves
    /// the entry for the app's global `Cors` to adopt, after the routes
    /// inside it: the global's table finds those first.
    pub(crate) fn enroll_scope(self: &Rc<Self>, config: &mut AppService) {
        self.marker.register_separate(config);
        batches::enroll(config, self);
    }

    /// The global `Cors` decided a request with this route's policy and
    /// sends it on towards the route.
    #[inline]
    pub(crate) fn note_decided(&self) {
        self.decided.set(self.decided.get().saturating_add(1));
    }

    /// The policy for a request that reached this route: the merged one
    /// when the route belongs to the app of the global that adopted it,
    /// else its own keys alone.
    ///
    /// Whether that global already decided the request is counted apart
    /// ([`RouteEntry::decided_by_global`]): a global wrapped around one scope
    /// sees only the requests of that scope, yet adopts every route of its
    /// app. A request the global decided and scope middleware then stopped
    /// leaves a count behind; it can only ever make the route pass on a
    /// request of its own that did not come through the global, which for
    /// a route under an app-wide global does not happen.
    #[inline]
    pub(crate) fn policy_for(&self, req: &HttpRequest) -> RoutePolicy<'_> {
        match self.link.get() {
            Some(link) if link.app.is_app_of(req) => RoutePolicy {
                policy: Ok(link.policies.get().routes[link.index].clone()),
                options: link.app.options,
                under_global: true,
            },
            _ => RoutePolicy {
                policy: self.standalone.as_ref().map(Rc::clone).map_err(|e| &**e),
                options: Reporting::default(),
                under_global: false,
            },
        }
    }

    /// The global saw this request without deciding it with this route's
    /// policy (its table and actix's router disagreed on the route): the
    /// route decides, and marks the request so the global leaves the
    /// response alone. A request dropped on its way back leaves the count
    /// up, which only costs the global a look at later requests' marks.
    pub(crate) fn mark_decided_itself(&self, req: &ServiceRequest) {
        req.extensions_mut().insert(DecidedByRoute);
        if let Some(link) = self.link.get() {
            link.app.marked.set(link.app.marked.get().saturating_add(1));
        }
    }

    /// Whether the request now reaching the route's layer is one its app's
    /// global decided with this route's policy (counted off; see
    /// [`RouteEntry::policy_for`]).
    #[inline]
    pub(crate) fn decided_by_global(&self, req: &HttpRequest) -> bool {
        let pending = self.decided.get();
        if pending == 0 || !self.link.get().is_some_and(|link| link.app.is_app_of(req)) {
            return false;
        }
        self.decided.set(pending - 1);
        true
    }

    /// The route's pattern as actix matches it, scopes included (known
    /// once the app's resource map is complete, i.e. when its middleware
    /// is built).
    pub(crate) fn full_pattern(&self) -> String {
        format!("{}{}", self.marker.prefix(), self.own_pattern())
    }

    /// The entry's own path as actix registers it.
    fn own_pattern(&self) -> String {
        match self.scope {
            Some(_) => scope_pattern(&self.meta.path),
            None => own_pattern(&self.meta.path, self.at_root),
        }
    }

    /// Within a scope's own layer: the route or scope with a policy
    /// inside it that a request for `method` on `path` reaches, if any.
    pub(crate) fn child_for(&self, path: &str, method: &[u8]) -> Option<&Rc<RouteEntry>> {
        let parts = self.scope.as_ref()?;
        let inside = parts.inside.get_or_init(|| {
            let children = parts.children.borrow();
            children.iter().filter_map(Weak::upgrade).map(|child| (child.place(), child)).collect()
        });
        inside.iter().find(|(place, _)| place.matches(path, method)).map(|(_, child)| child)
    }
}

/// What a scope's entry adds to a route's.
pub(crate) struct ScopeParts {
    /// The routes and scopes with a policy registered inside it.
    children: RefCell<Vec<Weak<RouteEntry>>>,
    /// The same, with where they are, once the app's map is complete.
    inside: OnceCell<Vec<(Place, Rc<RouteEntry>)>>,
    /// The scope's guards: a request they refuse does not enter it.
    guards: Vec<Rc<dyn Guard>>,
}

impl std::fmt::Debug for ScopeParts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopeParts").field("guards", &self.guards.len()).finish_non_exhaustive()
    }
}

/// The scopes with a policy being registered on this thread now: routes
/// registered meanwhile are inside the innermost one.
pub(crate) mod scopes {
    use super::*;

    thread_local! {
        static OPEN: RefCell<Vec<Rc<RouteEntry>>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn innermost() -> Option<Rc<RouteEntry>> {
        OPEN.with_borrow(|open| open.last().cloned())
    }

    /// Runs `register` (the scope's own registration, which registers
    /// everything inside it) with `scope` open.
    pub(crate) fn within<R>(scope: &Rc<RouteEntry>, register: impl FnOnce() -> R) -> R {
        struct Close;
        impl Drop for Close {
            fn drop(&mut self) {
                OPEN.with_borrow_mut(|open| open.pop());
            }
        }
        OPEN.with_borrow_mut(|open| open.push(scope.clone()));
        let _close = Close;
        register()
    }
}

/// A scope's pattern as actix matches it (`Scope` inserts a leading `/`
/// unless the path is empty).
fn scope_pattern(path: &str) -> String {
    if !path.is_empty() && !path.starts_with('/') {
        format!("/{path}")
    } else {
        path.to_owned()
    }
}

/// A route's or scope's full pattern, and how to match a path against it.
struct Pattern {
    /// The pattern as actix matches it, scopes included.
    full: Box<str>,
    /// `full` is a route's and has no dynamic segment: comparing it with
    /// the path replaces the two matchers.
    exact: bool,
    prefix: Option<ResourceDef>,
    own: ResourceDef,
}

impl Pattern {
    fn new(prefix: String, own: String, is_scope: bool) -> Pattern {
        let full: Box<str> = format!("{prefix}{own}").into();
        let exact = !is_scope && !full.contains(['{', '}']);
        Pattern {
            // Both patterns were accepted by actix already (the scopes'
            // and the route's own): building them again cannot fail.
            prefix: (!exact && !prefix.is_empty()).then(|| ResourceDef::prefix(prefix)),
            own: if is_scope { ResourceDef::prefix(own) } else { ResourceDef::new(own) },
            full,
            exact,
        }
    }

    #[inline]
    fn matches(&self, path: &str) -> bool {
        if self.exact {
            // Length and last byte before the whole comparison: paths of
            // one app differ there far more often than not.
            let (e, p) = (self.full.as_bytes(), path.as_bytes());
            return e.len() == p.len() && e.last() == p.last() && e == p;
        }
        let rest = match &self.prefix {
            Some(prefix) => match prefix.find_match(path) {
                Some(len) => &path[len..],
                None => return false,
            },
            None => path,
        };
        self.own.is_match(rest)
    }
}

/// Where a route's or scope's requests go: its pattern and methods.
struct Place {
    pattern: Pattern,
    methods: Vec<Method>,
    any_method: bool,
}

impl Place {
    #[inline]
    fn matches(&self, path: &str, method: &[u8]) -> bool {
        // The path first: it tells most routes apart at its length.
        self.pattern.matches(path) && (self.any_method || self.methods.iter().any(|m| m.as_str().as_bytes() == method))
    }
}

/// A route's path as actix registers it: with a leading `/` at the root
/// of the app or when not empty.
fn own_pattern(path: &str, at_root: bool) -> String {
    if (at_root || !path.is_empty()) && !path.starts_with('/') {
        format!("/{path}")
    } else {
        path.to_owned()
    }
}

/// A route's node in the app's resource map, for its full pattern and its
/// identity. Once actix has completed the map (parents set), the node's
/// full pattern gives the route's scope prefix, and its unique name is how
/// a global tells its own routes from another app's.
///
/// The node is that of the route's preflight resource when a concrete
/// path for the route's own pattern can be made up to ask for it (any
/// static pattern, and dynamic ones whose segments take `1` or `x`);
/// otherwise a resource that never matches is registered for it, under a
/// static path of its own.
#[derive(Debug)]
struct Marker {
    name: String,
    node: Rc<ResourceMap>,
    /// The route's own pattern, as actix registers it.
    own: ResourceDef,
    /// A path the node's own pattern matches in full.
    probe: String,
    /// The never-matching resource's path, when there is one.
    separate: Option<String>,
}

static NEXT_MARKER: AtomicU64 = AtomicU64::new(1);

impl Marker {
    fn new(own_pattern: &str) -> Marker {
        let own = ResourceDef::new(own_pattern);
        let probe = ["1", "x"].into_iter().find_map(|value| {
            let mut path = String::new();
            let made = own.resource_path_from_iter(&mut path, std::iter::repeat(value));
            (made && own.find_match(&path) == Some(path.len())).then_some(path)
        });
        Marker::with(own, probe)
    }

    /// A scope's marker: always a never-matching resource of its own,
    /// registered next to the scope (see [`Marker::register_separate`]).
    fn separate() -> Marker {
        Marker::with(ResourceDef::new(""), None)
    }

    fn with(own: ResourceDef, probe: Option<String>) -> Marker {
        let serial = NEXT_MARKER.fetch_add(1, Ordering::Relaxed);
        let name = format!("cors-actix-route-{serial}");
        let (node_def, probe, separate) = match probe {
            Some(probe) => (own.clone(), probe, None),
            None => {
                let path = format!("/~cors-actix-route/{serial}");
                (ResourceDef::prefix(path.as_str()), path.clone(), Some(path))
            }
        };
        let mut node = ResourceMap::new(node_def);
        let mut leaf = ResourceDef::new("");
        leaf.set_name(name.as_str());
        node.add(&mut leaf, None);
        Marker { name, node: Rc::new(node), own, probe, separate }
    }

    /// Registers the never-matching resource that carries the node.
    fn register_separate(&self, config: &mut AppService) {
        let Some(path) = &self.separate else { return };
        let never = Box::new(actix_web::guard::fn_guard(|_: &GuardContext<'_>| false));
        let unused =
            fn_service(|req: ServiceRequest| async { Ok(req.into_response(HttpResponse::NotFound().finish())) });
        config.register_service(ResourceDef::prefix(path.as_str()), Some(vec![never]), unused, Some(self.node.clone()));
    }

    /// The scopes' patterns above the route, e.g. `/api/{tenant}`.
    fn prefix(&self) -> String {
        let full = self.node.match_pattern(&self.probe).unwrap_or_default();
        let own = match &self.separate {
            Some(path) => path.as_str(),
            None => self.own.pattern().unwrap_or_default(),
        };
        full.strip_suffix(own).unwrap_or_default().to_owned()
    }

    fn is_in(&self, req: &HttpRequest) -> bool {
        // Any error but "not found" (too few elements for a dynamic scope,
        // say) still means the name is in this app's map.
        !matches!(
            req.resource_map().url_for(req, &self.name, std::iter::repeat_n("x", 32)),
            Err(actix_web::error::UrlGenerationError::ResourceNotFound)
        )
    }
}

/// One route (or scope) in a global's table: where it is and its merged
/// policy.
pub(crate) struct TableRoute {
    place: Place,
    /// The guards of the scope itself and of the scopes with a policy
    /// around it: a request they refuse never reaches the route.
    guards: Vec<Rc<dyn Guard>>,
    /// The scopes with a policy around the route, whose layers see its
    /// requests on their way to it.
    enclosing: Vec<Rc<RouteEntry>>,
    /// Cleared at the first request when the route is not in the app's
    /// resource map after all.
    in_app: Cell<bool>,
    /// The route's place in the table, and in [`Policies::routes`].
    pub(crate) index: usize,
    pub(crate) entry: Rc<RouteEntry>,
}

impl TableRoute {
    #[inline]
    fn matches(&self, path: &str, method: &[u8], req: Option<&ServiceRequest>) -> bool {
        self.place.matches(path, method)
            && self.in_app.get()
            && (self.guards.is_empty() || req.is_none_or(|req| self.admits(req)))
    }

    #[cold]
    fn admits(&self, req: &ServiceRequest) -> bool {
        let ctx = req.guard_ctx();
        self.guards.iter().all(|g| g.check(&ctx))
    }

    /// The global decided a request with this route's policy: the route's
    /// layer and those of the scopes around it pass it on.
    #[inline]
    pub(crate) fn note_decided(&self) {
        self.entry.note_decided();
        for scope in &self.enclosing {
            scope.note_decided();
        }
    }
}

/// The routes with their own policy in one app, in registration order, as
/// its global `Cors` sees them.
pub(crate) struct RouteTable {
    routes: Vec<Rc<TableRoute>>,
    verified: Cell<bool>,
}

/// Why a route could not be placed in the table.
pub(crate) enum Refused {
    Policy(Rc<RouteEntry>, PolicyError),
}

impl RouteTable {
    /// Merges each adopted route with the global policy and links it; the
    /// invalid ones are returned instead (nothing is linked then).
    /// Merges and checks every route of the app over `global`; returns
    /// the table and each route's merged policy (by index), or every
    /// route whose merged policy is invalid.
    pub(crate) fn build(
        entries: Vec<Rc<RouteEntry>>,
        global: &CorsPolicy,
    ) -> Result<(RouteTable, Vec<Rc<ActixPolicy>>), Vec<Refused>> {
        let mut routes = Vec::with_capacity(entries.len());
        let mut policies = Vec::with_capacity(entries.len());
        let mut refused = Vec::new();
        for entry in entries {
            match entry.layers.effective_policy(&entry.meta, Some(global)) {
                Ok(policy) => {
                    let enclosing = entry.enclosing();
                    let guards = entry
                        .scope
                        .iter()
                        .chain(enclosing.iter().filter_map(|s| s.scope.as_ref()))
                        .flat_map(|parts| parts.guards.iter().cloned())
                        .collect();
                    routes.push(Rc::new(TableRoute {
                        place: entry.place(),
                        guards,
                        enclosing,
                        in_app: Cell::new(true),
                        index: routes.len(),
                        entry,
                    }));
                    policies.push(Rc::new(ActixPolicy::new(policy)));
                }
                Err(e) => refused.push(Refused::Policy(entry, e)),
            }
        }
        if !refused.is_empty() {
            return Err(refused);
        }
        Ok((RouteTable { routes, verified: Cell::new(false) }, policies))
    }

    /// Gives each route the app's policies on this worker.
    pub(crate) fn link(&self, app: &Rc<AppMark>, policies: &Rc<PolicyCell>) {
        for route in &self.routes {
            // An entry is adopted by one global at most; a second adoption
            // (the same route value registered twice) keeps the first link.
            let _ = route.entry.link.set(Link { policies: policies.clone(), index: route.index, app: app.clone() });
        }
    }

    /// Each route with its layers and full pattern, in table order.
    pub(crate) fn routes(&self) -> Vec<AppRoute> {
        self.routes
            .iter()
            .map(|r| AppRoute {
                meta: r.entry.meta.clone(),
                layers: r.entry.layers.clone(),
                path: r.place.pattern.full.to_string(),
            })
            .collect()
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// Each route with its full path and effective policy, in registration
    /// order (what the app's start-up log line lists).
    pub(crate) fn describe<'a>(&'a self, policies: &'a Policies) -> impl Iterator<Item = crate::RouteInfo> + 'a {
        self.routes.iter().map(|r| crate::RouteInfo {
            route: r.entry.meta.clone(),
            path: r.place.pattern.full.to_string(),
            effective: Ok(policies.routes[r.index].policy.clone()),
        })
    }

    /// At the app's first request: keeps only the routes that are in this
    /// app's resource map (see [`batches::adopt`] for when another app's
    /// could have been adopted).
    #[cold]
    pub(crate) fn verify(&self, req: &HttpRequest) {
        if !self.verified.replace(true) {
            for route in &self.routes {
                route.in_app.set(route.entry.marker.is_in(req));
            }
        }
    }

    /// The first route (or scope) with its own policy that a request for
    /// `method` on `path` reaches, with that route's merged policy. With
    /// `req`, the guards of scopes are asked too (not for preflights:
    /// browsers send them without the request's own headers).
    #[inline]
    pub(crate) fn find(&self, path: &str, method: &[u8], req: Option<&ServiceRequest>) -> Option<Rc<TableRoute>> {
        self.routes.iter().find(|r| r.matches(path, method, req)).cloned()
    }
}

/// The hand-off from registration to the app's global `Cors`.
///
/// actix registers an app's services and builds its middleware on one
/// thread, registration first; services see the app they are registered in
/// (its default service), the middleware does not. So each registered
/// route joins the batch of its app on this thread, and a global adopts
/// the newest batch registered after the global itself was created (a
/// `Cors` value is created or cloned before the app it wraps registers its
/// services): an app with a global but no routes adopts nothing, even right
/// after an app with routes but no global.
///
/// Creating a `Cors`, then building a different app with routes, then
/// building the app of that `Cors` could still adopt the other app's
/// routes; at the first request the global keeps only the routes in its own
/// resource map, and a route's layer uses the merged policy only for
/// requests of its own app, so run-time behaviour stays per app.
pub(crate) mod batches {
    use super::*;

    static CLOCK: AtomicU64 = AtomicU64::new(1);

    struct Batch {
        /// The app's default service: its address identifies the app
        /// being registered, and holding it keeps that address unique.
        app: Box<dyn Any>,
        app_ptr: *const (),
        stamp: u64,
        routes: Vec<Weak<RouteEntry>>,
    }

    thread_local! {
        static BATCHES: RefCell<Vec<Batch>> = const { RefCell::new(Vec::new()) };
    }

    /// Most batches are adopted at once; these are the ones of apps
    /// without a global `Cors`, kept only while their routes live.
    const MAX_BATCHES: usize = 64;

    /// A point in time, for [`adopt`].
    pub(crate) fn now() -> u64 {
        CLOCK.fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn enroll(config: &AppService, entry: &Rc<RouteEntry>) {
        let app = config.default_service();
        let app_ptr = Rc::as_ptr(&app) as *const ();
        BATCHES.with_borrow_mut(|batches| {
            batches.retain(|b| b.routes.iter().any(|r| r.strong_count() > 0));
            match batches.iter_mut().find(|b| b.app_ptr == app_ptr) {
                Some(batch) => batch.routes.push(Rc::downgrade(entry)),
                None => {
                    if batches.len() == MAX_BATCHES {
                        batches.remove(0);
                    }
                    batches.push(Batch {
                        app: Box::new(app),
                        app_ptr,
                        stamp: now(),
                        routes: vec![Rc::downgrade(entry)],
                    })
                }
            }
        });
    }

    /// The routes of the newest app registered on this thread since
    /// `since`, taken.
    pub(crate) fn adopt(since: u64) -> Vec<Rc<RouteEntry>> {
        BATCHES.with_borrow_mut(|batches| {
            let Some(i) = batches.iter().rposition(|b| b.stamp > since) else { return Vec::new() };
            let batch = batches.remove(i);
            drop(batch.app);
            batch.routes.iter().filter_map(Weak::upgrade).collect()
        })
    }
}
