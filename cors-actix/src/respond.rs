//! Responses the CORS layers produce themselves (preflight answers and
//! refusals), and the debug-level log line for every refusal.

use crate::compiled::CompiledPolicy;
use actix_web::http::header::{HeaderValue, ORIGIN};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use cors_core::{Decision, Plan, Rejection};

/// What the user turned on with [`Cors::debug_reasons`](crate::Cors::debug_reasons)
/// and [`Cors::record_rejections`](crate::Cors::record_rejections).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    /// Put the reason in the 403 body and an `x-cors-rejection` header.
    pub(crate) debug: bool,
    /// Put the typed `Rejection` in the response's extensions.
    pub(crate) record: bool,
}

/// Who decided: a route (handler name and path) or the global policy.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Scope<'a> {
    Global,
    Route { handler: &'a str, path: &'a str },
}

impl std::fmt::Display for Scope<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Global => f.write_str("global policy"),
            Scope::Route { handler, path } => write!(f, "route `{handler}` ({path})"),
        }
    }
}

/// SPEC §4 rule 10: every refusal is logged at debug level with the route
/// and its typed reason.
#[inline]
pub(crate) fn log_rejection(scope: Scope<'_>, req: &HttpRequest, rejection: Rejection) {
    // Only the level check is on the hot path.
    if log::log_enabled!(target: "cors_actix", log::Level::Debug) {
        write_rejection_log(scope, req, rejection);
    }
}

#[cold]
#[inline(never)]
fn write_rejection_log(scope: Scope<'_>, req: &HttpRequest, rejection: Rejection) {
    log::debug!(
        target: "cors_actix",
        "CORS refused {} {} from origin {:?} by {}: {} [{}]",
        req.method(),
        req.path(),
        req.headers().get(ORIGIN).map(|o| String::from_utf8_lossy(o.as_bytes())),
        scope,
        rejection,
        rejection.code(),
    );
}

/// The reason a refused response carries in its body when the user turned
/// on `debug_reasons`; otherwise the body is empty.
fn refusal(
    status: StatusCode,
    plan: &Plan,
    policy: &CompiledPolicy,
    rejection: Rejection,
    opts: Options,
) -> HttpResponse {
    let mut res = if opts.debug {
        HttpResponse::build(status)
            .content_type("text/plain; charset=utf-8")
            .body(format!("CORS request refused: {rejection} [{}]", rejection.code()))
    } else {
        HttpResponse::new(status)
    };
    policy.apply(plan, None, res.headers_mut());
    if opts.record {
        res.extensions_mut().insert(rejection);
    }
    if opts.debug {
        res.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static("x-cors-rejection"),
            HeaderValue::from_static(rejection.code()),
        );
    }
    res
}

/// The answer to a preflight decision (accepted: 204 with the plan's
/// headers; rejected: 403 without any `Access-Control-*` header).
pub(crate) fn preflight(
    req: &HttpRequest,
    policy: &CompiledPolicy,
    decision: &Decision,
    scope: Scope<'_>,
    opts: Options,
) -> HttpResponse {
    if let Decision::PreflightRejected(rejection, _) = decision {
        log_rejection(scope, req, *rejection);
    }
    preflight_without_request(policy, decision, req.headers().get(ORIGIN), opts)
}

/// The answer to a preflight when the request is no longer at hand (an
/// inner service failed with `Err`); nothing is logged with the path.
pub(crate) fn preflight_without_request(
    policy: &CompiledPolicy,
    decision: &Decision,
    origin: Option<&HeaderValue>,
    opts: Options,
) -> HttpResponse {
    match decision {
        Decision::PreflightAccepted(plan) => {
            let mut res = HttpResponse::new(StatusCode::NO_CONTENT);
            policy.apply(plan, origin, res.headers_mut());
            res
        }
        // A non-preflight decision is not reachable here; answering 403
        // keeps the handler from running all the same.
        other => {
            let rejection = other.rejection().unwrap_or(Rejection::OriginNotAllowed);
            refusal(StatusCode::FORBIDDEN, other.plan(), policy, rejection, opts)
        }
    }
}

/// `reject = true`: the 403 answer to an actual request from a disallowed
/// origin; the handler never runs.
pub(crate) fn forbidden(
    req: &HttpRequest,
    policy: &CompiledPolicy,
    plan: &Plan,
    rejection: Rejection,
    scope: Scope<'_>,
    opts: Options,
) -> HttpResponse {
    log_rejection(scope, req, rejection);
    refusal(StatusCode::FORBIDDEN, plan, policy, rejection, opts)
}

/// A route whose merged policy is invalid answers 500 (it can only happen
/// for hand-registered routes under a global policy they conflict with;
/// `#[cors]` routes are checked when the app starts).
pub(crate) fn misconfigured(scope: Scope<'_>, message: &str) -> HttpResponse {
    log::error!(target: "cors_actix", "{scope} has an invalid CORS policy: {message}");
    HttpResponse::InternalServerError().finish()
}
