//! `origin_fn`: a predicate asked about the origins the static list refuses,
//! with the request, under the rules a listed origin follows.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A request view with a path and one header, as a framework would give.
struct View {
    path: &'static str,
    tenant: Option<&'static [u8]>,
}

impl RequestView for View {
    fn method(&self) -> &str {
        "GET"
    }
    fn path(&self) -> &str {
        self.path
    }
    fn header(&self, name: &str) -> Option<&[u8]> {
        name.eq_ignore_ascii_case("x-tenant").then_some(self.tenant).flatten()
    }
}

/// Allows `https://<tenant>.tenants.example` when the request's `x-tenant`
/// header names the same tenant, and counts every question.
fn per_tenant(asked: Arc<AtomicUsize>) -> OriginFn {
    OriginFn::new("per_tenant", move |origin, request| {
        asked.fetch_add(1, Ordering::SeqCst);
        let tenant = origin.host().strip_suffix(".tenants.example");
        tenant.is_some() && tenant.map(str::as_bytes) == request.header("x-tenant")
    })
}

fn mirrored(decision: Decision) -> bool {
    matches!(decision, Decision::ActualAllowed(plan) | Decision::PreflightAccepted(plan)
        if plan.allow_origin == AllowOrigin::Mirror && plan.vary.contains(VarySet::ORIGIN))
}

#[test]
fn the_predicate_sees_the_request_and_either_it_or_the_list_allows() {
    let asked = Arc::new(AtomicUsize::new(0));
    let policy = build(CorsPolicy::builder().origins(["https://app.example"]).origin_fn(per_tenant(asked.clone())));
    let acme = View { path: "/orders", tenant: Some(b"acme") };
    let other = View { path: "/orders", tenant: Some(b"globex") };
    // the static list allows without asking
    assert!(mirrored(policy.decide(&actual(b"GET", APP).view(&acme))));
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    // the predicate allows what the list refuses, for this request only
    assert!(mirrored(policy.decide(&actual(b"GET", b"https://acme.tenants.example").view(&acme))));
    let refused = policy.decide(&actual(b"GET", b"https://acme.tenants.example").view(&other));
    assert!(matches!(refused, Decision::ActualDisallowed { rejection: Rejection::OriginNotAllowed, plan, .. }
        if plan.vary.contains(VarySet::ORIGIN)));
    // preflights ask too
    assert!(mirrored(policy.decide(&preflight(b"https://acme.tenants.example", b"GET").view(&acme))));
    // never cached: the same question is asked again
    assert!(mirrored(policy.decide(&actual(b"GET", b"https://acme.tenants.example").view(&acme))));
    assert_eq!(asked.load(Ordering::SeqCst), 4);
    // without a view, the predicate sees the method alone
    assert!(matches!(
        policy.decide(&actual(b"GET", b"https://acme.tenants.example")),
        Decision::ActualDisallowed { .. }
    ));
}

#[test]
fn the_predicate_is_asked_only_about_serialized_origins() {
    let asked = Arc::new(AtomicUsize::new(0));
    let counted = asked.clone();
    let yes = OriginFn::new("yes", move |_, _| {
        counted.fetch_add(1, Ordering::SeqCst);
        true
    });
    let policy = build(CorsPolicy::builder().origin_fn(yes));
    for origin in
        [&b"null"[..], b"https://a.example/", b"HTTPS://A.EXAMPLE", b"https://a.example:443", b"*", b"\xff", b""]
    {
        let decision = policy.decide(&actual(b"GET", origin));
        assert!(matches!(decision, Decision::ActualDisallowed { .. }), "{:?}", String::from_utf8_lossy(origin));
    }
    assert_eq!(asked.load(Ordering::SeqCst), 0);
    assert!(mirrored(policy.decide(&actual(b"GET", b"https://a.example:8443"))));
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}

#[test]
fn with_credentials_the_predicate_never_allows_plain_http_off_loopback() {
    let yes = || OriginFn::new("yes", |_, _| true);
    let policy = build(CorsPolicy::builder().origin_fn(yes()).credentials(true));
    let allowed = |p: &CorsPolicy, o: &[u8]| mirrored(p.decide(&actual(b"GET", o)));
    assert!(!allowed(&policy, b"http://shop.example"));
    assert!(allowed(&policy, b"http://localhost:3000"));
    assert!(allowed(&policy, b"https://shop.example"));
    // and credentials never meet `*`
    let Decision::ActualAllowed(plan) = policy.decide(&actual(b"GET", b"https://shop.example")) else { panic!() };
    assert!(plan.allow_credentials && plan.allow_origin == AllowOrigin::Mirror);
    let opted_in =
        build(CorsPolicy::builder().origin_fn(yes()).credentials(true).allow_insecure_origins_with_credentials(true));
    assert!(allowed(&opted_in, b"http://shop.example"));
    // without credentials plain http is the predicate's call
    assert!(allowed(&build(CorsPolicy::builder().origin_fn(yes())), b"http://shop.example"));
}

#[test]
fn a_predicate_next_to_any_origin_is_refused_and_origins_may_be_left_out() {
    let err = CorsPolicy::builder().origins(["*"]).origin_fn(OriginFn::new("f", |_, _| true)).build().unwrap_err();
    assert_eq!(err.problems()[0].kind, ProblemKind::OriginFnWithAnyOrigin);
    assert_eq!(err.problems()[0].key, PolicyKey::OriginFn);
    let policy = build(CorsPolicy::builder().origin_fn(OriginFn::new("tenants", |_, _| false)));
    assert!(policy.varies_on_origin());
    assert_eq!(policy.to_string(), "origins = [], origin_fn = tenants, methods = [\"GET\", \"HEAD\", \"POST\"]");
    // a route's predicate is inherited like any key
    let global = PolicySpec::from(build(CorsPolicy::builder().origins(["https://app.example"])));
    let route = CorsPolicy::builder().origin_fn(OriginFn::new("r", |_, _| true)).build_spec().unwrap();
    let merged = route.merged_over(&global);
    assert_eq!(merged.origin_fn.as_ref().map(OriginFn::name), Some("r"));
    assert!(merged.check().is_ok());
}

#[test]
fn allows_request_origin_asks_the_predicate() {
    let policy = build(
        CorsPolicy::builder()
            .origins(["https://app.example"])
            .origin_fn(OriginFn::new("t", |o, r| o.host() == "b.example" && r.path().starts_with("/public"))),
    );
    let public = View { path: "/public/x", tenant: None };
    let private = View { path: "/admin", tenant: None };
    assert!(policy.allows_request_origin(APP, &private));
    assert!(policy.allows_request_origin(b"https://b.example", &public));
    assert!(!policy.allows_request_origin(b"https://b.example", &private));
    assert!(!policy.allows_origin(b"https://b.example"));
    assert!(!policy.allows_request_origin(EVIL, &public));
}
