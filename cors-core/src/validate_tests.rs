//! Tests of `validate.rs`.
use super::*;
use ProblemKind::*;

fn strings(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|s| s.to_string()).collect())
}

fn kinds(raw: RawPolicy) -> Vec<(Key, Option<usize>, ProblemKind)> {
    raw.check().unwrap_err().problems().iter().map(|p| (p.key, p.index, p.kind)).collect()
}

fn with_origins(o: &[&str]) -> RawPolicy {
    RawPolicy { origins: strings(o), ..RawPolicy::default() }
}

#[test]
fn a_valid_policy_checks_into_a_typed_spec() {
    let raw = RawPolicy {
        origins: strings(&["https://a.example", "https://*.b.example"]),
        methods: strings(&["GET", "PURGE", "patch"]),
        allow_headers: strings(&["Content-Type", "x-request-id"]),
        expose_headers: strings(&["x-request-id"]),
        credentials: Some(true),
        max_age: Some(600),
        ..RawPolicy::default()
    };
    let spec = raw.check().unwrap();
    assert_eq!(spec.allow_headers.unwrap().names.as_ref(), ["content-type", "x-request-id"]);
    assert_eq!(spec.methods.unwrap().names.as_ref(), ["GET", "PURGE", "patch"]);
    assert_eq!(spec.max_age, Some(600));
}

#[test]
fn every_problem_is_reported_with_its_index() {
    let raw = RawPolicy {
        origins: strings(&["https://ok.example", "https://bad.example/", "https://x.example:443"]),
        methods: strings(&["GET", "TRACE"]),
        max_age: Some(86_401),
        ..RawPolicy::default()
    };
    assert_eq!(
        kinds(raw),
        [
            (Key::Origins, Some(1), OriginTrailingSlash),
            (Key::Origins, Some(2), OriginDefaultPort),
            (Key::Methods, Some(1), ForbiddenMethod),
            (Key::MaxAge, None, MaxAgeOutOfRange),
        ]
    );
}

#[test]
fn star_inside_an_origin_list_is_refused() {
    assert_eq!(kinds(with_origins(&["https://a.example", "*"])), [(Key::Origins, Some(1), OriginWildcardInList)]);
}

#[test]
fn duplicate_origins_are_refused() {
    assert_eq!(
        kinds(with_origins(&["https://a.example", "https://a.example"])),
        [(Key::Origins, Some(1), DuplicateOrigin)]
    );
}

#[test]
fn empty_lists_are_refused() {
    assert_eq!(kinds(with_origins(&[])), [(Key::Origins, None, EmptyList)]);
}

#[test]
fn credentials_with_any_origin_points_at_the_star() {
    let raw = RawPolicy { credentials: Some(true), ..with_origins(&["*"]) };
    assert_eq!(kinds(raw), [(Key::Origins, Some(0), CredentialsWithAnyOrigin)]);
}

#[test]
fn credentials_with_wildcard_lists_point_at_each_star() {
    let raw = RawPolicy {
        credentials: Some(true),
        methods: strings(&["GET", "*"]),
        allow_headers: strings(&["*"]),
        expose_headers: strings(&["x-a", "*"]),
        ..with_origins(&["https://a.example"])
    };
    assert_eq!(
        kinds(raw),
        [
            (Key::Methods, Some(1), CredentialsWithWildcard),
            (Key::AllowHeaders, Some(0), CredentialsWithWildcard),
            (Key::ExposeHeaders, Some(1), CredentialsWithWildcard),
        ]
    );
}

#[test]
fn wildcards_without_credentials_are_fine() {
    let raw = RawPolicy {
        methods: strings(&["*"]),
        allow_headers: strings(&["*", "authorization"]),
        expose_headers: strings(&["*"]),
        ..with_origins(&["*"])
    };
    let spec = raw.check().unwrap();
    assert!(spec.allow_headers.as_ref().unwrap().any);
    assert_eq!(spec.allow_headers.unwrap().names.as_ref(), ["authorization"]);
}

#[test]
fn method_rules() {
    let raw =
        RawPolicy { methods: strings(&["GET", "get", "G ET", "CONNECT", "track", "GET", ""]), ..with_origins(&["*"]) };
    assert_eq!(
        kinds(raw),
        [
            (Key::Methods, Some(1), MethodCase),
            (Key::Methods, Some(2), InvalidMethod),
            (Key::Methods, Some(3), ForbiddenMethod),
            (Key::Methods, Some(4), ForbiddenMethod),
            (Key::Methods, Some(5), DuplicateMethod),
            (Key::Methods, Some(6), InvalidMethod),
        ]
    );
}

#[test]
fn lower_case_patch_is_a_distinct_valid_method() {
    let raw = RawPolicy { methods: strings(&["PATCH", "patch"]), ..with_origins(&["*"]) };
    assert!(raw.check().is_ok());
}

#[test]
fn allow_header_rules() {
    let raw = RawPolicy {
        allow_headers: strings(&[
            "x-a",
            "X-A",
            "cookie",
            "Sec-Fetch-Mode",
            "proxy-x",
            "bad header",
            "host",
            "origin",
            "content-length",
        ]),
        ..with_origins(&["*"])
    };
    assert_eq!(
        kinds(raw),
        [
            (Key::AllowHeaders, Some(1), DuplicateHeader),
            (Key::AllowHeaders, Some(2), ForbiddenRequestHeader),
            (Key::AllowHeaders, Some(3), ForbiddenRequestHeader),
            (Key::AllowHeaders, Some(4), ForbiddenRequestHeader),
            (Key::AllowHeaders, Some(5), InvalidHeaderName),
            (Key::AllowHeaders, Some(6), ForbiddenRequestHeader),
            (Key::AllowHeaders, Some(7), ForbiddenRequestHeader),
            (Key::AllowHeaders, Some(8), ForbiddenRequestHeader),
        ]
    );
}

#[test]
fn expose_header_rules() {
    let raw =
        RawPolicy { expose_headers: strings(&["set-cookie", "Set-Cookie2", "x:y", "cookie"]), ..with_origins(&["*"]) };
    assert_eq!(
        kinds(raw),
        [
            (Key::ExposeHeaders, Some(0), ForbiddenExposedHeader),
            (Key::ExposeHeaders, Some(1), ForbiddenExposedHeader),
            (Key::ExposeHeaders, Some(2), InvalidHeaderName),
        ]
    );
}

#[test]
fn max_age_bounds() {
    assert!(RawPolicy { max_age: Some(0), ..with_origins(&["*"]) }.check().is_ok());
    assert!(RawPolicy { max_age: Some(86_400), ..with_origins(&["*"]) }.check().is_ok());
    assert_eq!(
        kinds(RawPolicy { max_age: Some(u64::MAX), ..with_origins(&["*"]) }),
        [(Key::MaxAge, None, MaxAgeOutOfRange)]
    );
}

#[test]
fn off_with_other_keys_names_each_key() {
    let raw = RawPolicy { off: true, credentials: Some(false), ..with_origins(&["*"]) };
    assert_eq!(kinds(raw), [(Key::Origins, None, OffWithOtherKeys), (Key::Credentials, None, OffWithOtherKeys)]);
    assert!(RawPolicy { off: true, ..RawPolicy::default() }.check().is_ok());
}

#[test]
fn merged_spec_turning_invalid_is_caught() {
    let global = with_origins(&["*"]).check().unwrap();
    let route = RawPolicy { credentials: Some(true), ..RawPolicy::default() }.check().unwrap();
    let merged = route.merged_over(&global);
    let err = merged.check().unwrap_err();
    assert_eq!(err.problems()[0].kind, CredentialsWithAnyOrigin);
}

#[test]
fn missing_origins_is_caught_on_the_merged_spec() {
    let route = RawPolicy { credentials: Some(true), ..RawPolicy::default() }.check().unwrap();
    assert_eq!(route.merged_over(&PolicySpec::EMPTY).check().unwrap_err().problems()[0].kind, MissingOrigins);
}

#[test]
fn route_methods_must_be_covered() {
    let spec = RawPolicy { methods: strings(&["GET"]), ..with_origins(&["*"]) }.check().unwrap();
    assert!(spec.check_route_methods(&["GET"]).is_ok());
    let err = spec.check_route_methods(&["POST"]).unwrap_err();
    assert_eq!(err.problems()[0].kind, MethodExcludesRoute);
    let any = RawPolicy { methods: strings(&["*"]), ..with_origins(&["*"]) }.check().unwrap();
    assert!(any.check_route_methods(&["DELETE"]).is_ok());
}

#[test]
fn reflect_any_origin_still_reports_malformed_origins() {
    let raw = RawPolicy { reflect_any_origin: true, ..with_origins(&["https://a.example/"]) };
    assert_eq!(kinds(raw), [(Key::Origins, Some(0), OriginTrailingSlash)]);
}

#[test]
fn reflect_any_origin_is_allowed_with_credentials_only_by_opt_in() {
    let raw = RawPolicy { reflect_any_origin: true, credentials: Some(true), ..RawPolicy::default() };
    assert_eq!(raw.check().unwrap().origins, Some(Origins::ReflectAnyDangerously));
}

#[test]
fn a_header_name_with_spaces_gets_the_joined_name_as_hint() {
    let hint = |name: &str| {
        let raw = RawPolicy { allow_headers: strings(&[name]), ..with_origins(&["*"]) };
        let err = raw.check().unwrap_err();
        assert_eq!(err.problems()[0].kind, InvalidHeaderName, "{name}");
        err.problems()[0].hint.clone()
    };
    assert!(hint("Content Type").starts_with("did you mean `content-type`?"), "{}", hint("Content Type"));
    assert!(hint("x_request id").starts_with("did you mean `x-request-id`?"));
    assert!(hint("a:b").starts_with("a header name is a token such as"));
}
