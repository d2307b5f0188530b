//! The rules every decision keeps, whatever the policy and the request,
//! written once: the property tests (`tests/properties/`), the no-panic
//! tests (`tests/no_panic/`) and the fuzz crate (`fuzz/src/lib.rs`)
//! include this file with `#[path]`.
//!
//! The headers are checked as the middleware writes them: through
//! [`Plan::write`], onto an empty response and onto a handler's response
//! that carries its own `Vary` and stray `Access-Control-*` headers.
//!
//! Depends on `cors_core` and `std` only, so the fuzz crate can include it.

#![allow(dead_code)]

use cors_core::{AllowOrigin, CorsPolicy, Decision, HeaderInput, HeaderList, Origins, RequestKind, RequestParts};

/// The status the server answers with: 204/403 for a preflight, 403 for a
/// forbidden actual request (`reject = true`), else the handler's 200.
pub fn status(decision: &Decision) -> u16 {
    match decision {
        Decision::PreflightAccepted(_) => 204,
        Decision::PreflightRejected(..) | Decision::ActualDisallowed { reject: true, .. } => 403,
        _ => 200,
    }
}

/// The handler ran (its own headers are on the response).
pub fn handler_ran(decision: &Decision) -> bool {
    status(decision) == 200
}

/// The request's `Origin` when sent once, else empty.
pub fn origin_of<'a>(req: &RequestParts<'a>) -> &'a [u8] {
    match req.origin {
        HeaderInput::One(o) => o,
        _ => b"",
    }
}

fn is_any_origin(policy: &CorsPolicy) -> bool {
    matches!(policy.spec().origins, Some(Origins::Any))
}

fn is_reflect(policy: &CorsPolicy) -> bool {
    matches!(policy.spec().origins, Some(Origins::ReflectAnyDangerously))
}

/// A handler's own headers: a `Vary` of its own and CORS headers the CORS
/// layer must replace.
const HANDLER_HEADERS: &[(&str, &str)] = &[
    ("content-type", "text/plain"),
    ("vary", "Accept-Encoding"),
    ("access-control-allow-origin", "https://stale.example"),
    ("access-control-allow-credentials", "true"),
    ("access-control-expose-headers", "x-secret"),
];

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// Checks every invariant of `decision`, the outcome of `policy` deciding
/// `req`; the first one broken is the error.
pub fn check(policy: &CorsPolicy, req: &RequestParts<'_>, decision: &Decision) -> Result<(), String> {
    let context = format!("policy `{policy}`, {req:?} -> {decision:?}");
    check_plan(policy, req, decision).map_err(|e| format!("{e}: {context}"))?;
    let origin = origin_of(req);
    let headers = decision.plan().render(policy, origin);
    check_headers(policy, req, decision, &headers).map_err(|e| format!("{e}: {headers:?}, {context}"))?;
    check_over_handler(policy, decision, origin, &headers).map_err(|e| format!("{e}: {context}"))
}

/// The plan itself: request kind, refusals, credentials, mirroring.
fn check_plan(policy: &CorsPolicy, req: &RequestParts<'_>, decision: &Decision) -> Result<(), String> {
    let plan = decision.plan();
    let kind = req.kind();
    if policy.is_off() {
        ensure!(!plan.has_cors_headers() && plan.vary.is_empty(), "an `off` policy wrote headers");
    }
    let expected_kind = match decision {
        Decision::NotCors(_) => kind == RequestKind::NotCors || policy.is_off(),
        Decision::PreflightAccepted(_) | Decision::PreflightRejected(..) => kind == RequestKind::Preflight,
        Decision::ActualAllowed(_) | Decision::ActualDisallowed { .. } => kind == RequestKind::Actual,
    };
    ensure!(expected_kind, "the decision does not match the request kind {kind:?}");
    if decision.rejection().is_some() {
        ensure!(!plan.has_cors_headers(), "a refusal carries Access-Control-* headers");
    }
    if plan.allow_credentials {
        ensure!(plan.allow_origin != AllowOrigin::Any, "ACAO `*` with credentials");
    }
    if plan.allow_origin == AllowOrigin::Mirror {
        ensure!(policy.allows_origin(origin_of(req)), "mirrored a disallowed origin");
    }
    if plan.allow_origin == AllowOrigin::Any {
        ensure!(is_any_origin(policy), "ACAO `*` from a policy that is not origins = \"*\"");
    }
    match decision {
        Decision::PreflightAccepted(p) => {
            ensure!(p.allow_origin != AllowOrigin::Omit, "accepted preflight without ACAO");
            ensure!(!p.expose_headers, "ACEH on a preflight");
            let pna_requested = req.request_private_network == HeaderInput::One(b"true");
            ensure!(
                !p.allow_private_network || (pna_requested && policy.private_network()),
                "ACAPN without a PNA request to a PNA policy"
            );
            if p.allow_methods {
                let safelisted = matches!(req.request_method, HeaderInput::One(b"GET" | b"HEAD" | b"POST"));
                ensure!(!safelisted, "ACAM for a safelisted method");
            }
        }
        Decision::ActualAllowed(p) => ensure!(p.allow_origin != AllowOrigin::Omit, "allowed request without ACAO"),
        Decision::ActualDisallowed { reject, .. } => {
            ensure!(*reject == policy.rejects(), "403 without running the handler exactly with reject = true")
        }
        _ => {}
    }
    if !matches!(decision, Decision::PreflightAccepted(_)) {
        ensure!(
            !plan.allow_methods && !plan.max_age && !plan.allow_private_network,
            "preflight headers on a non-preflight"
        );
    }
    Ok(())
}

/// The headers the writer puts on an empty response.
fn check_headers(
    policy: &CorsPolicy,
    req: &RequestParts<'_>,
    decision: &Decision,
    headers: &[(&'static str, String)],
) -> Result<(), String> {
    let origin = origin_of(req);
    let named = |name: &str| headers.iter().filter(|(n, _)| *n == name).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
    let acao = named("access-control-allow-origin");
    let acac = named("access-control-allow-credentials");
    let vary_lines = named("vary");
    let vary: Vec<&str> = vary_lines.iter().flat_map(|v| v.split(',')).map(str::trim).collect();
    let cors_headers = headers.iter().filter(|(n, _)| n.starts_with("access-control-")).count();
    let kind = req.kind();

    ensure!(acao.len() <= 1, "more than one ACAO");
    ensure!(vary_lines.len() <= 1, "more than one Vary line");
    ensure!(acao != ["*"] || acac.is_empty(), "ACAO `*` with ACAC");
    ensure!(acac.iter().all(|v| *v == "true"), "ACAC not exactly `true`");
    ensure!(acac.is_empty() || policy.credentials(), "ACAC without credentials");
    if let [value] = acao[..] {
        if value != "*" {
            ensure!(vary.contains(&"Origin"), "ACAO depends on the origin but no `Vary: Origin`");
            ensure!(value == String::from_utf8_lossy(origin), "ACAO is not the request's origin");
            ensure!(policy.allows_origin(origin), "mirrored a disallowed origin");
            if !is_reflect(policy) {
                // Only a real serialized origin can be allowed by a list.
                let clean = value.bytes().all(|b| b.is_ascii_graphic() && b != b',');
                ensure!(clean, "ACAO holds whitespace, a comma or a non-ASCII byte: {value:?}");
            }
        }
    }
    if policy.is_off() {
        ensure!(headers.is_empty(), "a route with `off` got headers");
        return Ok(());
    }
    if !is_any_origin(policy) {
        ensure!(vary.contains(&"Origin"), "an origin-dependent policy without `Vary: Origin`");
    } else if matches!(decision, Decision::NotCors(_) | Decision::ActualAllowed(_)) {
        ensure!(acao == ["*"], "origins = \"*\" must send ACAO `*` on every response");
    }
    if kind == RequestKind::Preflight {
        for name in ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] {
            ensure!(vary.contains(&name), "preflight without `Vary: {name}`");
        }
        if policy.private_network() {
            let pna = "Access-Control-Request-Private-Network";
            ensure!(vary.contains(&pna), "PNA preflight without `Vary: {pna}`");
        }
        let accepted = matches!(decision, Decision::PreflightAccepted(_));
        ensure!((200..=299).contains(&status(decision)) == accepted, "preflight status does not match the decision");
        if accepted {
            ensure!(acao.len() == 1, "accepted preflight without ACAO");
        }
    }
    if decision.rejection().is_some() {
        ensure!(cors_headers == 0, "a refusal carries Access-Control-* headers");
    }
    if matches!(decision, Decision::ActualAllowed(_)) {
        ensure!(acao.len() == 1, "allowed actual request without ACAO");
    }
    Ok(())
}

/// Written over a handler's response, the CORS headers are exactly those
/// of the empty response (the handler's own are gone, except under `off`)
/// and `Vary` is one line: the handler's names, then the plan's.
fn check_over_handler(
    policy: &CorsPolicy,
    decision: &Decision,
    origin: &[u8],
    alone: &[(&'static str, String)],
) -> Result<(), String> {
    let mut list = HeaderList::new(policy.header_texts(), origin);
    for &(name, value) in HANDLER_HEADERS {
        list.append(name, value);
    }
    decision.plan().write(policy, &mut list);
    let written = list.into_entries();
    let cors = |headers: &[(&'static str, String)]| {
        let mut cors: Vec<(&str, String)> =
            headers.iter().filter(|(n, _)| n.starts_with("access-control-")).cloned().collect();
        cors.sort();
        cors
    };
    let expected = if policy.is_off() { cors(&list_of(HANDLER_HEADERS)) } else { cors(alone) };
    ensure!(cors(&written) == expected, "over a handler's response the CORS headers are {written:?}, not {expected:?}");
    let vary: Vec<&str> = written.iter().filter(|(n, _)| *n == "vary").map(|(_, v)| v.as_str()).collect();
    let plan_vary = alone.iter().find(|(n, _)| *n == "vary").map(|(_, v)| v.as_str());
    let expected_vary = match plan_vary {
        Some(v) => format!("Accept-Encoding, {v}"),
        None => "Accept-Encoding".to_owned(),
    };
    ensure!(vary == [expected_vary.as_str()], "Vary over the handler's is {vary:?}, not one line {expected_vary:?}");
    Ok(())
}

fn list_of(headers: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect()
}
