//! Rule 3: actual requests, and rule 5: `Vary`.

use super::*;

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
    let (rejection, plan, reject) = disallowed(&policy, &actual(b"POST", EVIL));
    assert_eq!((rejection, reject), (Rejection::OriginNotAllowed, false));
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
