//! Property tests (proptest): random policies that are valid by construction
//! and random requests, checked against the behaviour on the wire and against the browser
//! model (`cors_core::browser`), with failing inputs shrunk to minimal counterexamples.
//!
//! 1. `decide` never panics on hostile header bytes.
//! 2. The server's answer, put through the browser model, lets the page
//!    read exactly what the policy means to allow.
//! 3. Invariants of every decision (one ACAO, never `*` with credentials,
//!    `Vary`, no `Access-Control-*` on refusals, statuses).
//! 4. Subdomain patterns match whole labels only; validation refuses the
//!    building blocks only for the documented combinations.
//!
//! `cargo test -p cors-core --test properties` runs a few thousand cases
//! in all. The long run, 1,000,000 cases per property:
//!
//! ```text
//! PROPTEST_CASES=1000000 cargo test -p cors-core --release --test properties
//! ```
//!
//! Failures are not persisted to `proptest-regressions/`: a real
//! counterexample becomes a named regression test at the end of this file.

use cors_core::browser::{
    build_actual, build_preflight, classify_request, Blocked, BrowserOutcome, BrowserRequest, ExchangeSteps,
    OutgoingRequest, Phase, Response, Step,
};
use cors_core::{CorsPolicy, Decision, HeaderInput, HeaderList, ProblemKind, RequestParts};
use proptest::prelude::*;

#[path = "support/invariants.rs"]
mod invariants;
#[path = "support/pages.rs"]
mod pages;
#[path = "support/patterns.rs"]
mod patterns;
#[path = "support/policies.rs"]
mod policies;
#[path = "support/wire.rs"]
mod wire;
use invariants::{handler_ran, status};
use pages::*;
use patterns::*;
use policies::*;
use wire::*;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
fn config(default_cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default_cases;
    }
    // About one generated policy in five is refused by validation and
    // filtered out; allow that rate for any number of cases.
    config.max_local_rejects = config.max_local_rejects.max(config.cases.saturating_mul(2));
    config.failure_persistence = None;
    config
}

// ---- the server's answer ------------------------------------------------------

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";

/// Calls `f` with what the server reads of a request a browser put on the
/// wire: its method and its CORS request headers, cross-origin.
fn with_wire_parts<T>(sent: &OutgoingRequest, f: impl FnOnce(&RequestParts<'_>) -> T) -> T {
    let lines: Vec<&[u8]> = sent.values("access-control-request-headers").collect();
    let parts = RequestParts {
        method: sent.method().as_bytes(),
        origin: HeaderInput::from_values(sent.values("origin")),
        request_method: HeaderInput::from_values(sent.values("access-control-request-method")),
        request_headers: &lines,
        request_headers_overflow: false,
        request_private_network: HeaderInput::from_values(sent.values("access-control-request-private-network")),
        same_origin: false,
        view: None,
    };
    f(&parts)
}

/// The response a server using `policy` sends for a request a browser put
/// on the wire: the status, the handler's headers when it ran (its own
/// `Vary` and a stray CORS header among them), then the middleware's
/// writer, `Plan::write`, over them.
fn serve(policy: &CorsPolicy, sent: &OutgoingRequest) -> (Decision, Response) {
    let decision = with_wire_parts(sent, |parts| policy.decide(parts));
    let origin = sent.get("origin").unwrap_or_default();
    let mut headers = HeaderList::new(policy.header_texts(), &origin);
    if handler_ran(&decision) {
        headers.append("content-type", "text/plain");
        headers.append("x-request-id", "7");
        headers.append("x-secret", "s");
        headers.append("vary", "Accept-Encoding");
        if !policy.is_off() {
            // removed by the writer: the CORS layer owns these
            headers.append("access-control-expose-headers", "x-secret");
        }
    }
    decision.plan().write(policy, &mut headers);
    let mut response = Response::new(status(&decision));
    for (name, value) in headers.into_entries() {
        response = response.header(name, value);
    }
    (decision, response)
}

// ---- invariants of every decision ---------------------------------------------

/// Rules that hold for every decision, whatever the request
/// (`support/invariants.rs`, shared with the no-panic tests and the fuzz crate).
fn check_invariants(policy: &CorsPolicy, req: &RequestParts<'_>, decision: &Decision) -> Result<(), TestCaseError> {
    invariants::check(policy, req, decision).map_err(TestCaseError::fail)
}

/// What the server decided on each request the browser sent, and whether
/// the browser's checks on that leg passed.
type Legs = Vec<(Decision, bool)>;

/// What the page gets (the readable header names, or where it was
/// blocked), whether a preflight was sent, and each leg.
fn browse(policy: &CorsPolicy, req: &BrowserRequest) -> (bool, Result<Vec<String>, Blocked>, Legs) {
    let mut steps = ExchangeSteps::start(req);
    let mut decisions = Vec::new();
    while let Some(sent) = steps.next_request() {
        let (decision, response) = serve(policy, sent);
        decisions.push(decision);
        steps.receive(response);
    }
    let exchange = steps.finish();
    let class = exchange.classification.as_ref().expect("the page requests are all valid fetch() calls");
    // A leg's checks passed when the exchange went on after it.
    let passed = [
        exchange.preflight.as_ref().map(|_| exchange.actual.is_some()),
        exchange.actual.as_ref().map(|_| exchange.is_allowed()),
    ];
    let legs = decisions.into_iter().zip(passed.into_iter().flatten()).collect();
    let outcome = match &exchange.outcome {
        BrowserOutcome::Allowed { readable } => Ok(readable.clone()),
        BrowserOutcome::Blocked(blocked) => Err(blocked.clone()),
    };
    (class.needs_preflight, outcome, legs)
}

/// Why the policy does not mean to allow the request (empty: it does),
/// from the policy's own data, not from its headers.
fn refusals(policy: &CorsPolicy, req: &BrowserRequest) -> Vec<String> {
    let class = classify_request(req).expect("valid fetch() call");
    let include = req.credentials.is_include();
    let mut why = Vec::new();
    if policy.is_off() {
        why.push("CORS is off".to_owned());
    }
    if !policy.allows_origin(req.origin.as_bytes()) {
        why.push(format!("origin {} not allowed", req.origin));
    }
    if include && !policy.credentials() {
        why.push("credentials not allowed".to_owned());
    }
    if class.needs_preflight {
        // A preflight asks for the method as the browser sends it:
        // case-sensitive, `patch` is not `PATCH`.
        let methods = policy.allowed_methods();
        if !methods.any && !methods.names.iter().any(|m| *m == class.method) {
            why.push(format!("method {} not allowed", class.method));
        }
        let allowed = policy.spec().allow_headers.clone().unwrap_or(cors_core::NameList::of(&[]));
        for name in &class.unsafe_header_names {
            let listed = allowed.contains_ignore_case(name);
            let star = allowed.any && !name.eq_ignore_ascii_case("authorization");
            if !listed && !star {
                why.push(format!("header {name} not allowed"));
            }
        }
        if req.private_network && !policy.private_network() {
            why.push("private network access not allowed".to_owned());
        }
    }
    why
}

/// Whether the page may read response header `name` of an allowed request.
fn exposed(policy: &CorsPolicy, name: &str, include: bool) -> bool {
    policy.spec().expose_headers.as_ref().is_some_and(|l| l.contains_ignore_case(name) || (l.any && !include))
}

fn check_with_browser(policy: &CorsPolicy, req: &BrowserRequest) -> Result<(), TestCaseError> {
    let (preflighted, outcome, legs) = browse(policy, req);
    let why = refusals(policy, req);
    for (decision, passed) in legs {
        let accepted = matches!(decision, Decision::PreflightAccepted(_) | Decision::ActualAllowed(_));
        // The server cannot see the credentials mode (a preflight carries
        // none), so a credentialed request may still fail on ACAC.
        if req.credentials.is_include() {
            prop_assert!(accepted || !passed, "the browser passed a leg the server refused: {decision:?}");
        } else {
            prop_assert_eq!(accepted, passed, "server and browser disagree on a leg: {:?}", decision);
        }
    }
    match outcome {
        Ok(readable) => {
            prop_assert!(why.is_empty(), "the browser allowed what the policy refuses ({why:?})");
            let include = req.credentials.is_include();
            prop_assert!(readable.iter().any(|n| n == "content-type"), "content-type not readable: {readable:?}");
            for name in ["x-request-id", "x-secret"] {
                let readable = readable.iter().any(|n| n == name);
                prop_assert_eq!(readable, exposed(policy, name, include), "can the page read {}?", name);
            }
        }
        Err(blocked) => {
            prop_assert!(!why.is_empty(), "the browser blocked what the policy allows: {blocked}");
            // Every refusal is a response without (usable) CORS headers,
            // caught where the browser first asks: the preflight if any.
            let phase = if preflighted { Phase::Preflight } else { Phase::Actual };
            prop_assert_eq!((blocked.phase, blocked.step), (phase, Step::CorsCheck), "{}", blocked);
        }
    }
    Ok(())
}

// ---- the properties ------------------------------------------------------------

proptest! {
    #![proptest_config(config(1_000))]

    /// (a) `decide` and `Plan::render` never panic, for any valid policy and
    /// any bytes in `Origin`, ACRM, ACRH lines and ACRPN.
    #[test]
    fn decide_never_panics((policy, req) in policy_and_wire_request()) {
        req.with_parts(|parts| {
            let decision = policy.policy.decide(parts);
            let origin = match parts.origin { HeaderInput::One(o) => o, _ => b"" };
            let _ = decision.plan().render(&policy.policy, origin);
        });
    }

    /// (b) Through the browser model, the page can read the response exactly
    /// when the policy allows the origin, the credentials mode and, for a
    /// preflighted request, the method, every CORS-unsafe header and PNA; and
    /// it can read exactly the exposed headers.
    #[test]
    fn the_browser_allows_exactly_what_the_policy_means((policy, page) in policy_and_page()) {
        check_with_browser(&policy.policy, &page.0)?;
    }

    /// (c) The invariants hold for every decision, hostile requests
    /// included.
    #[test]
    fn every_decision_keeps_the_invariants((policy, req) in policy_and_wire_request()) {
        req.with_parts(|parts| check_invariants(&policy.policy, parts, &policy.policy.decide(parts)))?;
    }
}

proptest! {
    #![proptest_config(config(500))]

    /// (b') The same for the requests the browser actually sends: every
    /// decision on the preflight and the actual request keeps the
    /// invariants.
    #[test]
    fn browser_requests_keep_the_invariants((policy, page) in policy_and_page()) {
        let req = &page.0;
        let class = classify_request(req).expect("valid fetch() call");
        let mut sent = vec![build_actual(req, &class)];
        if class.needs_preflight {
            sent.push(build_preflight(req, &class));
        }
        for out in &sent {
            with_wire_parts(out, |parts| check_invariants(&policy.policy, parts, &policy.policy.decide(parts)))?;
        }
    }

    /// Subdomain patterns match one or more whole labels under the parent,
    /// with the exact scheme and the pattern's port rule, and nothing else.
    #[test]
    fn subdomain_patterns_match_whole_labels_only(case in pattern_case()) {
        let policy = CorsPolicy::builder().origins([case.pattern()]).build();
        let policy = policy.map_err(|e| TestCaseError::fail(format!("{}: {e}", case.pattern())))?;
        let (origin, expected) = case.origin();
        prop_assert_eq!(policy.allows_origin(origin.as_bytes()), expected, "{} vs {}", case.pattern(), origin);
    }

    /// The building blocks are all valid: validation refuses a combination
    /// exactly when it is credentials with a `*` or with `null` (without
    /// its opt-in), or a `methods` list that leaves out the route's own
    /// method — and then reports every rule that applies, each once.
    #[test]
    fn validation_refuses_only_the_documented_combinations(input in policy_input()) {
        let raw = &input.raw;
        let star = |l: &Option<Vec<String>>| l.as_ref().is_some_and(|l| l.iter().any(|s| s == "*"));
        let credentials = raw.credentials == Some(true);
        let mut expected = Vec::new();
        if credentials && star(&raw.origins) {
            expected.push(ProblemKind::CredentialsWithAnyOrigin);
        }
        if credentials && (star(&raw.methods) || star(&raw.allow_headers) || star(&raw.expose_headers)) {
            expected.push(ProblemKind::CredentialsWithWildcard);
        }
        let null = raw.origins.as_ref().is_some_and(|l| l.iter().any(|s| s == "null"));
        if credentials && null && raw.allow_null_with_credentials != Some(true) && !raw.reflect_any_origin {
            expected.push(ProblemKind::NullWithCredentials);
        }
        if let (Some(route), Some(methods)) = (&input.route, &raw.methods) {
            if !star(&raw.methods) && route.iter().any(|r| !methods.iter().any(|m| m == r)) {
                expected.push(ProblemKind::MethodExcludesRoute);
            }
        }
        match input.build() {
            Ok(_) => prop_assert!(expected.is_empty(), "accepted: {:?}", input),
            Err(e) => {
                let mut got: Vec<ProblemKind> = e.problems().iter().map(|p| p.kind).collect();
                got.dedup();
                got.sort_by_key(|k| expected.iter().position(|x| x == k));
                prop_assert_eq!(got, expected, "{}", e);
            }
        }
    }
}

// ---- the building blocks themselves --------------------------------------------

#[test]
fn every_building_block_is_valid_alone() {
    for origin in ORIGIN_ENTRIES {
        CorsPolicy::builder().origins([origin]).build().unwrap_or_else(|e| panic!("{origin}: {e}"));
    }
    for method in METHODS {
        CorsPolicy::builder().origins(["*"]).methods([method]).build().unwrap_or_else(|e| panic!("{method}: {e}"));
    }
    for header in ALLOW_HEADERS {
        CorsPolicy::builder().origins(["*"]).allow_headers([header]).build().unwrap_or_else(|e| panic!("{e}"));
    }
    for header in EXPOSE_HEADERS {
        CorsPolicy::builder().origins(["*"]).expose_headers([header]).build().unwrap_or_else(|e| panic!("{e}"));
    }
    for parent in PARENTS {
        for port in ["", ":8443", ":*"] {
            let pattern = format!("https://*.{parent}{port}");
            CorsPolicy::builder().origins([&pattern]).build().unwrap_or_else(|e| panic!("{pattern}: {e}"));
        }
    }
}

#[test]
fn page_requests_are_valid_fetch_calls() {
    for method in PAGE_METHODS {
        let mut req = BrowserRequest::new("https://app.example", *method, "/");
        for (name, value) in PAGE_HEADERS {
            req = req.header(*name, *value);
        }
        classify_request(&req).unwrap_or_else(|e| panic!("{method}: {e}"));
    }
}

/// The generators reach every outcome, so the properties test something:
/// allowed and blocked exchanges for each kind of refusal, and every
/// decision and rejection for the hostile requests.
#[test]
fn the_generators_reach_every_outcome() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use std::collections::BTreeMap;

    let mut runner = TestRunner::deterministic();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = |key: String| *seen.entry(key).or_default() += 1;
    for _ in 0..3_000 {
        let (policy, page) = policy_and_page().new_tree(&mut runner).unwrap().current();
        let (policy, page) = (policy.policy, page.0);
        let (preflighted, outcome, _) = browse(&policy, &page);
        count(format!("browser preflighted={preflighted} allowed={}", outcome.is_ok()));
        for why in refusals(&policy, &page) {
            count(format!("refusal {}", why.split(' ').next().unwrap_or_default()));
        }
        let req = wire_request(Allowed::of(&policy)).new_tree(&mut runner).unwrap().current();
        let decision = req.with_parts(|parts| policy.decide(parts));
        let name = format!("{decision:?}");
        count(format!("decision {}", name.split(['(', ' ']).next().unwrap_or_default()));
        if let Some(r) = decision.rejection() {
            count(format!("rejection {r:?}"));
        }
    }
    let expected = [
        "browser preflighted=true allowed=true",
        "browser preflighted=true allowed=false",
        "browser preflighted=false allowed=true",
        "browser preflighted=false allowed=false",
        "refusal origin",
        "refusal method",
        "refusal header",
        "refusal credentials",
        "refusal private",
        "refusal CORS",
        "decision NotCors",
        "decision PreflightAccepted",
        "decision PreflightRejected",
        "decision ActualAllowed",
        "decision ActualDisallowed",
        "rejection OriginNotAllowed",
        "rejection MethodNotAllowed",
        "rejection HeaderNotAllowed",
        "rejection PrivateNetworkNotAllowed",
        "rejection CorsDisabled",
        "rejection Malformed(RepeatedOrigin)",
        "rejection Malformed(RepeatedRequestMethod)",
        "rejection Malformed(InvalidRequestMethod)",
        "rejection Malformed(InvalidRequestHeaders)",
        "rejection Malformed(RequestHeadersTooLarge)",
        "rejection Malformed(InvalidRequestPrivateNetwork)",
    ];
    for key in expected {
        assert!(seen.get(key).is_some_and(|n| *n >= 10), "the generators barely reach {key:?}: {seen:#?}");
    }
}

// ---- regression tests for counterexamples found by the properties --------------

/// Found by the `decide` fuzz target (fixed in `decide`): a policy that
/// reflects any origin with credentials mirrored `Origin: *` into
/// `Access-Control-Allow-Origin: *` next to
/// `Access-Control-Allow-Credentials: true`, which the Fetch standard's "CORS protocol and credentials" rules out.
/// Browsers never send `Origin: *`, but any other client (or cache) got the
/// forbidden pair.
#[test]
fn regression_reflecting_with_credentials_never_answers_star() {
    let policy = CorsPolicy::builder().dangerously_reflect_any_origin().credentials(true).build().unwrap();
    let actual = RequestParts::new(b"GET").origin(b"*");
    let preflight = RequestParts::new(b"OPTIONS").origin(b"*").request_method(b"PUT");
    for req in [actual, preflight] {
        let decision = policy.decide(&req);
        let headers = decision.plan().render(&policy, b"*");
        let star = headers.contains(&(ACAO, "*".to_owned()));
        let credentials = headers.contains(&(ACAC, "true".to_owned()));
        assert!(!(star && credentials), "{req:?} -> {headers:?}");
    }
}
