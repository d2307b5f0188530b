//! Tests of `origin.rs`.
use super::*;
use ProblemKind::*;

fn kind(input: &str) -> ProblemKind {
    parse_origin(input).expect_err(input).kind
}

#[test]
fn malformed_origins_are_refused_with_their_class() {
    let table: &[(&str, ProblemKind)] = &[
        ("example.com", OriginMissingScheme),
        ("", OriginEmpty),
        ("  ", OriginEmpty),
        ("*.example.com", OriginMissingScheme),
        ("https://Example.com", OriginUpperCase),
        ("HTTPS://example.com", OriginUpperCase),
        ("https://example.com/", OriginTrailingSlash),
        ("https://example.com/app", OriginPath),
        ("https://example.com?x=1", OriginQuery),
        ("https://example.com#top", OriginFragment),
        ("https://user@example.com", OriginUserinfo),
        ("https://user:pw@example.com", OriginUserinfo),
        ("https://example.com:443", OriginDefaultPort),
        ("http://example.com:80", OriginDefaultPort),
        ("https://example.com:0", OriginInvalidPort),
        ("https://example.com:65536", OriginInvalidPort),
        ("https://example.com:08080", OriginInvalidPort),
        ("https://example.com:", OriginInvalidPort),
        ("https://exa mple.com", OriginInvalidHost),
        ("https://-bad.example", OriginInvalidHost),
        ("https://a..example", OriginInvalidHost),
        ("https://example.com.", OriginInvalidHost),
        ("https://exämple.com", OriginInvalidHost),
        ("https://[::1", OriginInvalidHost),
        ("https://[zz::1]", OriginInvalidHost),
        ("1https://a.example", OriginInvalidScheme),
        ("https://", OriginWildcardPlacement),
        ("https://*", OriginWildcardPlacement),
        ("https://a.*.example.com", OriginWildcardPlacement),
        ("https://*example.com", OriginWildcardPlacement),
        ("https://*.*.example.com", OriginWildcardPlacement),
        ("*://example.com", OriginWildcardPlacement),
        ("http://localhost:8*", OriginWildcardPlacement),
        ("https://*.127.0.0.1", OriginWildcardPlacement),
        ("https://*.com", OriginWildcardPublicSuffix),
        ("https://*.co.uk", OriginWildcardPublicSuffix),
        ("https://*.github.io", OriginWildcardPublicSuffix),
    ];
    for (input, want) in table {
        assert_eq!(kind(input), *want, "{input}");
    }
}

#[test]
fn valid_origins_parse_to_the_right_shape() {
    assert_eq!(parse_origin("*"), Ok(ParsedOrigin::Any));
    assert_eq!(parse_origin("null"), Ok(ParsedOrigin::Entry(OriginEntry::Null)));
    for exact in ["https://a.example", "http://127.0.0.1:8080", "http://[::1]:3000", "https://xn--bcher-kva.example"] {
        assert_eq!(
            parse_origin(exact),
            Ok(ParsedOrigin::Entry(OriginEntry::Exact(Cow::Owned(exact.into())))),
            "{exact}"
        );
    }
    let ParsedOrigin::Entry(OriginEntry::Pattern(p)) = parse_origin("http://localhost:*").unwrap() else {
        panic!("not a pattern")
    };
    assert_eq!((p.subdomains, &*p.host, p.port), (false, "localhost", PortPattern::Any));
    let ParsedOrigin::Entry(OriginEntry::Pattern(p)) = parse_origin("https://*.example.co.uk:8443").unwrap() else {
        panic!("not a pattern")
    };
    assert_eq!((p.subdomains, &*p.host, p.port), (true, "example.co.uk", PortPattern::Fixed(8443)));
}

#[test]
fn hints_quote_the_fix() {
    let e = parse_origin("https://example.com:443").unwrap_err();
    assert!(e.hint.contains("`https://example.com`"), "{}", e.hint);
    let e = parse_origin("https://Example.com").unwrap_err();
    assert!(e.hint.contains("`https://example.com`"), "{}", e.hint);
}

fn pattern(s: &str) -> OriginPattern {
    match parse_origin(s).unwrap() {
        ParsedOrigin::Entry(OriginEntry::Pattern(p)) => p,
        other => panic!("{s} is {other:?}"),
    }
}

#[test]
fn subdomain_patterns_match_whole_labels_only() {
    let p = pattern("https://*.example.com");
    let table: &[(&[u8], bool)] = &[
        (b"https://a.example.com", true),
        (b"https://a.b.example.com", true),
        (b"https://example.com", false),
        (b"https://evilexample.com", false),
        (b"https://.example.com", false),
        (b"https://a..example.com", false),
        (b"https://example.com.evil.io", false),
        (b"https://a.example.com.evil.io", false),
        (b"http://a.example.com", false),
        (b"https://a.example.com:443", false),
        (b"https://a.example.com:8443", false),
        (b"https://A.example.com", false),
        (b"https://a.example.com/", false),
        (b"https://a b.example.com", false),
        (b"https://\xff.example.com", false),
        (b"httpsx://a.example.com", false),
    ];
    for (origin, want) in table {
        assert_eq!(pattern_matches(&p, origin), *want, "{}", String::from_utf8_lossy(origin));
    }
}

#[test]
fn any_port_patterns_match_every_port_and_none() {
    let p = pattern("http://localhost:*");
    let table: &[(&[u8], bool)] = &[
        (b"http://localhost", true),
        (b"http://localhost:3000", true),
        (b"http://localhost:65535", true),
        (b"http://localhost:65536", false),
        (b"http://localhost:03000", false),
        (b"http://localhost:", false),
        (b"http://localhost:abc", false),
        (b"https://localhost:3000", false),
        (b"http://localhost.evil.io:3000", false),
        (b"http://a.localhost:3000", false),
    ];
    for (origin, want) in table {
        assert_eq!(pattern_matches(&p, origin), *want, "{}", String::from_utf8_lossy(origin));
    }
    let p = pattern("http://[::1]:*");
    assert!(pattern_matches(&p, b"http://[::1]:8080"));
    assert!(!pattern_matches(&p, b"http://[::2]:8080"));
}

#[test]
fn entries_render_back_to_what_the_user_wrote() {
    for s in ["https://a.example", "null", "https://*.b.example", "http://localhost:*", "https://*.c.example:8443"] {
        let ParsedOrigin::Entry(e) = parse_origin(s).unwrap() else { unreachable!() };
        assert_eq!(entry_to_string(&e), s);
    }
}
