//! Rule 2: preflights, malformed ones (rule 10) and `Access-Control-Request-Headers` parsing (rule 6).

use super::*;

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
