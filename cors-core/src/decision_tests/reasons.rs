//! Rule 9: Private Network Access, rule 10: typed reasons, and `off`.

use super::*;

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
