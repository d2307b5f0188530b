//! Validation shared by the run-time builder, the `#[cors]` attribute and
//! the start-up check of merged policies: one implementation, every problem
//! reported at once with the key and list index it came from.

use crate::error::{PolicyError, Problem, ProblemKind};
use crate::origin::{entry_to_string, parse_origin, ParsedOrigin};
use crate::spec::{Key, NameList, OriginEntry, Origins, PolicySpec, Text};
use crate::token::NORMALIZED_METHODS;
use crate::token::{is_forbidden_method, is_forbidden_request_header, is_forbidden_response_header, is_token};
use std::borrow::Cow;

/// The largest `max_age` accepted: one day. Chromium caps at 2 hours and
/// Firefox at 24 hours; larger values only mislead.
pub const MAX_AGE_LIMIT: u64 = 86_400;

/// A policy as written, before checking: plain strings, every key optional.
/// The builder and the `#[cors]` macro fill one of these and call
/// [`RawPolicy::check`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawPolicy {
    /// `origins`, one string per entry (`"*"` alone for any).
    pub origins: Option<Vec<String>>,
    /// `methods`
    pub methods: Option<Vec<String>>,
    /// `allow_headers`
    pub allow_headers: Option<Vec<String>>,
    /// `expose_headers`
    pub expose_headers: Option<Vec<String>>,
    /// `credentials`
    pub credentials: Option<bool>,
    /// `max_age`, in seconds
    pub max_age: Option<u64>,
    /// `private_network`
    pub private_network: Option<bool>,
    /// `reject`
    pub reject: Option<bool>,
    /// `off`
    pub off: bool,
    /// Set by `dangerously_reflect_any_origin()`: mirror every origin.
    pub reflect_any_origin: bool,
}

impl RawPolicy {
    /// Checks every value and every combination of values and returns the
    /// typed spec, or all problems at once.
    pub fn check(&self) -> Result<PolicySpec, PolicyError> {
        let mut problems = Vec::new();
        let spec = PolicySpec {
            origins: self.origins_spec(&mut problems),
            methods: self.methods.as_ref().map(|m| check_methods(m, &mut problems)),
            allow_headers: self.allow_headers.as_ref().map(|h| check_headers(Key::AllowHeaders, h, &mut problems)),
            expose_headers: self.expose_headers.as_ref().map(|h| check_headers(Key::ExposeHeaders, h, &mut problems)),
            credentials: self.credentials,
            max_age: self.max_age.and_then(|age| check_max_age(age, &mut problems)),
            private_network: self.private_network,
            reject: self.reject,
            off: self.off,
        };
        if problems.is_empty() {
            problems.extend(combination_problems(&spec, Some(self)));
        }
        PolicyError::from_problems(problems).map(|()| spec)
    }

    fn origins_spec(&self, problems: &mut Vec<Problem>) -> Option<Origins> {
        if self.reflect_any_origin {
            // Listed origins are meaningless here, but a malformed one is
            // still a mistake worth reporting.
            if let Some(list) = &self.origins {
                check_origins(list, problems);
            }
            return Some(Origins::ReflectAnyDangerously);
        }
        self.origins.as_ref().map(|list| check_origins(list, problems))
    }
}

fn check_origins(list: &[String], problems: &mut Vec<Problem>) -> Origins {
    if list.is_empty() {
        problems.push(empty_list(Key::Origins));
    }
    let mut entries: Vec<OriginEntry> = Vec::with_capacity(list.len());
    let mut any = false;
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        match parse_origin(s) {
            Ok(ParsedOrigin::Any) if list.len() == 1 => any = true,
            Ok(ParsedOrigin::Any) => problems.push(Problem::new(
                Key::Origins,
                Some(i),
                ProblemKind::OriginWildcardInList,
                "`*` cannot be combined with other origins",
                "use `origins = \"*\"` alone to allow every origin, or list the origins without `*`",
            )),
            // A set, not `entries.contains`: lists of many thousand origins
            // must not cost quadratic time to check.
            Ok(ParsedOrigin::Entry(e)) if !seen.insert(e.clone()) => problems.push(Problem::new(
                Key::Origins,
                Some(i),
                ProblemKind::DuplicateOrigin,
                format!("origin `{}` is listed twice", entry_to_string(&e)),
                "remove the repeated entry",
            )),
            Ok(ParsedOrigin::Entry(e)) => entries.push(e),
            Err(e) => problems.push(Problem::new(Key::Origins, Some(i), e.kind, e.message, e.hint)),
        }
    }
    if any {
        Origins::Any
    } else {
        Origins::List(Cow::Owned(entries))
    }
}

fn check_methods(list: &[String], problems: &mut Vec<Problem>) -> NameList {
    if list.is_empty() {
        problems.push(empty_list(Key::Methods));
    }
    let mut out = NameList { any: false, names: Cow::Owned(Vec::new()) };
    let mut names: Vec<Text> = Vec::new();
    for (i, m) in list.iter().enumerate() {
        let problem = |kind, message: String, hint: String| Problem::new(Key::Methods, Some(i), kind, message, hint);
        if m == "*" {
            if out.any {
                problems.push(problem(
                    ProblemKind::DuplicateMethod,
                    "`*` is listed twice".into(),
                    "remove the repeated entry".into(),
                ));
            }
            out.any = true;
        } else if !is_token(m.as_bytes()) {
            problems.push(problem(
                ProblemKind::InvalidMethod,
                format!("`{m}` is not a valid method name"),
                "a method is a token such as `PUT` or `PURGE`: letters, digits and `!#$%&'*+-.^_`|~`".into(),
            ));
        } else if is_forbidden_method(m) {
            problems.push(problem(
                ProblemKind::ForbiddenMethod,
                format!("browsers never send `{m}` cross-origin"),
                "`fetch()` refuses CONNECT, TRACE and TRACK: remove it".into(),
            ));
        } else if let Some(upper) = NORMALIZED_METHODS.iter().find(|n| n.eq_ignore_ascii_case(m) && **n != m) {
            problems.push(problem(
                ProblemKind::MethodCase,
                format!("browsers upper-case `{m}` before sending it, so it never matches"),
                format!("write `{upper}`"),
            ));
        } else if names.iter().any(|n| n == m) {
            problems.push(problem(
                ProblemKind::DuplicateMethod,
                format!("method `{m}` is listed twice"),
                "remove the repeated entry".into(),
            ));
        } else {
            names.push(Cow::Owned(m.clone()));
        }
    }
    out.names = Cow::Owned(names);
    out
}

fn check_headers(key: Key, list: &[String], problems: &mut Vec<Problem>) -> NameList {
    if list.is_empty() {
        problems.push(empty_list(key));
    }
    let mut any = false;
    let mut names: Vec<Text> = Vec::new();
    for (i, h) in list.iter().enumerate() {
        let lower = h.to_ascii_lowercase();
        let problem = |kind, message: String, hint: &str| Problem::new(key, Some(i), kind, message, hint);
        if h == "*" {
            if any {
                problems.push(problem(
                    ProblemKind::DuplicateHeader,
                    "`*` is listed twice".into(),
                    "remove the repeated entry",
                ));
            }
            any = true;
        } else if !is_token(h.as_bytes()) {
            problems.push(problem(
                ProblemKind::InvalidHeaderName,
                format!("`{h}` is not a valid header name"),
                "a header name is a token such as `x-request-id`: no spaces, colons or commas",
            ));
        } else if key == Key::AllowHeaders && is_forbidden_request_header(&lower) {
            problems.push(problem(
                ProblemKind::ForbiddenRequestHeader,
                format!("scripts can never set the `{lower}` header, so allowing it has no effect"),
                "browsers control this header themselves: remove it",
            ));
        } else if key == Key::ExposeHeaders && is_forbidden_response_header(&lower) {
            problems.push(problem(
                ProblemKind::ForbiddenExposedHeader,
                format!("browsers never let scripts read `{lower}`"),
                "cookies are not readable cross-origin: remove it",
            ));
        } else if names.iter().any(|n| *n == lower) {
            problems.push(problem(
                ProblemKind::DuplicateHeader,
                format!("header `{h}` is listed twice (names are case-insensitive)"),
                "remove the repeated entry",
            ));
        } else {
            names.push(Cow::Owned(lower));
        }
    }
    NameList { any, names: Cow::Owned(names) }
}

fn check_max_age(age: u64, problems: &mut Vec<Problem>) -> Option<u32> {
    if age <= MAX_AGE_LIMIT {
        return Some(age as u32);
    }
    problems.push(Problem::new(
        Key::MaxAge,
        None,
        ProblemKind::MaxAgeOutOfRange,
        format!("max_age {age} is out of range"),
        "use 0..=86400 seconds; browsers cap the preflight cache anyway (Chromium at 7200)",
    ));
    None
}

fn empty_list(key: Key) -> Problem {
    Problem::new(
        key,
        None,
        ProblemKind::EmptyList,
        format!("`{key}` is an empty list"),
        "list at least one value, or leave the key out",
    )
}

/// The rules that involve several keys: `credentials` with any `*`, and
/// `off` with other keys. `raw`, when given, supplies list positions (the
/// index of the `*` the user wrote) for precise spans.
pub(crate) fn combination_problems(spec: &PolicySpec, raw: Option<&RawPolicy>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if spec.off {
        for key in spec.keys_set().filter(|k| *k != Key::Off) {
            problems.push(Problem::new(
                key,
                None,
                ProblemKind::OffWithOtherKeys,
                format!("`{key}` has no effect on a route with `off`"),
                "`off` removes CORS from the route entirely: remove the other keys, or remove `off`",
            ));
        }
        return problems;
    }
    if spec.credentials != Some(true) {
        return problems;
    }
    let star_index = |list: Option<&Vec<String>>| list.and_then(|l| l.iter().position(|s| s == "*"));
    if spec.origins == Some(Origins::Any) {
        problems.push(Problem::new(
            Key::Origins,
            raw.and_then(|r| star_index(r.origins.as_ref())),
            ProblemKind::CredentialsWithAnyOrigin,
            "`origins = \"*\"` cannot be combined with `credentials`",
            "browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests: list the allowed origins",
        ));
    }
    let lists = [
        (Key::Methods, spec.methods.as_ref(), raw.and_then(|r| star_index(r.methods.as_ref()))),
        (Key::AllowHeaders, spec.allow_headers.as_ref(), raw.and_then(|r| star_index(r.allow_headers.as_ref()))),
        (Key::ExposeHeaders, spec.expose_headers.as_ref(), raw.and_then(|r| star_index(r.expose_headers.as_ref()))),
    ];
    for (key, list, index) in lists {
        if list.is_some_and(|l| l.any) {
            problems.push(Problem::new(
                key,
                index,
                ProblemKind::CredentialsWithWildcard,
                format!("`*` in `{key}` is not a wildcard with `credentials`"),
                "with credentials browsers read `*` as a literal name: list the names explicitly",
            ));
        }
    }
    problems
}

impl PolicySpec {
    /// Checks the combination rules on an already-typed spec, e.g. the
    /// result of [`merged_over`](PolicySpec::merged_over), and that some
    /// `origins` is set.
    pub fn check(&self) -> Result<(), PolicyError> {
        let mut problems = combination_problems(self, None);
        if !self.off && self.origins.is_none() {
            problems.push(Problem::new(
                Key::Origins,
                None,
                ProblemKind::MissingOrigins,
                "no `origins` is set",
                "set `origins` on the policy (or on the global `Cors` it inherits from)",
            ));
        }
        PolicyError::from_problems(problems)
    }

    /// The route-aware check: `methods`, when set, must include each of the
    /// route's own methods (otherwise its own preflight always fails).
    /// Returns the problem for every missing method.
    pub fn check_route_methods(&self, route_methods: &[&str]) -> Result<(), PolicyError> {
        let Some(methods) = &self.methods else { return Ok(()) };
        if methods.any {
            return Ok(());
        }
        let problems = route_methods
            .iter()
            .filter(|m| !methods.names.iter().any(|n| n == *m))
            .map(|m| {
                Problem::new(
                    Key::Methods,
                    None,
                    ProblemKind::MethodExcludesRoute,
                    format!("`methods` does not include `{m}`, the route's own method"),
                    format!("add `{m}` to `methods`, or leave `methods` out to allow the route's own method"),
                )
            })
            .collect();
        PolicyError::from_problems(problems)
    }
}

#[cfg(test)]
mod tests {
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
        let raw = RawPolicy {
            methods: strings(&["GET", "get", "G ET", "CONNECT", "track", "GET", ""]),
            ..with_origins(&["*"])
        };
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
        let raw = RawPolicy {
            expose_headers: strings(&["set-cookie", "Set-Cookie2", "x:y", "cookie"]),
            ..with_origins(&["*"])
        };
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
}
