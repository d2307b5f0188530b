//! Tests of `validate.rs`.
use super::*;
use ProblemKind::*;

fn strings(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|s| s.to_string()).collect())
}

fn kinds(raw: PolicyConfig) -> Vec<(PolicyKey, Option<usize>, ProblemKind)> {
    raw.check().unwrap_err().problems().iter().map(|p| (p.key, p.index, p.kind)).collect()
}

fn with_origins(o: &[&str]) -> PolicyConfig {
    PolicyConfig { origins: strings(o), ..PolicyConfig::default() }
}

#[test]
fn a_valid_policy_checks_into_a_typed_spec() {
    let raw = PolicyConfig {
        origins: strings(&["https://a.example", "https://*.b.example"]),
        methods: strings(&["GET", "PURGE", "patch"]),
        allow_headers: strings(&["Content-Type", "x-request-id"]),
        expose_headers: strings(&["x-request-id"]),
        credentials: Some(true),
        max_age: Some(600),
        ..PolicyConfig::default()
    };
    let spec = raw.check().unwrap();
    assert_eq!(spec.allow_headers.unwrap().names.as_ref(), ["content-type", "x-request-id"]);
    assert_eq!(spec.methods.unwrap().names.as_ref(), ["GET", "PURGE", "patch"]);
    assert_eq!(spec.max_age, Some(600));
}

#[test]
fn every_problem_is_reported_with_its_index() {
    let raw = PolicyConfig {
        origins: strings(&["https://ok.example", "https://bad.example/", "https://x.example:443"]),
        methods: strings(&["GET", "TRACE"]),
        max_age: Some(86_401),
        ..PolicyConfig::default()
    };
    assert_eq!(
        kinds(raw),
        [
            (PolicyKey::Origins, Some(1), OriginTrailingSlash),
            (PolicyKey::Origins, Some(2), OriginDefaultPort),
            (PolicyKey::Methods, Some(1), ForbiddenMethod),
            (PolicyKey::MaxAge, None, MaxAgeOutOfRange),
        ]
    );
}

#[test]
fn star_inside_an_origin_list_is_refused() {
    assert_eq!(kinds(with_origins(&["https://a.example", "*"])), [(PolicyKey::Origins, Some(1), OriginWildcardInList)]);
}

#[test]
fn duplicate_origins_are_refused() {
    assert_eq!(
        kinds(with_origins(&["https://a.example", "https://a.example"])),
        [(PolicyKey::Origins, Some(1), DuplicateOrigin)]
    );
}

#[test]
fn empty_lists_are_refused() {
    assert_eq!(kinds(with_origins(&[])), [(PolicyKey::Origins, None, EmptyList)]);
}

#[test]
fn credentials_with_any_origin_points_at_the_star() {
    let raw = PolicyConfig { credentials: Some(true), ..with_origins(&["*"]) };
    assert_eq!(kinds(raw), [(PolicyKey::Origins, Some(0), CredentialsWithAnyOrigin)]);
}

#[test]
fn credentials_with_wildcard_lists_point_at_each_star() {
    let raw = PolicyConfig {
        credentials: Some(true),
        methods: strings(&["GET", "*"]),
        allow_headers: strings(&["*"]),
        expose_headers: strings(&["x-a", "*"]),
        ..with_origins(&["https://a.example"])
    };
    assert_eq!(
        kinds(raw),
        [
            (PolicyKey::Methods, Some(1), CredentialsWithWildcard),
            (PolicyKey::AllowHeaders, Some(0), CredentialsWithWildcard),
            (PolicyKey::ExposeHeaders, Some(1), CredentialsWithWildcard),
        ]
    );
}

#[test]
fn wildcards_without_credentials_are_fine() {
    let raw = PolicyConfig {
        methods: strings(&["*"]),
        allow_headers: strings(&["*", "authorization"]),
        expose_headers: strings(&["*"]),
        ..with_origins(&["*"])
    };
    let spec = raw.check().unwrap();
    assert!(spec.allow_headers.as_ref().unwrap().any);
    assert_eq!(spec.allow_headers.unwrap().names.as_ref(), ["authorization"]);
}

/// One list key set on an otherwise valid policy (any origin).
fn with_list(key: PolicyKey, entries: &[&str]) -> PolicyConfig {
    let mut raw = with_origins(&["*"]);
    let list = match key {
        PolicyKey::Methods => &mut raw.methods,
        PolicyKey::AllowHeaders => &mut raw.allow_headers,
        PolicyKey::ExposeHeaders => &mut raw.expose_headers,
        _ => unreachable!("{key:?} is not a list of names"),
    };
    *list = strings(entries);
    raw
}

/// A list key, its entries, and the index and kind of each problem.
type ListCase = (PolicyKey, &'static [&'static str], &'static [(usize, ProblemKind)]);

#[test]
fn per_entry_rules_of_each_name_list() {
    let cases: [ListCase; 3] = [
        (
            PolicyKey::Methods,
            &["GET", "get", "G ET", "CONNECT", "track", "GET", ""],
            &[
                (1, MethodCase),
                (2, InvalidMethod),
                (3, ForbiddenMethod),
                (4, ForbiddenMethod),
                (5, DuplicateMethod),
                (6, InvalidMethod),
            ],
        ),
        (
            PolicyKey::AllowHeaders,
            &["x-a", "X-A", "cookie", "Sec-Fetch-Mode", "proxy-x", "bad header", "host", "origin", "content-length"],
            &[
                (1, DuplicateHeader),
                (2, ForbiddenRequestHeader),
                (3, ForbiddenRequestHeader),
                (4, ForbiddenRequestHeader),
                (5, InvalidHeaderName),
                (6, ForbiddenRequestHeader),
                (7, ForbiddenRequestHeader),
                (8, ForbiddenRequestHeader),
            ],
        ),
        (
            PolicyKey::ExposeHeaders,
            &["set-cookie", "Set-Cookie2", "x:y", "cookie"],
            &[(0, ForbiddenExposedHeader), (1, ForbiddenExposedHeader), (2, InvalidHeaderName)],
        ),
    ];
    for (key, entries, expected) in cases {
        let want: Vec<_> = expected.iter().map(|&(index, kind)| (key, Some(index), kind)).collect();
        assert_eq!(kinds(with_list(key, entries)), want, "{key:?}");
    }
}

#[test]
fn lower_case_patch_is_a_distinct_valid_method() {
    assert!(with_list(PolicyKey::Methods, &["PATCH", "patch"]).check().is_ok());
}

#[test]
fn max_age_bounds() {
    assert!(PolicyConfig { max_age: Some(0), ..with_origins(&["*"]) }.check().is_ok());
    assert!(PolicyConfig { max_age: Some(86_400), ..with_origins(&["*"]) }.check().is_ok());
    assert_eq!(
        kinds(PolicyConfig { max_age: Some(u64::MAX), ..with_origins(&["*"]) }),
        [(PolicyKey::MaxAge, None, MaxAgeOutOfRange)]
    );
}

#[test]
fn off_with_other_keys_names_each_key() {
    let raw = PolicyConfig { off: true, credentials: Some(false), ..with_origins(&["*"]) };
    assert_eq!(
        kinds(raw),
        [(PolicyKey::Origins, None, OffWithOtherKeys), (PolicyKey::Credentials, None, OffWithOtherKeys)]
    );
    assert!(PolicyConfig { off: true, ..PolicyConfig::default() }.check().is_ok());
}

#[test]
fn merged_spec_turning_invalid_is_caught() {
    let global = with_origins(&["*"]).check().unwrap();
    let route = PolicyConfig { credentials: Some(true), ..PolicyConfig::default() }.check().unwrap();
    let merged = route.merged_over(&global);
    let err = merged.check().unwrap_err();
    assert_eq!(err.problems()[0].kind, CredentialsWithAnyOrigin);
}

#[test]
fn missing_origins_is_caught_on_the_merged_spec() {
    let route = PolicyConfig { credentials: Some(true), ..PolicyConfig::default() }.check().unwrap();
    assert_eq!(route.merged_over(&PolicySpec::EMPTY).check().unwrap_err().problems()[0].kind, MissingOrigins);
}

#[test]
fn route_methods_must_be_covered() {
    let raw = PolicyConfig { methods: strings(&["GET"]), ..with_origins(&["*"]) };
    assert!(raw.check_route(&["GET"]).is_ok());
    let err = raw.check_route(&["POST"]).unwrap_err();
    assert_eq!(err.problems()[0].kind, MethodExcludesRoute);
    let any = PolicyConfig { methods: strings(&["*"]), ..with_origins(&["*"]) };
    assert!(any.check_route(&["DELETE"]).is_ok());
}

#[test]
fn a_refused_spelling_of_the_route_method_is_reported_once() {
    let raw = PolicyConfig { methods: strings(&["post"]), ..with_origins(&["*"]) };
    let err = raw.check_route(&["POST"]).unwrap_err();
    let kinds: Vec<_> = err.problems().iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [MethodCase]);
}

#[test]
fn every_rule_runs_on_every_input() {
    // A wrong value never hides a wrong combination or a missing method.
    let raw = PolicyConfig {
        origins: strings(&["https://a.example/"]),
        methods: strings(&["GET"]),
        allow_headers: strings(&["x-a", "X-A", "*"]),
        credentials: Some(true),
        max_age: Some(90_000),
        ..PolicyConfig::default()
    };
    let err = raw.check_route(&["POST"]).unwrap_err();
    let got: Vec<_> = err.problems().iter().map(|p| (p.key, p.index, p.kind)).collect();
    assert_eq!(
        got,
        [
            (PolicyKey::Origins, Some(0), OriginTrailingSlash),
            (PolicyKey::Methods, None, MethodExcludesRoute),
            (PolicyKey::AllowHeaders, Some(1), DuplicateHeader),
            (PolicyKey::AllowHeaders, Some(2), CredentialsWithWildcard),
            (PolicyKey::MaxAge, None, MaxAgeOutOfRange),
        ]
    );
}

#[test]
fn credentials_refuse_null_and_plain_http_origins_unless_opted_in() {
    let origins = ["https://a.example", "null", "http://b.example", "http://*.c.example:*"];
    let raw = PolicyConfig { credentials: Some(true), ..with_origins(&origins) };
    assert_eq!(
        kinds(raw.clone()),
        [
            (PolicyKey::Origins, Some(1), NullWithCredentials),
            (PolicyKey::Origins, Some(2), InsecureOriginWithCredentials),
            (PolicyKey::Origins, Some(3), InsecureOriginWithCredentials),
        ]
    );
    let err = raw.check().unwrap_err();
    assert!(err.problems()[0].hint.contains("allow_null_with_credentials = true"), "{err}");
    assert!(err.problems()[1].hint.contains("allow_insecure_origins_with_credentials = true"), "{err}");
    // Each opt-in lifts exactly its own rule.
    let null_ok = PolicyConfig { allow_null_with_credentials: Some(true), ..raw.clone() };
    assert_eq!(kinds(null_ok).iter().map(|k| k.2).collect::<Vec<_>>(), [InsecureOriginWithCredentials; 2]);
    let both = PolicyConfig {
        allow_null_with_credentials: Some(true),
        allow_insecure_origins_with_credentials: Some(true),
        ..raw.clone()
    };
    assert!(both.check().is_ok());
    // Without credentials there is nothing to steal.
    assert!(PolicyConfig { credentials: Some(false), ..raw }.check().is_ok());
}

#[test]
fn loopback_http_origins_stay_allowed_with_credentials() {
    let origins = [
        "http://localhost",
        "http://localhost:3000",
        "http://localhost:*",
        "http://app.localhost:8080",
        "http://127.0.0.1",
        "http://127.0.0.1:8080",
        "http://127.8.9.10:1",
        "http://[::1]",
        "http://[::1]:3000",
    ];
    let raw = PolicyConfig { credentials: Some(true), ..with_origins(&origins) };
    assert!(raw.check().is_ok(), "{:?}", raw.check());
}

#[test]
fn a_merged_policy_inherits_credentials_and_the_opt_ins() {
    let global = PolicyConfig { credentials: Some(true), ..with_origins(&["https://a.example"]) }.check().unwrap();
    let route = with_origins(&["null"]).check().unwrap();
    let err = route.merged_over(&global).check().unwrap_err();
    assert_eq!(err.problems()[0].kind, NullWithCredentials);
    let global = PolicySpec { allow_null_with_credentials: Some(true), ..global };
    assert!(route.merged_over(&global).check().is_ok());
}

#[test]
fn a_hand_built_spec_gets_every_value_check() {
    let every_dot_com = OriginEntry::Pattern(crate::spec::OriginPattern {
        scheme: "https".into(),
        subdomains: true,
        host: "com".into(),
        port: crate::spec::PortPattern::Default,
    });
    let spec = PolicySpec {
        origins: Some(Origins::List(Cow::Owned(vec![every_dot_com, OriginEntry::Exact("https://A.example".into())]))),
        allow_headers: Some(NameList { any: false, names: Cow::Owned(vec!["x-a\r\nx-b".into()]) }),
        methods: Some(NameList { any: false, names: Cow::Owned(vec!["GET".into()]) }),
        max_age: Some(1_000_000),
        credentials: Some(true),
        ..PolicySpec::EMPTY
    };
    let err = spec.check().unwrap_err();
    let got: Vec<_> = err.problems().iter().map(|p| (p.key, p.index, p.kind)).collect();
    assert_eq!(
        got,
        [
            (PolicyKey::Origins, Some(0), OriginWildcardPublicSuffix),
            (PolicyKey::Origins, Some(1), OriginUpperCase),
            (PolicyKey::AllowHeaders, Some(0), InvalidHeaderName),
            (PolicyKey::MaxAge, None, MaxAgeOutOfRange),
        ]
    );
    assert!(crate::CorsPolicy::from_spec(spec, None).is_err());
}

#[test]
fn a_hand_built_spec_is_used_in_its_normal_form() {
    let spec = PolicySpec {
        origins: Some(Origins::Any),
        allow_headers: Some(NameList { any: false, names: Cow::Owned(vec!["X-Request-Id".into()]) }),
        ..PolicySpec::EMPTY
    };
    let policy = crate::CorsPolicy::from_spec(spec, None).unwrap();
    assert_eq!(policy.spec().allow_headers.as_ref().unwrap().names.as_ref(), ["x-request-id"]);
}

#[test]
fn reflect_any_origin_still_reports_malformed_origins() {
    let raw = PolicyConfig { reflect_any_origin: true, ..with_origins(&["https://a.example/"]) };
    assert_eq!(kinds(raw), [(PolicyKey::Origins, Some(0), OriginTrailingSlash)]);
}

#[test]
fn reflect_any_origin_is_allowed_with_credentials_only_by_opt_in() {
    let raw = PolicyConfig { reflect_any_origin: true, credentials: Some(true), ..PolicyConfig::default() };
    assert_eq!(raw.check().unwrap().origins, Some(Origins::ReflectAnyDangerously));
}

#[test]
fn a_header_name_with_spaces_gets_the_joined_name_as_hint() {
    let hint = |name: &str| {
        let raw = PolicyConfig { allow_headers: strings(&[name]), ..with_origins(&["*"]) };
        let err = raw.check().unwrap_err();
        assert_eq!(err.problems()[0].kind, InvalidHeaderName, "{name}");
        err.problems()[0].hint.clone()
    };
    assert!(hint("Content Type").starts_with("did you mean `content-type`?"), "{}", hint("Content Type"));
    assert!(hint("x_request id").starts_with("did you mean `x-request-id`?"));
    assert!(hint("a:b").starts_with("a header name is a token such as"));
}

#[test]
fn a_repeated_entry_points_at_its_first_occurrence() {
    let raw = PolicyConfig {
        methods: strings(&["GET", "PUT", "GET", "*", "*"]),
        allow_headers: strings(&["x-a", "x-b", "X-B"]),
        ..with_origins(&["https://a.example", "https://b.example", "https://a.example"])
    };
    let err = raw.check().unwrap_err();
    let got: Vec<_> = err.problems().iter().map(|p| (p.key, p.index, p.first)).collect();
    assert_eq!(
        got,
        [
            (PolicyKey::Origins, Some(2), Some(0)),
            (PolicyKey::Methods, Some(2), Some(0)),
            (PolicyKey::Methods, Some(4), Some(3)),
            (PolicyKey::AllowHeaders, Some(2), Some(1)),
        ]
    );
    assert!(
        err.to_string().contains("`origins`[2]: origin `https://a.example` is listed twice (first at [0])"),
        "{err}"
    );
}
