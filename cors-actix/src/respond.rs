//! What the CORS layers write: the answers they give themselves (preflights
//! and `reject` refusals), the headers they add to a handler's response
//! (errors included), and the debug-level log line for every refusal. Both
//! the global [`Cors`](crate::Cors) and a route's layer go through here.

use crate::compiled::ActixPolicy;
use crate::meta::RouteMeta;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{HeaderName, HeaderValue, ORIGIN};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use cors_core::{Decision, Plan, PolicyError, Rejection};

/// What the user turned on with [`Cors::debug_reasons`](crate::Cors::debug_reasons)
/// and [`Cors::record_rejections`](crate::Cors::record_rejections).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Reporting {
    /// Put the reason in the 403 body and an `x-cors-rejection` header.
    pub(crate) reason_in_body: bool,
    /// Put the typed `Rejection` in the response's extensions.
    pub(crate) reason_in_extensions: bool,
}

/// Whose policy decided, for log lines: a route's or the global one.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Decider<'a> {
    Global,
    Route(&'a RouteMeta),
}

impl std::fmt::Display for Decider<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decider::Global => f.write_str("global policy"),
            Decider::Route(meta) => write!(f, "route `{}` ({})", meta.handler, meta.path),
        }
    }
}

impl<'a> Decider<'a> {
    pub(crate) fn route(meta: &'a RouteMeta) -> Self {
        Decider::Route(meta)
    }

    /// The layer's own answer to a request it does not pass on: a
    /// preflight (204 with the plan's headers, or 403 without any
    /// `Access-Control-*` header), or the 403 of `reject = true`.
    pub(crate) fn answer(
        self,
        req: &HttpRequest,
        policy: &ActixPolicy,
        decision: &Decision,
        opts: Reporting,
    ) -> HttpResponse {
        match decision {
            Decision::PreflightAccepted(plan) => {
                let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
                policy.apply(plan, req.headers().get(ORIGIN), res.headers_mut());
                res
            }
            other => {
                // Only refusals reach here; anything else is answered 403
                // too, so a handler never runs for it.
                let rejection = other.rejection().unwrap_or(Rejection::OriginNotAllowed);
                log_rejection(self, req, rejection);
                refusal(other.plan(), policy, rejection, opts)
            }
        }
    }
}

/// Every refusal is logged at debug level with the route and its typed
/// reason; only the level check is on the hot path.
#[inline]
pub(crate) fn log_rejection(decider: Decider<'_>, req: &HttpRequest, rejection: Rejection) {
    if log::log_enabled!(target: "cors_actix", log::Level::Debug) {
        write_rejection_log(decider, req, rejection);
    }
}

#[cold]
#[inline(never)]
fn write_rejection_log(decider: Decider<'_>, req: &HttpRequest, rejection: Rejection) {
    log::debug!(
        target: "cors_actix",
        "CORS refused {} {} from origin {:?} by {}: {} [{}]",
        req.method(),
        req.path(),
        req.headers().get(ORIGIN).map(|o| String::from_utf8_lossy(o.as_bytes())),
        decider,
        rejection,
        rejection.code(),
    );
}

/// A 403 carrying only the plan's `Vary`, and the reason when the user
/// turned on `debug_reasons`.
fn refusal(plan: &Plan, policy: &ActixPolicy, rejection: Rejection, opts: Reporting) -> HttpResponse {
    let mut res = if opts.reason_in_body {
        HttpResponse::build(StatusCode::FORBIDDEN)
            .content_type("text/plain; charset=utf-8")
            .body(format!("CORS request refused: {rejection} [{}]", rejection.code()))
    } else {
        HttpResponse::new(StatusCode::FORBIDDEN)
    };
    policy.apply(plan, None, res.headers_mut());
    if opts.reason_in_extensions {
        res.extensions_mut().insert(rejection);
    }
    if opts.reason_in_body {
        res.headers_mut()
            .insert(HeaderName::from_static("x-cors-rejection"), HeaderValue::from_static(rejection.code()));
    }
    res
}

/// Adds a decision's headers to the response of a request that went on to
/// its handler (or an error response in its place), and the refusal reason
/// when the user asked for it.
#[inline]
pub(crate) fn decorate<B: MessageBody>(
    res: &mut ServiceResponse<B>,
    policy: &ActixPolicy,
    plan: &Plan,
    origin: Option<&HeaderValue>,
    recorded: Option<Rejection>,
) {
    policy.apply(plan, origin, res.headers_mut());
    if let Some(r) = recorded {
        res.response_mut().extensions_mut().insert(r);
    }
}

/// Renders an `Err` from inner middleware to its response with the
/// decision's headers, as a response of the route would have had them: the
/// browser hides undecorated errors from the page.
#[cold]
#[inline(never)]
pub(crate) fn decorate_error(
    err: actix_web::Error,
    policy: &ActixPolicy,
    plan: &Plan,
    origin: Option<&HeaderValue>,
) -> actix_web::Error {
    let mut res = err.error_response();
    policy.apply(plan, origin, res.headers_mut());
    // The body is re-rendered from `err` by whoever renders this error;
    // a length taken from this rendering could disagree with it.
    res.headers_mut().remove(actix_web::http::header::CONTENT_LENGTH);
    actix_web::error::InternalError::from_response(err, res).into()
}

/// A route without a global `Cors` whose own keys are not a policy (no
/// `origins`, say) answers 500; with a global, such a route stops the app
/// when it starts instead.
#[cold]
pub(crate) fn misconfigured(decider: Decider<'_>, error: &PolicyError) -> HttpResponse {
    log::error!(target: "cors_actix", "{decider} has an invalid CORS policy: {error}");
    HttpResponse::InternalServerError().finish()
}
