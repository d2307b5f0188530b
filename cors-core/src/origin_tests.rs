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
        ("https://example..", OriginInvalidHost),
        ("file://host", OriginOpaque),
        ("http://127.1", OriginNotSerialized),
        ("https://exämple.com", OriginNotSerialized),
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

/// Each pattern with the origins it must match (`true`) or refuse (`false`).
type PatternCase = (&'static str, &'static [(&'static [u8], bool)]);

const PATTERN_CASES: &[PatternCase] = &[
    // A subdomain wildcard matches whole labels only.
    (
        "https://*.example.com",
        &[
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
        ],
    ),
    // A port wildcard matches every port and none.
    (
        "http://localhost:*",
        &[
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
        ],
    ),
    ("http://[::1]:*", &[(b"http://[::1]:8080", true), (b"http://[::2]:8080", false)]),
];

#[test]
fn wildcard_patterns_match_whole_labels_and_any_port() {
    for &(written, origins) in PATTERN_CASES {
        let p = pattern(written);
        for &(origin, want) in origins {
            assert_eq!(pattern_matches(&p, origin), want, "{written} against {}", String::from_utf8_lossy(origin));
        }
    }
}

#[test]
fn entries_render_back_to_what_the_user_wrote() {
    for s in ["https://a.example", "null", "https://*.b.example", "http://localhost:*", "https://*.c.example:8443"] {
        let ParsedOrigin::Entry(e) = parse_origin(s).unwrap() else { unreachable!() };
        assert_eq!(entry_to_string(&e), s);
    }
}

/// Origins whose host the URL standard's host parser rewrites, with the
/// origin browsers send instead: the configured text could never match.
const REWRITTEN_BY_BROWSERS: &[(&str, &str)] = &[
    ("http://1", "http://0.0.0.1"),
    ("http://127.1", "http://127.0.0.1"),
    ("http://0x7f.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://[0:0:0:0:0:0:0:1]", "http://[::1]"),
    ("http://[::ffff:1.2.3.4]", "http://[::ffff:102:304]"),
    ("https://bücher.example", "https://xn--bcher-kva.example"),
    ("https://*.bücher.example", "https://*.xn--bcher-kva.example"),
    ("http://[0:0::1]:*", "http://[::1]:*"),
];

/// Origins whose host the URL standard's host parser refuses.
const HOSTS_BROWSERS_REFUSE: &[&str] =
    &["http://1.2.3.4.5", "http://foo.bar.255", "http://xn--f", "https://*.xn--f.example"];

#[track_caller]
fn refused_with_hint(input: &str, kind: ProblemKind, hint: &str) {
    let e = parse_origin(input).expect_err(input);
    assert_eq!(e.kind, kind, "{input}: {e:?}");
    assert!(e.hint.contains(hint), "{input}: hint {:?} lacks {hint:?}", e.hint);
}

/// Each origin browsers never send is refused, and the hint names what
/// browsers send.
#[test]
fn origins_browsers_never_send_are_refused_with_what_they_send() {
    for &(input, sent) in REWRITTEN_BY_BROWSERS {
        refused_with_hint(input, OriginNotSerialized, &format!("write `{sent}`"));
    }
    for &input in HOSTS_BROWSERS_REFUSE {
        refused_with_hint(input, OriginInvalidHost, "a host is");
    }
    refused_with_hint("file://host", OriginOpaque, "`\"null\"`");
}

#[test]
fn a_trailing_dot_host_is_its_own_origin_and_matches_exactly() {
    let ParsedOrigin::Entry(entry) = parse_origin("http://example.com.:3999").unwrap() else { unreachable!() };
    assert_eq!(entry, OriginEntry::Exact(Cow::Owned("http://example.com.:3999".into())));
    let p = pattern("https://*.example.com.");
    assert!(pattern_matches(&p, b"https://a.example.com."));
    assert!(!pattern_matches(&p, b"https://a.example.com"));
}

#[test]
fn schemes_with_opaque_origins_are_matched_as_written() {
    // Browser extensions and webviews send these as their `Origin`.
    for origin in ["chrome-extension://abcdefghijklmnop", "moz-extension://1234-5678", "tauri://localhost"] {
        assert!(matches!(parse_origin(origin), Ok(ParsedOrigin::Entry(OriginEntry::Exact(_)))), "{origin}");
    }
}

/// Wildcards under any suffix of the whole Public Suffix List, its private
/// section included, let anyone register an allowed origin.
#[test]
fn wildcards_under_public_suffixes_name_the_suffix_and_its_section() {
    let table: &[(&str, &str)] = &[
        ("https://*.s3.amazonaws.com", "private section"),
        ("https://*.myshopify.com", "private section"),
        ("https://*.vercel.app", "private section"),
        ("https://*.pages.dev", "private section"),
        ("https://*.github.io", "private section"),
        ("https://*.herokuapp.com", "private section"),
        ("https://*.r2.dev", "private section"),
        ("https://*.duckdns.org", "private section"),
        ("https://*.azurestaticapps.net", "private section"),
        ("https://*.eu.org", "private section"),
        ("https://*.co.uk", "ICANN section"),
        ("https://*.com", "ICANN section"),
        ("https://*.com.", "ICANN section"),
    ];
    for (input, section) in table {
        let e = parse_origin(input).expect_err(input);
        assert_eq!(e.kind, OriginWildcardPublicSuffix, "{input}");
        assert!(e.message.contains(section), "{input}: {}", e.message);
        let parent = input.trim_start_matches("https://*.");
        assert!(e.hint.contains(&format!("`x.{parent}`")), "{input}: {}", e.hint);
    }
    for ok in ["https://*.shop.myshopify.com", "https://*.example.co.uk", "https://*.me.github.io"] {
        assert!(parse_origin(ok).is_ok(), "{ok}");
    }
}
