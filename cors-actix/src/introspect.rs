//! Every `#[cors]` route linked into the program (collected with
//! `inventory`), with its effective policy: [`routes`] and
//! [`Cors::check_routes`](crate::Cors::check_routes), and the error a
//! start-up check reports.
//!
//! [`CorsScope`](crate::CorsScope)s exist only at run time: each app that
//! starts with one records it here, with the `#[cors]` routes inside it,
//! so [`routes`] can list the scope's layer and the routes' effective
//! policy under it. The record is read by introspection only, never by a
//! request.

use crate::meta::{Layers, RouteMeta};
use cors_core::{CorsPolicy, PolicyError};
use std::fmt;
use std::sync::{Mutex, PoisonError};

/// One `#[cors]` route, submitted by generated code.
#[doc(hidden)]
pub struct LinkedRoute(pub &'static RouteMeta);

inventory::collect!(LinkedRoute);

/// A route with its own policy, and its effective policy.
#[derive(Debug)]
pub struct RouteInfo {
    /// The route: handler, source location, path, methods, own keys.
    pub route: RouteMeta,
    /// The path as actix matches it, scopes included, when the route was
    /// seen in a running app (the start-up check); otherwise the route's
    /// own path, relative to its scope.
    pub path: String,
    /// The effective policy: the route's keys merged over the global
    /// policy (when there is one), or why that combination is invalid.
    pub effective: Result<CorsPolicy, PolicyError>,
}

impl RouteInfo {
    fn new(meta: &'static RouteMeta, global: Option<&CorsPolicy>) -> Self {
        RouteInfo { route: meta.clone(), path: meta.path.to_string(), effective: meta.effective_policy(global) }
    }

    fn seen(seen: &Seen, global: Option<&CorsPolicy>) -> Self {
        RouteInfo {
            route: seen.meta.clone(),
            path: seen.path.clone(),
            effective: seen.layers.effective_policy(&seen.meta, global),
        }
    }

    fn methods(&self) -> String {
        self.route.methods.join("|")
    }
}

impl fmt::Display for RouteInfo {
    /// `POST /orders -> create_order (src/main.rs:12): origins = [...], ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.route;
        write!(f, "{} {} -> {} ({}:{}): ", self.methods(), self.path, r.handler, r.file, r.line)?;
        match &self.effective {
            Ok(p) => write!(f, "{p}"),
            Err(e) => write!(f, "INVALID: {e}"),
        }
    }
}

/// Lists every `#[cors]` route linked into the program with its effective
/// policy under `global`, e.g. for a start-up log line or a `/debug` page.
/// Sorted by path, then handler.
///
/// Each [`CorsScope`](crate::CorsScope) of an app that has started is
/// listed too (methods `*`, its full path), and a `#[cors]` route inside
/// one is listed with its full path and its policy merged over the
/// scope's; a route no started app put in a scope is listed with its own
/// path.
///
/// ```
/// for route in cors_actix::routes(None) {
///     println!("{route}");
/// }
/// ```
pub fn routes(global: Option<&CorsPolicy>) -> Vec<RouteInfo> {
    let seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    let mut list: Vec<RouteInfo> = Vec::new();
    for linked in inventory::iter::<LinkedRoute> {
        let mut placed = seen.iter().filter(|s| !s.layers.is_scope && same_route(&s.meta, linked.0)).peekable();
        if placed.peek().is_none() {
            list.push(RouteInfo::new(linked.0, global));
        }
        list.extend(placed.map(|s| RouteInfo::seen(s, global)));
    }
    list.extend(seen.iter().filter(|s| s.layers.is_scope).map(|s| RouteInfo::seen(s, global)));
    drop(seen);
    list.sort_by(|a, b| (&a.path, &a.route.handler, a.route.line).cmp(&(&b.path, &b.route.handler, b.route.line)));
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
            let meta = &r.route;
            write!(f, "\n  - `{}` at {}:{} ({} {})", meta.handler, meta.file, meta.line, r.methods(), r.path)?;
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

/// Checks every `#[cors]` route linked into the program.
pub(crate) fn check_all(global: Option<&CorsPolicy>) -> Result<Vec<RouteInfo>, RouteErrors> {
    let (ok, bad): (Vec<_>, Vec<_>) = routes(global).into_iter().partition(|r| r.effective.is_ok());
    if bad.is_empty() {
        Ok(ok)
    } else {
        Err(RouteErrors { routes: bad })
    }
}

/// A scope, or a route inside one, as an app that started had it.
struct Seen {
    meta: RouteMeta,
    layers: Layers,
    /// Its full pattern.
    path: String,
}

static SEEN: Mutex<Vec<Seen>> = Mutex::new(Vec::new());

fn same_route(a: &RouteMeta, b: &RouteMeta) -> bool {
    (a.line, &a.file, &a.handler, &a.module_path) == (b.line, &b.file, &b.handler, &b.module_path)
}

/// Records a scope, or a route inside one, of an app that is starting
/// (once per place: every worker starts the same app).
pub(crate) fn record_scoped(meta: &RouteMeta, layers: &Layers, path: String) {
    let mut seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    if !seen.iter().any(|s| s.path == path && same_route(&s.meta, meta)) {
        seen.push(Seen { meta: meta.clone(), layers: layers.clone(), path });
    }
}
