//! Rules 6 to 8: origin matching, wildcards and credentials.

use super::*;

// ---- rule 6: origin matching ------------------------------------------------------

/// A case name, the listed origins, and whether each origin is allowed.
type OriginCase = (&'static str, &'static [&'static str], &'static [(&'static [u8], bool)]);

#[test]
fn origins_match_exactly_or_by_pattern() {
    let cases: [OriginCase; 3] = [
        (
            "exact origins compare byte for byte",
            &["https://app.example", "http://localhost:8080"],
            &[
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
            ],
        ),
        (
            "subdomain patterns match whole labels only",
            &["https://*.example.com"],
            &[
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
            ],
        ),
        (
            "port patterns match ports, not hosts",
            &["http://localhost:*", "https://*.example.com:8443"],
            &[
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
            ],
        ),
    ];
    for (case, origins, table) in cases {
        let policy = build(CorsPolicy::builder().origins(origins.iter().copied()));
        for (origin, want) in table {
            let origin_text = String::from_utf8_lossy(origin);
            let got = matches!(policy.decide(&actual(b"GET", origin)), Decision::ActualAllowed(_));
            assert_eq!(got, *want, "{case}: {origin_text}");
            let got = matches!(policy.decide(&preflight(origin, b"GET")), Decision::PreflightAccepted(_));
            assert_eq!(got, *want, "{case}: preflight {origin_text}");
        }
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
