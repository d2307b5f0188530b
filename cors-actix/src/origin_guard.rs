//! The policy's origin matching where CORS does not apply: browsers send
//! WebSocket handshakes and form posts cross-origin without asking the
//! server first, and let the page go on regardless of the answer's
//! headers. Such a route has to refuse foreign origins itself, or any site
//! can open a WebSocket with the user's cookies (cross-site WebSocket
//! hijacking); [`OriginGuard`] does it with the same matching as the
//! policy (exact origins, whole-label patterns, `null` only when listed).

use crate::policies::CorsHandle;
use actix_service::Service;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, ORIGIN};
use actix_web::{Error, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use cors_core::CorsPolicy;
use futures_util::future::LocalBoxFuture;
use std::future::{ready, Ready};
use std::rc::Rc;
use std::sync::Arc;

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

/// Where the guard takes its policy from.
#[derive(Clone, Debug)]
enum Source {
    Fixed(Arc<CorsPolicy>),
    Reloadable(CorsHandle),
}

/// Refuses, with 403 and before the handler runs, every request whose
/// `Origin` the policy does not allow — including a request with no
/// `Origin` or with several. Use it on routes browsers reach without a
/// CORS check: WebSocket handshakes, form posts, `<img>`/`<script>` GETs
/// with side effects.
///
/// A request with `Sec-Fetch-Site: same-origin` (set by browsers only;
/// scripts cannot) comes from the site's own pages and is let through.
/// The handler can read the checked origin with the [`AllowedOrigin`]
/// extractor.
///
/// ```
/// use actix_web::{test, web, App, HttpResponse};
/// use cors_actix::{AllowedOrigin, CorsPolicy, OriginGuard};
///
/// # actix_web::rt::System::new().block_on(async {
/// let policy = CorsPolicy::builder().origins(["https://app.example"]).build()?;
/// let app = test::init_service(App::new().service(
///     web::resource("/ws")
///         .wrap(OriginGuard::new(policy))
///         .route(web::get().to(|origin: AllowedOrigin| async move { HttpResponse::Ok().body(origin.0) })),
/// )).await;
///
/// let from = |origin: &str| test::TestRequest::get().uri("/ws").insert_header(("origin", origin)).to_request();
/// assert_eq!(test::call_service(&app, from("https://evil.example")).await.status(), 403);
/// assert_eq!(test::call_service(&app, from("https://app.example")).await.status(), 200);
/// # Ok::<(), cors_actix::PolicyError>(())
/// # }).unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct OriginGuard {
    source: Source,
}

impl OriginGuard {
    /// Checks origins against `policy` (the same policy as the app's
    /// `Cors`, usually: `OriginGuard::new(cors.policy().clone())`).
    pub fn new(policy: CorsPolicy) -> OriginGuard {
        OriginGuard { source: Source::Fixed(Arc::new(policy)) }
    }

    /// Checks origins against the current policy of a
    /// [`Cors::reloadable`](crate::Cors::reloadable), following every
    /// [`CorsHandle::replace`].
    pub fn reloadable(handle: &CorsHandle) -> OriginGuard {
        OriginGuard { source: Source::Reloadable(handle.clone()) }
    }

    /// The request's origin when the policy allows it (or the request is
    /// same-origin), else `None`.
    pub fn check(&self, req: &HttpRequest) -> Option<String> {
        let mut origins = req.headers().get_all(ORIGIN);
        let origin = match (origins.next(), origins.next()) {
            (Some(origin), None) => origin,
            _ => return None,
        };
        let text = origin.to_str().ok()?;
        let mut site = req.headers().get_all(SEC_FETCH_SITE);
        let same_origin = matches!((site.next(), site.next()), (Some(v), None) if v.as_bytes() == b"same-origin");
        let view = crate::origin_fn::ActixRequest(req.head());
        let allowed = same_origin
            || match &self.source {
                Source::Fixed(policy) => policy.allows_request_origin(origin.as_bytes(), &view),
                Source::Reloadable(handle) => handle.policy().allows_request_origin(origin.as_bytes(), &view),
            };
        allowed.then(|| text.to_owned())
    }
}

/// The `Origin` of a request that passed an [`OriginGuard`].
///
/// Extracting it on a route without the guard fails with 500 and a log
/// line: the handler would otherwise trust an origin nobody checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedOrigin(pub String);

impl FromRequest for AllowedOrigin {
    type Error = Error;
    type Future = Ready<Result<AllowedOrigin, Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.extensions().get::<AllowedOrigin>() {
            Some(origin) => Ok(origin.clone()),
            None => {
                log::error!(
                    target: "cors_actix",
                    "AllowedOrigin extracted on {} {} without an OriginGuard: wrap the route in `OriginGuard::new(policy)`",
                    req.method(),
                    req.path()
                );
                Err(actix_web::error::ErrorInternalServerError("origin not checked"))
            }
        })
    }
}

either_body_layer!(
    OriginGuard => OriginGuardService,
    future: LocalBoxFuture<'static, Result<ServiceResponse<EitherBody<B>>, Error>>
);

impl OriginGuard {
    fn build<S>(&self, service: S) -> Result<OriginGuardService<S>, ()> {
        Ok(OriginGuardService { service: Rc::new(service), guard: self.clone() })
    }
}

/// The service built by [`OriginGuard`].
#[doc(hidden)]
pub struct OriginGuardService<S> {
    service: Rc<S>,
    guard: OriginGuard,
}

impl<S> OriginGuardService<S> {
    fn handle<B>(&self, req: ServiceRequest) -> LocalBoxFuture<'static, Result<ServiceResponse<EitherBody<B>>, Error>>
    where
        S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
        B: MessageBody + 'static,
    {
        match self.guard.check(req.request()) {
            Some(origin) => {
                req.extensions_mut().insert(AllowedOrigin(origin));
                let fut = self.service.call(req);
                Box::pin(async move { Ok(fut.await?.map_into_left_body()) })
            }
            None => {
                log::debug!(
                    target: "cors_actix",
                    "OriginGuard refused {} {} from origin {:?}",
                    req.method(),
                    req.path(),
                    req.headers().get(ORIGIN).map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned())
                );
                let res = HttpResponse::Forbidden().finish();
                Box::pin(ready(Ok(req.into_response(res).map_into_right_body())))
            }
        }
    }
}
