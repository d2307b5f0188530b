//! The compiled policies one app uses on one worker, and how a reloadable
//! global policy ([`Cors::reloadable`](crate::Cors::reloadable)) reaches
//! them.
//!
//! Each worker holds its app's policies in a [`PolicyCell`]: the global
//! policy and every route's merged policy, compiled, behind one `Rc`. A
//! request takes the cell's current value once, at its start, and makes
//! all its decisions with it, so a policy replaced mid-request never mixes
//! two policies in one answer.
//!
//! A fixed `Cors` never changes its cell. A reloadable one shares a
//! [`Reloadable`] with its [`CorsHandle`]s: the current global policy in an
//! `ArcSwap` and a version number. [`CorsHandle::replace`] checks the new
//! policy against every route of every app built with it, then publishes
//! it and bumps the version; each worker sees the new version on its next
//! request (one atomic load, no lock), re-merges its routes over the new
//! policy and swaps its cell. The lock in `Reloadable` is only taken when
//! an app starts and when a policy is replaced, never by a request.

use crate::compiled::ActixPolicy;
use crate::introspect::{RouteErrors, RouteInfo};
use crate::meta::{Layers, RouteMeta};
use crate::respond::Reporting;
use arc_swap::ArcSwap;
use cors_core::CorsPolicy;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

/// What one request decides with: the global policy and each route's
/// merged policy (by the route's index in the app's route table).
pub(crate) struct Policies {
    pub(crate) global: ActixPolicy,
    pub(crate) routes: Box<[Rc<ActixPolicy>]>,
    pub(crate) options: Reporting,
}

impl Policies {
    /// The policy of the route at `index` in the table, or the global one.
    #[inline]
    pub(crate) fn of(&self, route: Option<usize>) -> &ActixPolicy {
        match route {
            Some(i) => &self.routes[i],
            None => &self.global,
        }
    }
}

/// One app's current [`Policies`] on one worker.
pub(crate) struct PolicyCell {
    current: RefCell<Rc<Policies>>,
    reload: Option<WorkerReload>,
}

/// A worker's view of a reloadable global policy.
struct WorkerReload {
    shared: Arc<Reloadable>,
    /// The version `current` was built from.
    seen: Cell<u64>,
    /// The app's routes, in table order; also what keeps the app
    /// registered with `shared` for [`CorsHandle::replace`]'s check.
    routes: Arc<AppRoutes>,
}

impl PolicyCell {
    pub(crate) fn fixed(policies: Policies) -> Rc<PolicyCell> {
        Rc::new(PolicyCell { current: RefCell::new(Rc::new(policies)), reload: None })
    }

    /// The cell of an app starting with a reloadable `Cors`: registers the
    /// app's routes (checked against `start.policy`) for
    /// [`CorsHandle::replace`]'s check, then releases the lock.
    pub(crate) fn reloadable(policies: Policies, start: AppStart<'_>, routes: Vec<AppRoute>) -> Rc<PolicyCell> {
        let AppStart { shared, mut apps, version, .. } = start;
        let routes = Arc::new(AppRoutes { routes });
        apps.retain(|app| app.strong_count() > 0);
        apps.push(Arc::downgrade(&routes));
        drop(apps);
        let reload = WorkerReload { shared: shared.clone(), seen: Cell::new(version), routes };
        Rc::new(PolicyCell { current: RefCell::new(Rc::new(policies)), reload: Some(reload) })
    }

    /// The policies for the request starting now.
    #[inline]
    pub(crate) fn get(&self) -> Rc<Policies> {
        if let Some(reload) = &self.reload {
            if reload.shared.version.load(Ordering::Acquire) != reload.seen.get() {
                self.refresh(reload);
            }
        }
        self.current.borrow().clone()
    }

    /// Re-merges the app's routes over the newly published global policy.
    #[cold]
    #[inline(never)]
    fn refresh(&self, reload: &WorkerReload) {
        // The version first: a policy published after it is picked up by
        // the next request (its version will differ again).
        let version = reload.shared.version.load(Ordering::Acquire);
        let global = reload.shared.current.load_full();
        let options = self.current.borrow().options;
        let mut routes = Vec::with_capacity(reload.routes.routes.len());
        for AppRoute { meta, layers, path } in &reload.routes.routes {
            match layers.effective_policy(meta, Some(&global)) {
                Ok(policy) => routes.push(Rc::new(ActixPolicy::new(policy))),
                Err(error) => {
                    // `replace` checked this route against this policy
                    // before publishing it, so this cannot happen; keep
                    // the policies the worker has rather than serve a
                    // half-updated set.
                    log::error!(
                        target: "cors_actix",
                        "not reloading the CORS policy: route {path} -> {} is invalid under it: {error}",
                        meta.handler
                    );
                    reload.seen.set(version);
                    return;
                }
            }
        }
        let policies = Policies { global: ActixPolicy::new((*global).clone()), routes: routes.into(), options };
        *self.current.borrow_mut() = Rc::new(policies);
        reload.seen.set(version);
    }
}

/// The routes with their own policy of one app built with a reloadable
/// `Cors`.
pub(crate) struct AppRoutes {
    pub(crate) routes: Vec<AppRoute>,
}

/// A route (or scope) with its own policy, as a reload checks it: what
/// it sets, the scopes around it, its full path.
pub(crate) struct AppRoute {
    pub(crate) meta: RouteMeta,
    pub(crate) layers: Layers,
    pub(crate) path: String,
}

/// State shared by a reloadable `Cors`, its clones (one per worker) and
/// its handles.
pub(crate) struct Reloadable {
    current: ArcSwap<CorsPolicy>,
    version: AtomicU64,
    /// Every app built with this `Cors` that is still alive.
    apps: Mutex<Vec<Weak<AppRoutes>>>,
}

impl fmt::Debug for Reloadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reloadable").field("version", &self.version.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

/// An app starting with a reloadable `Cors`: holds the lock, so no policy
/// is replaced between checking the app's routes and registering them.
pub(crate) struct AppStart<'a> {
    shared: &'a Arc<Reloadable>,
    apps: MutexGuard<'a, Vec<Weak<AppRoutes>>>,
    pub(crate) policy: Arc<CorsPolicy>,
    version: u64,
}

impl Reloadable {
    pub(crate) fn new(policy: CorsPolicy) -> Arc<Reloadable> {
        Arc::new(Reloadable {
            current: ArcSwap::from_pointee(policy),
            version: AtomicU64::new(0),
            apps: Mutex::new(Vec::new()),
        })
    }

    /// Starts an app: the current policy, under the lock.
    pub(crate) fn start(self: &Arc<Self>) -> AppStart<'_> {
        let apps = self.apps.lock().unwrap_or_else(PoisonError::into_inner);
        AppStart { shared: self, policy: self.current.load_full(), version: self.version.load(Ordering::Acquire), apps }
    }

    pub(crate) fn current(&self) -> Arc<CorsPolicy> {
        self.current.load_full()
    }
}

/// Replaces the global policy of a running app: from
/// [`Cors::reloadable`](crate::Cors::reloadable).
///
/// `Clone + Send + Sync`: keep one in the app's state (an admin endpoint),
/// a background task that watches a file, or both.
///
/// ```
/// use actix_web::{test, web, App, HttpResponse};
/// use cors_actix::{Cors, CorsPolicy};
///
/// # actix_web::rt::System::new().block_on(async {
/// let initial = CorsPolicy::builder().origins(["https://a.example"]).build()?;
/// let (cors, handle) = Cors::reloadable(initial);
/// let app = test::init_service(App::new().wrap(cors).route("/", web::get().to(HttpResponse::Ok))).await;
/// let from = |origin: &str| test::TestRequest::get().uri("/").insert_header(("origin", origin)).to_request();
///
/// let res = test::call_service(&app, from("https://b.example")).await;
/// assert!(res.headers().get("access-control-allow-origin").is_none());
///
/// handle.replace(CorsPolicy::builder().origins(["https://a.example", "https://b.example"]).build()?)?;
/// let res = test::call_service(&app, from("https://b.example")).await;
/// assert_eq!(res.headers().get("access-control-allow-origin").unwrap(), "https://b.example");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct CorsHandle {
    shared: Arc<Reloadable>,
}

impl CorsHandle {
    pub(crate) fn new(shared: Arc<Reloadable>) -> CorsHandle {
        CorsHandle { shared }
    }

    /// The global policy in use now.
    pub fn policy(&self) -> Arc<CorsPolicy> {
        self.shared.current()
    }

    /// Makes `policy` the global policy of every app built with this
    /// handle's `Cors`, from each worker's next request on; routes with a
    /// policy of their own inherit from it at once.
    ///
    /// Every such route of every running app is first merged with `policy`
    /// and checked, as at start-up: if any merged policy is invalid (a
    /// route with `credentials = true` under a new `origins = "*"`, say),
    /// nothing changes and every such route is returned.
    pub fn replace(&self, policy: CorsPolicy) -> Result<(), RouteErrors> {
        let mut apps = self.shared.apps.lock().unwrap_or_else(PoisonError::into_inner);
        apps.retain(|app| app.strong_count() > 0);
        let mut refused: Vec<RouteInfo> = Vec::new();
        for app in apps.iter().filter_map(Weak::upgrade) {
            for AppRoute { meta, layers, path } in &app.routes {
                // Every worker runs the same app: report each route once.
                let seen = refused.iter().any(|r| r.path == *path && r.route.handler == meta.handler);
                if seen {
                    continue;
                }
                if let Err(error) = layers.effective_policy(meta, Some(&policy)) {
                    refused.push(RouteInfo { route: meta.clone(), path: path.clone(), effective: Err(error) });
                }
            }
        }
        if !refused.is_empty() {
            return Err(RouteErrors { routes: refused });
        }
        self.shared.current.store(Arc::new(policy));
        self.shared.version.fetch_add(1, Ordering::Release);
        drop(apps);
        Ok(())
    }
}
