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

/// What `policy` decides for `req`, after checking that it is the `want`
/// variant and, for a refusal (`PreflightRejected`, `ActualDisallowed`), that
/// it carries no `Access-Control-*` header.
#[track_caller]
fn decided(policy: &CorsPolicy, req: &RequestParts<'_>, want: &str) -> Decision {
    let decision = policy.decide(req);
    let got = match decision {
        Decision::NotCors(_) => "NotCors",
        Decision::PreflightAccepted(_) => "PreflightAccepted",
        Decision::PreflightRejected(..) => "PreflightRejected",
        Decision::ActualAllowed(_) => "ActualAllowed",
        Decision::ActualDisallowed { .. } => "ActualDisallowed",
    };
    assert_eq!(got, want, "expected {want}, got {decision:?}");
    if decision.rejection().is_some() {
        assert!(!decision.plan().has_cors_headers(), "a refusal ({want}) carries CORS headers: {decision:?}");
    }
    decision
}

#[track_caller]
fn not_cors(policy: &CorsPolicy, req: &RequestParts<'_>) -> Plan {
    *decided(policy, req, "NotCors").plan()
}

#[track_caller]
fn accepted(policy: &CorsPolicy, req: &RequestParts<'_>) -> Plan {
    *decided(policy, req, "PreflightAccepted").plan()
}

/// A rejected preflight's reason.
#[track_caller]
fn refused(policy: &CorsPolicy, req: &RequestParts<'_>) -> Rejection {
    decided(policy, req, "PreflightRejected").rejection().expect("a rejected preflight has a reason")
}

#[track_caller]
fn allowed(policy: &CorsPolicy, req: &RequestParts<'_>) -> Plan {
    *decided(policy, req, "ActualAllowed").plan()
}

/// A disallowed actual request's (reason, plan, reject).
#[track_caller]
fn disallowed(policy: &CorsPolicy, req: &RequestParts<'_>) -> (Rejection, Plan, bool) {
    let Decision::ActualDisallowed { rejection, plan, reject } = decided(policy, req, "ActualDisallowed") else {
        unreachable!("decided checked the variant")
    };
    (rejection, plan, reject)
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
