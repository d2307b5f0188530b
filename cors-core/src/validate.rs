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
            // "Content Type", "x_request id ": most likely a name with its
            // words joined by `-`.
            let joined =
                h.split([' ', '_']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join("-").to_ascii_lowercase();
            let hint = if !joined.is_empty() && is_token(joined.as_bytes()) {
                format!("did you mean `{joined}`? a header name is a token: no spaces, colons or commas")
            } else {
                "a header name is a token such as `x-request-id`: no spaces, colons or commas".to_owned()
            };
            problems.push(problem(ProblemKind::InvalidHeaderName, format!("`{h}` is not a valid header name"), &hint));
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
#[path = "validate_tests.rs"]
mod tests;
