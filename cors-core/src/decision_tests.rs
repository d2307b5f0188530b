//! Table-driven tests of [`CorsPolicy::decide`] against the numbered rules of
//! The behaviour on the wire (classification, preflight, actual, Vary, matching,
//! 7 wildcards, 8 credentials, 9 Private Network Access, 10 typed reasons),
//! and of [`Plan::render`].

use crate::decision::{MAX_ACRH_BYTES, MAX_ACRH_ELEMENTS, MAX_ACRH_LINES};
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

/// A disallowed actual request: returns (reason, plan, forbid) after checking
/// A refusal's "no Access-Control-* headers".
#[track_caller]
fn disallowed(policy: &CorsPolicy, req: &RequestParts<'_>) -> (Rejection, Plan, bool) {
    match policy.decide(req) {
        Decision::ActualDisallowed { rejection, plan, forbid } => {
            assert!(!plan.has_cors_headers(), "a disallowed request carries CORS headers: {plan:?}");
            (rejection, plan, forbid)
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

// ---- rule 1: classification -------------------------------------------------

#[test]
fn no_origin_is_not_cors_and_varies_on_origin_for_a_list_policy() {
    let plan = not_cors(&app_only(), &RequestParts::new(b"GET"));
    assert_eq!(plan, Plan { vary: VarySet::ORIGIN, ..Plan::EMPTY });
}

#[test]
fn no_origin_gets_star_without_vary_for_an_any_origin_policy() {
    let plan = not_cors(&any_origin(), &RequestParts::new(b"GET"));
    assert_eq!(plan, Plan { allow_origin: AllowOrigin::Any, ..Plan::EMPTY });
}

#[test]
fn classification_table() {
    let lines: &[&[u8]] = &[b"x-a"];
    let table: &[(&str, RequestParts<'_>, RequestKind)] = &[
        ("GET, no Origin", RequestParts::new(b"GET"), RequestKind::NotCors),
        ("OPTIONS + ACRM, no Origin", RequestParts::new(b"OPTIONS").request_method(b"PUT"), RequestKind::NotCors),
        ("OPTIONS + ACRH, no Origin", RequestParts::new(b"OPTIONS").request_headers(lines), RequestKind::NotCors),
        ("OPTIONS + Origin + ACRM", preflight(APP, b"PUT"), RequestKind::Preflight),
        (
            "OPTIONS + Origin + ACRM twice",
            RequestParts { request_method: HeaderInput::Many, ..actual(b"OPTIONS", APP) },
            RequestKind::Preflight,
        ),
        ("OPTIONS + Origin, no ACRM", actual(b"OPTIONS", APP), RequestKind::Actual),
        ("OPTIONS + Origin + ACRH, no ACRM", actual(b"OPTIONS", APP).request_headers(lines), RequestKind::Actual),
        ("GET + Origin + ACRM", actual(b"GET", APP).request_method(b"PUT"), RequestKind::Actual),
        ("lower-case options + Origin + ACRM", actual(b"options", APP).request_method(b"PUT"), RequestKind::Actual),
        ("POST + Origin", actual(b"POST", APP), RequestKind::Actual),
        (
            "GET + Origin twice",
            RequestParts { origin: HeaderInput::Many, ..RequestParts::new(b"GET") },
            RequestKind::Actual,
        ),
        ("GET + empty Origin", actual(b"GET", b""), RequestKind::Actual),
    ];
    for (name, req, want) in table {
        assert_eq!(req.kind(), *want, "{name}");
    }
}

#[test]
fn options_with_origin_but_no_acrm_is_answered_as_an_actual_request() {
    let policy = api();
    let plan = allowed(&policy, &actual(b"OPTIONS", APP));
    assert!(!plan.allow_methods && !plan.allow_headers && !plan.max_age, "{plan:?}");
    let (rejection, _, _) = disallowed(&policy, &actual(b"OPTIONS", EVIL));
    assert_eq!(rejection, Rejection::OriginNotAllowed);
}

#[test]
fn acrm_on_a_non_options_request_does_not_make_a_preflight() {
    let policy = api();
    // DELETE is not an allowed preflight method, but this is no preflight.
    assert_eq!(allowed(&policy, &actual(b"GET", APP).request_method(b"DELETE")).allow_origin, AllowOrigin::Mirror);
    assert!(!allowed(&policy, &actual(b"options", APP).request_method(b"DELETE")).allow_methods);
}

#[test]
fn header_input_from_values_counts_lines() {
    let none: [&[u8]; 0] = [];
    assert_eq!(HeaderInput::from_values(none), HeaderInput::Absent);
    assert_eq!(HeaderInput::from_values([&b"a"[..]]), HeaderInput::One(b"a"));
    assert_eq!(HeaderInput::from_values([&b"a"[..], b"a"]), HeaderInput::Many);
}

// ---- rule 2: preflight -------------------------------------------------------

#[test]
fn preflight_for_a_safelisted_method_omits_acam() {
    let policy = api();
    for method in [&b"GET"[..], b"POST"] {
        let plan = accepted(&policy, &preflight(APP, method).request_headers(&[b"x-request-id"]));
        assert!(!plan.allow_methods, "{}", String::from_utf8_lossy(method));
        assert_eq!(plan.allow_origin, AllowOrigin::Mirror);
    }
}

#[test]
fn preflight_for_a_non_safelisted_method_sets_acam() {
    let policy = api();
    for method in [&b"PUT"[..], b"PATCH", b"PURGE"] {
        assert!(accepted(&policy, &preflight(APP, method)).allow_methods, "{}", String::from_utf8_lossy(method));
    }
}

#[test]
fn preflight_sets_acah_only_when_headers_were_requested() {
    let policy = api();
    assert!(!accepted(&policy, &preflight(APP, b"PUT")).allow_headers);
    assert!(accepted(&policy, &preflight(APP, b"PUT").request_headers(&[b"content-type"])).allow_headers);
}

#[test]
fn preflight_sets_acma_only_when_max_age_is_set() {
    assert!(!accepted(&api(), &preflight(APP, b"PUT")).max_age);
    for (seconds, text) in [(0, "0"), (600, "600"), (86_400, "86400")] {
        let policy = build(CorsPolicy::builder().origins(["https://app.example"]).methods(["PUT"]).max_age(seconds));
        let plan = accepted(&policy, &preflight(APP, b"PUT"));
        assert!(plan.max_age, "{seconds}");
        assert!(rendered(&plan, &policy, APP).contains(&("access-control-max-age", text.to_owned())));
    }
}

#[test]
fn preflight_sets_acac_only_with_credentials() {
    assert!(!accepted(&api(), &preflight(APP, b"PUT")).allow_credentials);
    let off = build(CorsPolicy::builder().origins(["https://app.example"]).methods(["PUT"]).credentials(false));
    assert!(!accepted(&off, &preflight(APP, b"PUT")).allow_credentials);
    let on = build(CorsPolicy::builder().origins(["https://app.example"]).methods(["PUT"]).credentials(true));
    assert!(accepted(&on, &preflight(APP, b"PUT")).allow_credentials);
}

#[test]
fn preflight_never_sets_expose_headers() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).expose_headers(["x-request-id"]));
    let plan = accepted(&policy, &preflight(APP, b"GET"));
    assert!(!plan.expose_headers);
}

#[test]
fn preflight_from_a_disallowed_origin_is_refused() {
    assert_eq!(refused(&api(), &preflight(EVIL, b"PUT")), Rejection::OriginNotAllowed);
    assert_eq!(refused(&app_only(), &preflight(EVIL, b"GET")), Rejection::OriginNotAllowed);
}

#[test]
fn preflight_for_an_unlisted_method_is_refused() {
    let policy = api();
    assert_eq!(refused(&policy, &preflight(APP, b"DELETE")), Rejection::MethodNotAllowed);
    assert_eq!(refused(&policy, &preflight(APP, b"HEAD")), Rejection::MethodNotAllowed);
    accepted(&policy, &preflight(APP, b"PURGE"));
}

#[test]
fn preflight_methods_compare_case_sensitively() {
    let upper = build(CorsPolicy::builder().origins(["https://app.example"]).methods(["PATCH"]));
    accepted(&upper, &preflight(APP, b"PATCH"));
    assert_eq!(refused(&upper, &preflight(APP, b"patch")), Rejection::MethodNotAllowed);
    let lower = build(CorsPolicy::builder().origins(["https://app.example"]).methods(["patch"]));
    accepted(&lower, &preflight(APP, b"patch"));
    assert_eq!(refused(&lower, &preflight(APP, b"PATCH")), Rejection::MethodNotAllowed);
    assert_eq!(refused(&upper, &preflight(APP, b"Patch")), Rejection::MethodNotAllowed);
}

#[test]
fn a_global_policy_without_methods_allows_the_safelisted_ones() {
    let policy = app_only();
    for method in [&b"GET"[..], b"HEAD", b"POST"] {
        accepted(&policy, &preflight(APP, method));
    }
    for method in [&b"PUT"[..], b"DELETE", b"get"] {
        assert_eq!(refused(&policy, &preflight(APP, method)), Rejection::MethodNotAllowed);
    }
}

#[test]
fn a_route_policy_without_methods_allows_the_routes_own_methods() {
    let spec = CorsPolicy::builder().origins(["https://app.example"]).build_spec().unwrap();
    let policy = CorsPolicy::from_spec(spec, Some(&["DELETE"])).unwrap();
    accepted(&policy, &preflight(APP, b"DELETE"));
    assert_eq!(refused(&policy, &preflight(APP, b"GET")), Rejection::MethodNotAllowed);
    assert_eq!(policy.header_texts().allow_methods, "DELETE");
}

#[test]
fn preflight_for_an_unlisted_header_is_refused() {
    let policy = api();
    let req = preflight(APP, b"PUT").request_headers(&[b"content-type, x-secret"]);
    assert_eq!(refused(&policy, &req), Rejection::HeaderNotAllowed);
    // no allow_headers at all: any requested header is refused
    let req = preflight(APP, b"GET").request_headers(&[b"content-type"]);
    assert_eq!(refused(&app_only(), &req), Rejection::HeaderNotAllowed);
}

// ---- rule 2 / 10: malformed preflights -----------------------------------------

#[test]
fn repeated_origin_is_malformed() {
    let malformed = Rejection::Malformed(Malformed::RepeatedOrigin);
    let pre = RequestParts { origin: HeaderInput::Many, ..preflight(APP, b"PUT") };
    assert_eq!(refused(&api(), &pre), malformed);
    assert_eq!(refused(&any_origin(), &pre), malformed);
    let act = RequestParts { origin: HeaderInput::Many, ..RequestParts::new(b"GET") };
    assert_eq!(disallowed(&api(), &act).0, malformed);
    assert_eq!(disallowed(&any_origin(), &act).0, malformed);
}

#[test]
fn repeated_acrm_is_malformed() {
    let req = RequestParts { request_method: HeaderInput::Many, ..actual(b"OPTIONS", APP) };
    assert_eq!(refused(&api(), &req), Rejection::Malformed(Malformed::RepeatedRequestMethod));
}

#[test]
fn acrm_that_is_not_a_token_is_malformed() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).methods(["*"]));
    for bad in [&b""[..], b"PU T", b" PUT", b"PUT\r", b"GET,PUT", b"P\xffT", b"PUT\0", b"M\xc3\xa9THOD"] {
        assert_eq!(
            refused(&policy, &preflight(APP, bad)),
            Rejection::Malformed(Malformed::InvalidRequestMethod),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
    accepted(&policy, &preflight(APP, b"X-Custom.Method~1"));
}

#[test]
fn acrh_with_a_non_token_is_malformed() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).allow_headers(["*"]));
    let table: &[&[u8]] = &[b"x-a b", b"x:a", b"x-a;q=1", b"\"x-a\"", b"x-\xff", b"x-a, caf\xc3\xa9", b"(x)", b"x\x01"];
    for line in table {
        let req = preflight(APP, b"GET").request_headers(std::slice::from_ref(line));
        assert_eq!(
            refused(&policy, &req),
            Rejection::Malformed(Malformed::InvalidRequestHeaders),
            "{}",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn acrh_byte_cap_counts_every_line() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).allow_headers(["*"]));
    let at_cap = vec![b'x'; MAX_ACRH_BYTES];
    accepted(&policy, &preflight(APP, b"GET").request_headers(&[&at_cap]));
    let over = vec![b'x'; MAX_ACRH_BYTES + 1];
    let too_large = Rejection::Malformed(Malformed::RequestHeadersTooLarge);
    assert_eq!(refused(&policy, &preflight(APP, b"GET").request_headers(&[&over])), too_large);
    // two lines, each under the cap, together over it
    let half = vec![b'x'; MAX_ACRH_BYTES / 2 + 1];
    assert_eq!(refused(&policy, &preflight(APP, b"GET").request_headers(&[&half, &half])), too_large);
}

#[test]
fn acrh_element_cap_counts_empty_elements_too() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).allow_headers(["x-a"]));
    let at_cap = vec!["x-a"; MAX_ACRH_ELEMENTS].join(",");
    accepted(&policy, &preflight(APP, b"GET").request_headers(&[at_cap.as_bytes()]));
    let too_large = Rejection::Malformed(Malformed::RequestHeadersTooLarge);
    let over = vec!["x-a"; MAX_ACRH_ELEMENTS + 1].join(",");
    assert_eq!(refused(&policy, &preflight(APP, b"GET").request_headers(&[over.as_bytes()])), too_large);
    let commas = ",".repeat(MAX_ACRH_ELEMENTS);
    assert_eq!(refused(&policy, &preflight(APP, b"GET").request_headers(&[commas.as_bytes()])), too_large);
    // the cap spans lines
    let half = vec!["x-a"; MAX_ACRH_ELEMENTS / 2 + 1].join(",");
    let lines = [half.as_bytes(), half.as_bytes()];
    assert_eq!(refused(&policy, &preflight(APP, b"GET").request_headers(&lines)), too_large);
}

#[test]
fn acrh_line_cap_and_overflow_flag() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).allow_headers(["x-a"]));
    let too_large = Rejection::Malformed(Malformed::RequestHeadersTooLarge);
    let lines: Vec<&[u8]> = vec![b"x-a"; MAX_ACRH_LINES + 1];
    accepted(&policy, &preflight(APP, b"GET").request_headers(&lines[..MAX_ACRH_LINES]));
    assert_eq!(refused(&policy, &preflight(APP, b"GET").request_headers(&lines)), too_large);
    let overflow =
        RequestParts { request_headers_overflow: true, ..preflight(APP, b"GET").request_headers(&lines[..1]) };
    assert_eq!(refused(&policy, &overflow), too_large);
}

#[test]
fn acrpn_other_than_true_is_malformed() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).private_network(true));
    let malformed = Rejection::Malformed(Malformed::InvalidRequestPrivateNetwork);
    for bad in [&b"TRUE"[..], b"True", b"false", b"", b"true ", b"1", b"\xff"] {
        let req = preflight(APP, b"GET").request_private_network(bad);
        assert_eq!(refused(&policy, &req), malformed, "{}", String::from_utf8_lossy(bad));
    }
    let twice = RequestParts { request_private_network: HeaderInput::Many, ..preflight(APP, b"GET") };
    assert_eq!(refused(&policy, &twice), malformed);
}

// ---- rule 6: Access-Control-Request-Headers parsing ----------------------------

#[test]
fn acrh_may_span_several_lines() {
    let policy = api();
    let ok: &[&[u8]] = &[b"content-type", b"x-request-id"];
    assert!(accepted(&policy, &preflight(APP, b"PUT").request_headers(ok)).allow_headers);
    let bad_second: &[&[u8]] = &[b"content-type", b"x-other"];
    assert_eq!(refused(&policy, &preflight(APP, b"PUT").request_headers(bad_second)), Rejection::HeaderNotAllowed);
}

#[test]
fn acrh_ignores_whitespace_and_empty_elements() {
    let policy = api();
    let lines: &[&[u8]] = &[b" content-type ,\t, x-request-id,,", b"", b"\t"];
    assert!(accepted(&policy, &preflight(APP, b"PUT").request_headers(lines)).allow_headers);
}

#[test]
fn acrh_with_only_empty_elements_requests_nothing() {
    let plan = accepted(&api(), &preflight(APP, b"PUT").request_headers(&[b" , ,", b""]));
    assert!(!plan.allow_headers);
}

#[test]
fn acrh_names_compare_case_insensitively() {
    let policy =
        build(CorsPolicy::builder().origins(["https://app.example"]).allow_headers(["Content-Type", "X-Request-ID"]));
    for line in [&b"content-type, x-request-id"[..], b"CONTENT-TYPE,X-REQUEST-ID", b"Content-Type"] {
        assert!(accepted(&policy, &preflight(APP, b"GET").request_headers(&[line])).allow_headers);
    }
}

// ---- rule 3: actual requests ------------------------------------------------------

#[test]
fn allowed_actual_request_mirrors_the_origin_and_varies() {
    let plan = allowed(&app_only(), &actual(b"GET", APP));
    assert_eq!(plan, Plan { allow_origin: AllowOrigin::Mirror, vary: VarySet::ORIGIN, ..Plan::EMPTY });
}

#[test]
fn allowed_actual_request_never_carries_preflight_headers() {
    let policy = build(
        CorsPolicy::builder()
            .origins(["https://app.example"])
            .methods(["PUT"])
            .allow_headers(["x-a"])
            .max_age(60)
            .private_network(true),
    );
    let req = actual(b"PUT", APP).request_headers(&[b"x-a"]).request_private_network(b"true");
    let plan = allowed(&policy, &req);
    assert!(!plan.allow_methods && !plan.allow_headers && !plan.max_age && !plan.allow_private_network, "{plan:?}");
}

#[test]
fn actual_request_exposes_headers_only_when_configured() {
    assert!(!allowed(&app_only(), &actual(b"GET", APP)).expose_headers);
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).expose_headers(["x-request-id"]));
    assert!(allowed(&policy, &actual(b"GET", APP)).expose_headers);
}

#[test]
fn actual_request_sets_acac_only_with_credentials() {
    assert!(!allowed(&app_only(), &actual(b"GET", APP)).allow_credentials);
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).credentials(true));
    assert!(allowed(&policy, &actual(b"GET", APP)).allow_credentials);
}

#[test]
fn disallowed_actual_request_gets_only_vary() {
    let policy = build(
        CorsPolicy::builder().origins(["https://app.example"]).credentials(true).expose_headers(["x-request-id"]),
    );
    let (rejection, plan, forbid) = disallowed(&policy, &actual(b"POST", EVIL));
    assert_eq!((rejection, forbid), (Rejection::OriginNotAllowed, false));
    assert_eq!(plan, Plan { vary: VarySet::ORIGIN, ..Plan::EMPTY });
}

#[test]
fn reject_true_forbids_running_the_handler() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).reject(true));
    assert!(disallowed(&policy, &actual(b"GET", EVIL)).2);
    let explicit_false = build(CorsPolicy::builder().origins(["https://app.example"]).reject(false));
    assert!(!disallowed(&explicit_false, &actual(b"GET", EVIL)).2);
    // reject never affects allowed origins, non-CORS requests or preflights
    allowed(&policy, &actual(b"GET", APP));
    not_cors(&policy, &RequestParts::new(b"GET"));
    refused(&policy, &preflight(EVIL, b"GET"));
}

#[test]
fn any_origin_answers_star_on_actual_requests_without_vary() {
    let plan = allowed(&any_origin(), &actual(b"DELETE", b"https://whoever.example"));
    assert_eq!(plan, Plan { allow_origin: AllowOrigin::Any, ..Plan::EMPTY });
}

// ---- rule 5: Vary -----------------------------------------------------------------

#[test]
fn vary_table() {
    let reflect = build(CorsPolicy::builder().dangerously_reflect_any_origin());
    let pna = build(CorsPolicy::builder().origins(["https://app.example"]).private_network(true));
    let pna_false = build(CorsPolicy::builder().origins(["https://app.example"]).private_network(false));
    let creds = build(CorsPolicy::builder().origins(["https://app.example"]).credentials(true));
    let none = VarySet::EMPTY;
    let o = VarySet::ORIGIN;
    // (name, policy, not-CORS, actual allowed, actual disallowed, preflight accepted, preflight refused)
    let table: [(&str, &CorsPolicy, [VarySet; 5]); 6] = [
        ("any", &any_origin(), [none, none, none, PREFLIGHT_VARY, PREFLIGHT_VARY]),
        ("list", &app_only(), [o, o, o, PREFLIGHT_VARY, PREFLIGHT_VARY]),
        ("reflect", &reflect, [o, o, o, PREFLIGHT_VARY, PREFLIGHT_VARY]),
        ("credentials", &creds, [o, o, o, PREFLIGHT_VARY, PREFLIGHT_VARY]),
        ("pna", &pna, [o, o, o, PNA_VARY, PNA_VARY]),
        ("pna false", &pna_false, [o, o, o, PREFLIGHT_VARY, PREFLIGHT_VARY]),
    ];
    for (name, policy, want) in table {
        let got = [
            *policy.decide(&RequestParts::new(b"GET")).plan(),
            *policy.decide(&actual(b"GET", APP)).plan(),
            *policy.decide(&RequestParts { origin: HeaderInput::Many, ..RequestParts::new(b"GET") }).plan(),
            *policy.decide(&preflight(APP, b"GET")).plan(),
            *policy.decide(&preflight(APP, b"DELETE")).plan(),
        ]
        .map(|p| p.vary);
        assert_eq!(got, want, "{name}");
        assert_eq!(policy.varies_on_origin(), name != "any", "{name}");
    }
}

#[test]
fn preflight_vary_renders_every_request_header_it_depends_on() {
    let pna = build(CorsPolicy::builder().origins(["https://app.example"]).private_network(true));
    let plan = accepted(&pna, &preflight(APP, b"GET").request_private_network(b"true"));
    let vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
                Access-Control-Request-Private-Network";
    assert_eq!(rendered(&plan, &pna, APP).last(), Some(&("vary", vary.to_owned())));
    let plan = accepted(&app_only(), &preflight(APP, b"GET"));
    let vary = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    assert_eq!(rendered(&plan, &app_only(), APP).last(), Some(&("vary", vary.to_owned())));
}

// ---- rule 6: origin matching ------------------------------------------------------

#[test]
fn exact_origins_compare_byte_for_byte() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example", "http://localhost:8080"]));
    let table: &[(&[u8], bool)] = &[
        (b"https://app.example", true),
        (b"http://localhost:8080", true),
        (b"http://app.example", false),
        (b"https://APP.example", false),
        (b"HTTPS://app.example", false),
        (b"https://app.example/", false),
        (b"https://app.example:443", false),
        (b"https://app.example:8443", false),
        (b"https://app.example.", false),
        (b" https://app.example", false),
        (b"https://app.example ", false),
        (b"https://app.exampl", false),
        (b"https://app.example.evil.io", false),
        (b"http://localhost", false),
        (b"http://localhost:8081", false),
        (b"https://localhost:8080", false),
        (b"", false),
    ];
    for (origin, want) in table {
        let got = matches!(policy.decide(&actual(b"GET", origin)), Decision::ActualAllowed(_));
        assert_eq!(got, *want, "{}", String::from_utf8_lossy(origin));
        let got = matches!(policy.decide(&preflight(origin, b"GET")), Decision::PreflightAccepted(_));
        assert_eq!(got, *want, "preflight {}", String::from_utf8_lossy(origin));
    }
}

#[test]
fn subdomain_patterns_match_whole_labels_only() {
    let policy = build(CorsPolicy::builder().origins(["https://*.example.com"]));
    let table: &[(&[u8], bool)] = &[
        (b"https://a.example.com", true),
        (b"https://a.b.example.com", true),
        (b"https://x-1.example.com", true),
        (b"https://example.com", false),
        (b"https://evilexample.com", false),
        (b"https://a.evilexample.com", false),
        (b"https://example.com.evil.io", false),
        (b"https://a.example.com.evil.io", false),
        (b"http://a.example.com", false),
        (b"wss://a.example.com", false),
        (b"https://a.example.com:8443", false),
        (b"https://A.example.com", false),
        (b"https://a.example.com/", false),
        (b"https://.example.com", false),
        (b"https://a..example.com", false),
        (b"https://\xff.example.com", false),
        (b"https://a\xc3\xa9.example.com", false),
        (b"https://*.example.com", false),
        (b"httpsxxxa.example.com", false),
        (b"httpsx://a.example.com", false),
    ];
    for (origin, want) in table {
        let got = matches!(policy.decide(&actual(b"GET", origin)), Decision::ActualAllowed(_));
        assert_eq!(got, *want, "{}", String::from_utf8_lossy(origin));
    }
}

#[test]
fn port_patterns_match_ports_not_hosts() {
    let policy = build(CorsPolicy::builder().origins(["http://localhost:*", "https://*.example.com:8443"]));
    let table: &[(&[u8], bool)] = &[
        (b"http://localhost", true),
        (b"http://localhost:3000", true),
        (b"http://localhost:65535", true),
        (b"http://localhost:65536", false),
        (b"http://localhost:0", false),
        (b"http://localhost:", false),
        (b"https://localhost:3000", false),
        (b"http://localhost.evil.io:3000", false),
        (b"http://evil-localhost:3000", false),
        (b"https://a.example.com:8443", true),
        (b"https://a.example.com", false),
        (b"https://a.example.com:8444", false),
        (b"https://example.com:8443", false),
    ];
    for (origin, want) in table {
        let got = matches!(policy.decide(&actual(b"GET", origin)), Decision::ActualAllowed(_));
        assert_eq!(got, *want, "{}", String::from_utf8_lossy(origin));
    }
}

#[test]
fn null_origin_is_allowed_only_when_listed() {
    let without = app_only();
    assert_eq!(disallowed(&without, &actual(b"GET", b"null")).0, Rejection::OriginNotAllowed);
    assert_eq!(refused(&without, &preflight(b"null", b"GET")), Rejection::OriginNotAllowed);
    let patterns = build(CorsPolicy::builder().origins(["https://*.example.com", "http://localhost:*"]));
    assert_eq!(disallowed(&patterns, &actual(b"GET", b"null")).0, Rejection::OriginNotAllowed);
    let with = build(CorsPolicy::builder().origins(["https://app.example", "null"]));
    let plan = allowed(&with, &actual(b"GET", b"null"));
    assert_eq!(rendered(&plan, &with, b"null")[0], ("access-control-allow-origin", "null".to_owned()));
    assert_eq!(disallowed(&with, &actual(b"GET", b"NULL")).0, Rejection::OriginNotAllowed);
}

#[test]
fn non_utf8_origins_are_refused_quietly() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example", "https://*.example.com", "null"]));
    for origin in [&b"https://\xff.example.com"[..], b"https://app.example\xff", b"\xff", b"\xc3\x28", b"null\0"] {
        assert_eq!(disallowed(&policy, &actual(b"GET", origin)).0, Rejection::OriginNotAllowed);
        assert_eq!(refused(&policy, &preflight(origin, b"GET")), Rejection::OriginNotAllowed);
    }
}

#[test]
fn a_large_exact_list_finds_first_last_and_no_neighbour() {
    let origins: Vec<String> = (0..10_000).map(|i| format!("https://app{i}.example")).collect();
    let policy = build(CorsPolicy::builder().origins(&origins));
    allowed(&policy, &actual(b"GET", b"https://app0.example"));
    allowed(&policy, &actual(b"GET", b"https://app9999.example"));
    disallowed(&policy, &actual(b"GET", b"https://app10000.example"));
    disallowed(&policy, &actual(b"GET", b"https://app.example"));
}

// ---- rule 7: wildcards ------------------------------------------------------------

#[test]
fn star_methods_allow_any_method_without_credentials() {
    let policy = build(CorsPolicy::builder().origins(["*"]).methods(["*"]));
    for method in [&b"PUT"[..], b"DELETE", b"patch", b"PURGE"] {
        let plan = accepted(&policy, &preflight(APP, method));
        assert!(plan.allow_methods);
        assert_eq!(rendered(&plan, &policy, APP)[1], ("access-control-allow-methods", "*".to_owned()));
    }
}

#[test]
fn star_headers_never_cover_authorization() {
    let policy = build(CorsPolicy::builder().origins(["*"]).allow_headers(["*"]));
    accepted(&policy, &preflight(APP, b"GET").request_headers(&[b"x-anything, content-type"]));
    for line in [&b"authorization"[..], b"Authorization", b"x-a, AUTHORIZATION"] {
        let req = preflight(APP, b"GET").request_headers(std::slice::from_ref(&line));
        assert_eq!(refused(&policy, &req), Rejection::HeaderNotAllowed, "{}", String::from_utf8_lossy(line));
    }
}

#[test]
fn authorization_is_allowed_when_listed() {
    let listed = build(CorsPolicy::builder().origins(["https://app.example"]).allow_headers(["authorization"]));
    accepted(&listed, &preflight(APP, b"GET").request_headers(&[b"Authorization"]));
    let both = build(CorsPolicy::builder().origins(["*"]).allow_headers(["*", "authorization"]));
    let plan = accepted(&both, &preflight(APP, b"GET").request_headers(&[b"x-a, authorization"]));
    assert!(rendered(&plan, &both, APP).contains(&("access-control-allow-headers", "*, authorization".to_owned())));
}

#[test]
fn credentials_with_any_star_cannot_be_built() {
    let base = || CorsPolicy::builder().origins(["https://app.example"]).credentials(true);
    assert!(base().methods(["*"]).build().is_err());
    assert!(base().allow_headers(["*"]).build().is_err());
    assert!(base().expose_headers(["*"]).build().is_err());
    assert!(CorsPolicy::builder().origins(["*"]).credentials(true).build().is_err());
    assert!(base().build().is_ok());
}

// ---- rule 8: credentials ----------------------------------------------------------

#[test]
fn credentials_send_exactly_true_and_never_a_star_origin() {
    let policy = build(
        CorsPolicy::builder()
            .origins(["https://app.example", "https://*.example.com"])
            .credentials(true)
            .methods(["PUT"]),
    );
    for origin in [APP, b"https://a.example.com"] {
        for decision in [policy.decide(&actual(b"GET", origin)), policy.decide(&preflight(origin, b"PUT"))] {
            let headers = rendered(decision.plan(), &policy, origin);
            let acao: Vec<_> = headers.iter().filter(|(n, _)| *n == "access-control-allow-origin").collect();
            assert_eq!(acao, [&("access-control-allow-origin", String::from_utf8_lossy(origin).into_owned())]);
            assert!(headers.contains(&("access-control-allow-credentials", "true".to_owned())), "{headers:?}");
        }
    }
}

#[test]
fn dangerously_reflect_any_origin_mirrors_with_credentials() {
    let policy = build(CorsPolicy::builder().dangerously_reflect_any_origin().credentials(true).methods(["PUT"]));
    for origin in [&b"https://anyone.example"[..], b"http://localhost:1234", b"null"] {
        let plan = allowed(&policy, &actual(b"GET", origin));
        assert_eq!(
            (plan.allow_origin, plan.allow_credentials, plan.vary),
            (AllowOrigin::Mirror, true, VarySet::ORIGIN)
        );
        let plan = accepted(&policy, &preflight(origin, b"PUT"));
        assert_eq!((plan.allow_origin, plan.allow_credentials), (AllowOrigin::Mirror, true));
    }
    assert_eq!(not_cors(&policy, &RequestParts::new(b"GET")), Plan { vary: VarySet::ORIGIN, ..Plan::EMPTY });
    // the opt-in still refuses the request's other mistakes
    assert_eq!(refused(&policy, &preflight(APP, b"DELETE")), Rejection::MethodNotAllowed);
}

// ---- rule 9: Private Network Access -------------------------------------------------

#[test]
fn pna_requested_and_enabled_is_answered() {
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).private_network(true));
    let plan = accepted(&policy, &preflight(APP, b"GET").request_private_network(b"true"));
    assert!(plan.allow_private_network);
    assert!(rendered(&plan, &policy, APP).contains(&("access-control-allow-private-network", "true".to_owned())));
    // enabled but not requested: no ACAPN
    assert!(!accepted(&policy, &preflight(APP, b"GET")).allow_private_network);
}

#[test]
fn pna_requested_but_not_enabled_is_refused() {
    let req = preflight(APP, b"GET").request_private_network(b"true");
    assert_eq!(refused(&app_only(), &req), Rejection::PrivateNetworkNotAllowed);
    let disabled = build(CorsPolicy::builder().origins(["https://app.example"]).private_network(false));
    assert_eq!(refused(&disabled, &req), Rejection::PrivateNetworkNotAllowed);
    assert_eq!(refused(&any_origin(), &req), Rejection::PrivateNetworkNotAllowed);
}

// ---- rule 10: typed reasons ----------------------------------------------------------

#[test]
fn every_refusal_has_a_distinct_code_and_message() {
    let all = [
        Rejection::OriginNotAllowed,
        Rejection::MethodNotAllowed,
        Rejection::HeaderNotAllowed,
        Rejection::PrivateNetworkNotAllowed,
        Rejection::CorsDisabled,
        Rejection::Malformed(Malformed::RepeatedOrigin),
        Rejection::Malformed(Malformed::RepeatedRequestMethod),
        Rejection::Malformed(Malformed::InvalidRequestMethod),
        Rejection::Malformed(Malformed::InvalidRequestHeaders),
        Rejection::Malformed(Malformed::RequestHeadersTooLarge),
        Rejection::Malformed(Malformed::InvalidRequestPrivateNetwork),
    ];
    let messages: std::collections::HashSet<String> = all.iter().map(|r| r.to_string()).collect();
    assert_eq!(messages.len(), all.len());
    let codes: std::collections::HashSet<&str> = all[..5].iter().map(|r| r.code()).collect();
    assert_eq!(codes.len(), 5);
    for r in &all[5..] {
        assert_eq!(r.code(), "malformed-request");
        assert!(r.to_string().starts_with("malformed request: "), "{r}");
    }
}

#[test]
fn decision_reports_its_rejection() {
    let policy = app_only();
    assert_eq!(policy.decide(&actual(b"GET", APP)).rejection(), None);
    assert_eq!(policy.decide(&preflight(APP, b"GET")).rejection(), None);
    assert_eq!(policy.decide(&RequestParts::new(b"GET")).rejection(), None);
    assert_eq!(policy.decide(&actual(b"GET", EVIL)).rejection(), Some(Rejection::OriginNotAllowed));
    assert_eq!(policy.decide(&preflight(APP, b"PUT")).rejection(), Some(Rejection::MethodNotAllowed));
}

// ---- off ------------------------------------------------------------------------------

#[test]
fn off_policy_adds_nothing_and_refuses_preflights() {
    let policy = build(CorsPolicy::builder().off());
    assert_eq!(policy.decide(&RequestParts::new(b"GET")), Decision::NotCors(Plan::EMPTY));
    assert_eq!(policy.decide(&actual(b"GET", APP)), Decision::NotCors(Plan::EMPTY));
    assert_eq!(policy.decide(&actual(b"OPTIONS", APP)), Decision::NotCors(Plan::EMPTY));
    assert_eq!(refused(&policy, &preflight(APP, b"GET")), Rejection::CorsDisabled);
    assert_eq!(
        policy.decide(&preflight(APP, b"GET")),
        Decision::PreflightRejected(Rejection::CorsDisabled, Plan::EMPTY)
    );
}

// ---- Plan::render ------------------------------------------------------------------------

#[test]
fn render_of_a_full_preflight_answer() {
    let policy = build(
        CorsPolicy::builder()
            .origins(["https://app.example"])
            .methods(["GET", "PUT", "PURGE"])
            .allow_headers(["Content-Type", "x-request-id"])
            .expose_headers(["x-request-id"])
            .credentials(true)
            .max_age(600)
            .private_network(true),
    );
    let req = preflight(APP, b"PUT").request_headers(&[b"content-type"]).request_private_network(b"true");
    let plan = accepted(&policy, &req);
    let want = pairs(&[
        ("access-control-allow-origin", "https://app.example"),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", "GET, PUT, PURGE"),
        ("access-control-allow-headers", "content-type, x-request-id"),
        ("access-control-max-age", "600"),
        ("access-control-allow-private-network", "true"),
        (
            "vary",
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
             Access-Control-Request-Private-Network",
        ),
    ]);
    assert_eq!(rendered(&plan, &policy, APP), want);
}

#[test]
fn render_of_an_actual_answer() {
    let policy = build(
        CorsPolicy::builder()
            .origins(["https://app.example"])
            .expose_headers(["X-Request-ID", "x-trace"])
            .credentials(true),
    );
    let plan = allowed(&policy, &actual(b"GET", APP));
    let want = pairs(&[
        ("access-control-allow-origin", "https://app.example"),
        ("access-control-allow-credentials", "true"),
        ("access-control-expose-headers", "x-request-id, x-trace"),
        ("vary", "Origin"),
    ]);
    assert_eq!(rendered(&plan, &policy, APP), want);
}

#[test]
fn render_of_refusals_and_non_cors_answers() {
    let list = app_only();
    assert_eq!(rendered(&Plan::EMPTY, &list, APP), []);
    let (_, plan, _) = disallowed(&list, &actual(b"GET", EVIL));
    assert_eq!(rendered(&plan, &list, EVIL), pairs(&[("vary", "Origin")]));
    let plan = not_cors(&any_origin(), &RequestParts::new(b"GET"));
    assert_eq!(rendered(&plan, &any_origin(), b""), pairs(&[("access-control-allow-origin", "*")]));
    let Decision::PreflightRejected(_, plan) = list.decide(&preflight(EVIL, b"GET")) else { panic!("not refused") };
    let headers = rendered(&plan, &list, EVIL);
    assert!(headers.iter().all(|(name, _)| !name.starts_with("access-control-")), "{headers:?}");
}

#[test]
fn render_mirrors_the_request_origin_lossily() {
    let policy = build(CorsPolicy::builder().dangerously_reflect_any_origin());
    let plan = allowed(&policy, &actual(b"GET", b"https://a\xff.example"));
    assert_eq!(rendered(&plan, &policy, b"https://a\xff.example")[0].1, "https://a\u{fffd}.example");
}

#[test]
fn a_same_origin_request_is_not_cross_origin() {
    let policy = CorsPolicy::builder().origins(["https://app.example"]).reject(true).build().unwrap();
    let own = b"https://site.example";
    let post = RequestParts::new(b"POST").origin(own);
    assert!(matches!(policy.decide(&post), Decision::ActualDisallowed { forbid: true, .. }));
    let Decision::NotCors(plan) = policy.decide(&post.same_origin(true)) else { panic!("refused a same-origin POST") };
    assert_eq!(plan.allow_origin, AllowOrigin::Omit);
    assert!(plan.vary.contains(VarySet::ORIGIN), "the answer still varies on Origin for caches");
    // Browsers never preflight same-origin requests: a preflight stays one.
    let preflight = preflight(own, b"PUT").same_origin(true);
    assert_eq!(preflight.kind(), RequestKind::Preflight);
}
