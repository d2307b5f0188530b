//! The list of `#[cors]` routes: every one linked into the program
//! (collected with `inventory`, for [`routes`](crate::routes) and
//! [`Cors::check_routes`](crate::Cors::check_routes)) and the ones
//! registered in an app so far (checked when a global `Cors` starts).

use crate::route::RouteMeta;
use actix_web::http::header::HeaderValue;
use cors_core::{CorsPolicy, PolicyError, PolicySpec};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// One `#[cors]` route, submitted by generated code.
#[doc(hidden)]
pub struct RouteEntry(pub &'static RouteMeta);

inventory::collect!(RouteEntry);

struct Registered {
    meta: &'static RouteMeta,
    /// The route's own origins, compiled, when it sets them: used to tell
    /// whether any route might allow an origin the global policy refuses.
    own_origins: Option<CorsPolicy>,
}

static REGISTERED: Mutex<Vec<Registered>> = Mutex::new(Vec::new());
static ANY_REGISTERED: AtomicBool = AtomicBool::new(false);
/// The own origins of hand-built [`CorsResource`](crate::CorsResource)s,
/// each distinct set once (apps are built once per worker).
static DYNAMIC_ORIGINS: Mutex<Vec<CorsPolicy>> = Mutex::new(Vec::new());

pub(crate) fn register_dynamic(spec: &PolicySpec) {
    ANY_REGISTERED.store(true, Ordering::Release);
    let Some(origins) = &spec.origins else { return };
    let mut list = DYNAMIC_ORIGINS.lock().unwrap_or_else(|e| e.into_inner());
    if !list.iter().any(|p| p.spec().origins.as_ref() == Some(origins)) {
        list.push(own_origins(origins.clone()));
    }
}

fn own_origins(origins: cors_core::Origins) -> CorsPolicy {
    CorsPolicy::compile(PolicySpec { origins: Some(origins), ..PolicySpec::EMPTY }, None)
}

fn registered() -> std::sync::MutexGuard<'static, Vec<Registered>> {
    // A poisoned list is still a valid list: no invariant spans a panic.
    REGISTERED.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn register(meta: &'static RouteMeta) {
    let mut list = registered();
    if !list.iter().any(|r| std::ptr::eq(r.meta, meta)) {
        let own_origins = meta.spec.origins.clone().map(own_origins);
        list.push(Registered { meta, own_origins });
        ANY_REGISTERED.store(true, Ordering::Release);
    }
}

/// Whether any app in this process registered a route with its own policy.
#[inline]
pub(crate) fn any_registered() -> bool {
    ANY_REGISTERED.load(Ordering::Acquire)
}

/// Whether some registered route's own `origins` allows `origin`.
pub(crate) fn some_route_allows(origin: Option<&HeaderValue>) -> bool {
    let Some(origin) = origin else { return false };
    let origin = origin.as_bytes();
    registered().iter().any(|r| r.own_origins.as_ref().is_some_and(|p| p.allows_origin(origin)))
        || DYNAMIC_ORIGINS.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|p| p.allows_origin(origin))
}

/// A `#[cors]` route and its effective policy.
#[derive(Debug)]
pub struct RouteInfo {
    /// Handler function name.
    pub handler: &'static str,
    /// Module of the handler.
    pub module_path: &'static str,
    /// Source file of the attribute.
    pub file: &'static str,
    /// Source line of the attribute.
    pub line: u32,
    /// Path, relative to the route's scope.
    pub path: &'static str,
    /// The route's own methods.
    pub methods: &'static [&'static str],
    /// The keys the attribute sets.
    pub own: &'static PolicySpec,
    /// The effective policy: the attribute's keys merged over the global
    /// policy (when given), or why that combination is invalid.
    pub effective: Result<CorsPolicy, PolicyError>,
}

impl RouteInfo {
    fn new(meta: &'static RouteMeta, global: Option<&CorsPolicy>) -> Self {
        let spec = match global {
            Some(g) => meta.spec.merged_over(g.spec()),
            None => meta.spec.clone(),
        };
        RouteInfo {
            handler: meta.handler,
            module_path: meta.module_path,
            file: meta.file,
            line: meta.line,
            path: meta.path,
            methods: meta.methods,
            own: &meta.spec,
            effective: CorsPolicy::from_spec(spec, Some(meta.methods)),
        }
    }
}

impl fmt::Display for RouteInfo {
    /// `POST /orders -> create_order (src/main.rs:12): origins = [...], ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} -> {} ({}:{}): ", self.methods.join("|"), self.path, self.handler, self.file, self.line)?;
        match &self.effective {
            Ok(p) => write!(f, "{p}"),
            Err(e) => write!(f, "INVALID: {e}"),
        }
    }
}

/// Lists every `#[cors]` route linked into the program with its effective
/// policy under `global` (SPEC §7), e.g. for a start-up log line or a
/// `/debug` page. Sorted by path, then handler.
///
/// ```
/// for route in cors_actix::routes(None) {
///     println!("{route}");
/// }
/// ```
pub fn routes(global: Option<&CorsPolicy>) -> Vec<RouteInfo> {
    let mut list: Vec<RouteInfo> =
        inventory::iter::<RouteEntry>.into_iter().map(|e| RouteInfo::new(e.0, global)).collect();
    list.sort_by(|a, b| (a.path, a.handler, a.line).cmp(&(b.path, b.handler, b.line)));
    list
}

/// Every route whose merged policy is invalid.
#[derive(Debug)]
pub struct RouteErrors {
    /// The invalid routes, each with why.
    pub routes: Vec<RouteInfo>,
}

impl fmt::Display for RouteErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} route(s) have an invalid CORS policy once merged with the global policy:", self.routes.len())?;
        for r in &self.routes {
            write!(f, "\n  - `{}` at {}:{} ({} {})", r.handler, r.file, r.line, r.methods.join("|"), r.path)?;
            if let Err(e) = &r.effective {
                for p in e.problems() {
                    write!(f, "\n      {p}")?;
                }
            }
        }
        Ok(())
    }
}

impl std::error::Error for RouteErrors {}

fn split(list: Vec<RouteInfo>) -> Result<Vec<RouteInfo>, RouteErrors> {
    let (ok, bad): (Vec<_>, Vec<_>) = list.into_iter().partition(|r| r.effective.is_ok());
    if bad.is_empty() {
        Ok(ok)
    } else {
        Err(RouteErrors { routes: bad })
    }
}

/// Checks every `#[cors]` route linked into the program.
pub(crate) fn check_all(global: Option<&CorsPolicy>) -> Result<Vec<RouteInfo>, RouteErrors> {
    split(routes(global))
}

/// Checks the routes registered in apps so far against `global`.
pub(crate) fn check_registered(global: &CorsPolicy) -> Result<(), RouteErrors> {
    let metas: Vec<&'static RouteMeta> = registered().iter().map(|r| r.meta).collect();
    split(metas.into_iter().map(|m| RouteInfo::new(m, Some(global))).collect()).map(drop)
}
