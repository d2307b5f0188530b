//! The headers a plan writes (`Plan::render`, through `Plan::write`).

use super::*;

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
    assert!(matches!(policy.decide(&post), Decision::ActualDisallowed { reject: true, .. }));
    let Decision::NotCors(plan) = policy.decide(&post.same_origin(true)) else { panic!("refused a same-origin POST") };
    assert_eq!(plan.allow_origin, AllowOrigin::Omit);
    assert!(plan.vary.contains(VarySet::ORIGIN), "the answer still varies on Origin for caches");
    // Browsers never preflight same-origin requests: a preflight stays one.
    let preflight = preflight(own, b"PUT").same_origin(true);
    assert_eq!(preflight.kind(), RequestKind::Preflight);
}
