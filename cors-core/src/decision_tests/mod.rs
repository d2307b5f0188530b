//! Table-driven tests of [`CorsPolicy::decide`] against the numbered rules of
//! The behaviour on the wire (classification, preflight, actual, Vary, matching,
//! 7 wildcards, 8 credentials, 9 Private Network Access, 10 typed reasons),
//! and of [`Plan::render`].

use crate::*;

const APP: &[u8] = b"https://app.example";
const EVIL: &[u8] = b"https://evil.example";

const PREFLIGHT_VARY: VarySet = VarySet::ORIGIN.with(VarySet::REQUEST_METHOD).with(VarySet::REQUEST_HEADERS);
const PNA_VARY: VarySet = PREFLIGHT_VARY.with(VarySet::REQUEST_PRIVATE_NETWORK);

#[track_caller]
fn build(builder: PolicyBuilder) -> CorsPolicy {
    builder.build().unwrap_or_else(|e| panic!("test policy must be valid: {e}"))
}

/// `origins = ["https://app.example"]`, everything else default.
fn app_only() -> CorsPolicy {
    build(CorsPolicy::builder().origins(["https://app.example"]))
}

/// `origins = "*"`, everything else default.
fn any_origin() -> CorsPolicy {
    build(CorsPolicy::builder().origins(["*"]))
}

/// A typical API policy: a list, a pattern, non-safelisted methods, headers.
fn api() -> CorsPolicy {
    build(
        CorsPolicy::builder()
            .origins(["https://app.example", "https://*.example.com", "http://localhost:*"])
            .methods(["GET", "POST", "PUT", "PATCH", "PURGE"])
            .allow_headers(["content-type", "x-request-id"]),
    )
}

fn actual<'a>(method: &'a [u8], origin: &'a [u8]) -> RequestParts<'a> {
    RequestParts::new(method).origin(origin)
}

fn preflight<'a>(origin: &'a [u8], method: &'a [u8]) -> RequestParts<'a> {
    RequestParts::new(b"OPTIONS").origin(origin).request_method(method)
}

#[track_caller]
fn not_cors(policy: &CorsPolicy, req: &RequestParts<'_>) -> Plan {
    match policy.decide(req) {
        Decision::NotCors(plan) => plan,
        other => panic!("expected NotCors, got {other:?}"),
    }
}

#[track_caller]
fn accepted(policy: &CorsPolicy, req: &RequestParts<'_>) -> Plan {
    match policy.decide(req) {
        Decision::PreflightAccepted(plan) => plan,
        other => panic!("expected PreflightAccepted, got {other:?}"),
    }
}

/// A rejected preflight: returns the reason after checking a refused preflight's
/// "no Access-Control-* headers".
#[track_caller]
fn refused(policy: &CorsPolicy, req: &RequestParts<'_>) -> Rejection {
    match policy.decide(req) {
        Decision::PreflightRejected(rejection, plan) => {
            assert!(!plan.has_cors_headers(), "a rejected preflight carries CORS headers: {plan:?}");
            rejection
        }
        other => panic!("expected PreflightRejected, got {other:?}"),
    }
}

#[track_caller]
fn allowed(policy: &CorsPolicy, req: &RequestParts<'_>) -> Plan {
    match policy.decide(req) {
        Decision::ActualAllowed(plan) => plan,
        other => panic!("expected ActualAllowed, got {other:?}"),
    }
}

/// A disallowed actual request: returns (reason, plan, reject) after checking
/// A refusal's "no Access-Control-* headers".
#[track_caller]
fn disallowed(policy: &CorsPolicy, req: &RequestParts<'_>) -> (Rejection, Plan, bool) {
    match policy.decide(req) {
        Decision::ActualDisallowed { rejection, plan, reject } => {
            assert!(!plan.has_cors_headers(), "a disallowed request carries CORS headers: {plan:?}");
            (rejection, plan, reject)
        }
        other => panic!("expected ActualDisallowed, got {other:?}"),
    }
}

fn rendered(plan: &Plan, policy: &CorsPolicy, origin: &[u8]) -> Vec<(&'static str, String)> {
    plan.render(policy, origin)
}

fn pairs(items: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    items.iter().map(|(n, v)| (*n, v.to_string())).collect()
}

mod actual;
mod classification;
mod headers;
mod origin_fn;
mod origins;
mod preflight;
mod reasons;
