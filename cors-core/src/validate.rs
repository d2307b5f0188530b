//! Validation shared by the run-time builder, the `#[cors]` attribute and
//! the start-up check of merged policies: one implementation, every problem
//! reported at once with the key and list index it came from.

use crate::config::PolicyConfig;
use crate::error::{PolicyError, Problem, ProblemKind};
use crate::origin::{entry_to_string, parse_origin, ParsedOrigin};
use crate::spec::{NameList, OriginEntry, Origins, PolicyKey, PolicySpec, Text};
use crate::token::NORMALIZED_METHODS;
use crate::token::{is_forbidden_method, is_forbidden_request_header, is_forbidden_response_header, is_token};
use std::borrow::Cow;

/// The largest `max_age` accepted: one day. Chromium caps at 2 hours and
/// Firefox at 24 hours; larger values only mislead.
pub const MAX_AGE_LIMIT: u64 = 86_400;

impl PolicyConfig {
    /// Checks every value and every combination of values and returns the
    /// typed spec, or all problems at once.
    ///
    /// Every rule runs on every input: a wrong value never hides a wrong
    /// combination, and a key whose value was refused still counts as set.
    pub fn check(&self) -> Result<PolicySpec, PolicyError> {
        self.check_for(None)
    }

    /// [`check`](Self::check) for the policy of a route whose own methods
    /// are `route_methods`: `methods`, when set, must include each of them
    /// (otherwise the route's own preflight always fails).
    pub fn check_route(&self, route_methods: &[&str]) -> Result<PolicySpec, PolicyError> {
        self.check_for(Some(route_methods))
    }

    fn check_for(&self, route_methods: Option<&[&str]>) -> Result<PolicySpec, PolicyError> {
        let (spec, problems) = self.checked(route_methods);
        PolicyError::from_problems(problems).map(|()| spec)
    }

    /// The typed spec (refused values left out) and every problem, grouped
    /// by key in the order the keys are documented (list order within a
    /// key).
    fn checked(&self, route_methods: Option<&[&str]>) -> (PolicySpec, Vec<Problem>) {
        let mut problems = Vec::new();
        let spec = PolicySpec {
            origins: self.origins_spec(&mut problems),
            origin_fn: self.origin_fn.clone(),
            methods: self.methods.as_ref().map(|m| check_methods(m, &mut problems)),
            allow_headers: self
                .allow_headers
                .as_ref()
                .map(|h| check_headers(PolicyKey::AllowHeaders, h, &mut problems)),
            expose_headers: self
                .expose_headers
                .as_ref()
                .map(|h| check_headers(PolicyKey::ExposeHeaders, h, &mut problems)),
            credentials: self.credentials,
            max_age: self.max_age.and_then(|age| check_max_age(age, &mut problems)),
            private_network: self.private_network,
            reject: self.reject,
            off: self.off,
            allow_null_with_credentials: self.allow_null_with_credentials,
            allow_insecure_origins_with_credentials: self.allow_insecure_origins_with_credentials,
        };
        problems.extend(combination_problems(&spec, Some(self)));
        if let Some(route_methods) = route_methods {
            problems.extend(route_method_problems(&spec, route_methods, self.methods.as_deref()));
        }
        problems.sort_by_key(|p| p.key);
        (spec, problems)
    }

    /// The text form of a typed spec, so a spec built by hand goes through
    /// the same checks as one written in the attribute or the builder.
    pub fn from_spec(spec: &PolicySpec) -> PolicyConfig {
        fn names(list: &NameList) -> Vec<String> {
            let star = list.any.then(|| "*".to_owned());
            star.into_iter().chain(list.names.iter().map(|n| n.to_string())).collect()
        }
        let (origins, reflect_any_origin) = match &spec.origins {
            None => (None, false),
            Some(Origins::Any) => (Some(vec!["*".to_owned()]), false),
            Some(Origins::ReflectAnyDangerously) => (None, true),
            Some(Origins::List(entries)) => (Some(entries.iter().map(entry_to_string).collect()), false),
        };
        PolicyConfig {
            origins,
            methods: spec.methods.as_ref().map(names),
            allow_headers: spec.allow_headers.as_ref().map(names),
            expose_headers: spec.expose_headers.as_ref().map(names),
            credentials: spec.credentials,
            max_age: spec.max_age.map(u64::from),
            private_network: spec.private_network,
            reject: spec.reject,
            off: spec.off,
            reflect_any_origin,
            allow_null_with_credentials: spec.allow_null_with_credentials,
            allow_insecure_origins_with_credentials: spec.allow_insecure_origins_with_credentials,
            origin_fn: spec.origin_fn.clone(),
        }
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
        problems.push(empty_list(PolicyKey::Origins));
    }
    let mut entries: Vec<OriginEntry> = Vec::with_capacity(list.len());
    let mut any = false;
    let mut seen = std::collections::HashMap::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        match parse_origin(s) {
            Ok(ParsedOrigin::Any) if list.len() == 1 => any = true,
            Ok(ParsedOrigin::Any) => problems.push(Problem::new(
                PolicyKey::Origins,
                Some(i),
                ProblemKind::OriginWildcardInList,
                "`*` cannot be combined with other origins",
                "use `origins = \"*\"` alone to allow every origin, or list the origins without `*`",
            )),
            // A set, not `entries.contains`: lists of many thousand origins
            // must not cost quadratic time to check.
            Ok(ParsedOrigin::Entry(e)) if seen.contains_key(&e) => problems.push(
                Problem::new(
                    PolicyKey::Origins,
                    Some(i),
                    ProblemKind::DuplicateOrigin,
                    format!("origin `{}` is listed twice", entry_to_string(&e)),
                    "remove the repeated entry",
                )
                .first_at(seen[&e]),
            ),
            Ok(ParsedOrigin::Entry(e)) => {
                seen.insert(e.clone(), i);
                entries.push(e)
            }
            Err(e) => problems.push(Problem::new(PolicyKey::Origins, Some(i), e.kind, e.message, e.hint)),
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
        problems.push(empty_list(PolicyKey::Methods));
    }
    let mut out = NameList { any: false, names: Cow::Owned(Vec::new()) };
    let mut names: Vec<Text> = Vec::new();
    // The list position of each accepted name (and of `*`), for "first
    // listed here".
    let mut positions: Vec<usize> = Vec::new();
    let mut star_at = None;
    for (i, m) in list.iter().enumerate() {
        let problem =
            |kind, message: String, hint: String| Problem::new(PolicyKey::Methods, Some(i), kind, message, hint);
        if m == "*" {
            if let Some(first) = star_at {
                problems.push(
                    problem(
                        ProblemKind::DuplicateMethod,
                        "`*` is listed twice".into(),
                        "remove the repeated entry".into(),
                    )
                    .first_at(first),
                );
            }
            star_at.get_or_insert(i);
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
        } else if let Some(at) = names.iter().position(|n| n == m) {
            problems.push(
                problem(
                    ProblemKind::DuplicateMethod,
                    format!("method `{m}` is listed twice"),
                    "remove the repeated entry".into(),
                )
                .first_at(positions[at]),
            );
        } else {
            names.push(Cow::Owned(m.clone()));
            positions.push(i);
        }
    }
    out.names = Cow::Owned(names);
    out
}

fn check_headers(key: PolicyKey, list: &[String], problems: &mut Vec<Problem>) -> NameList {
    if list.is_empty() {
        problems.push(empty_list(key));
    }
    let mut any = false;
    let mut names: Vec<Text> = Vec::new();
    let mut positions: Vec<usize> = Vec::new();
    let mut star_at = None;
    for (i, h) in list.iter().enumerate() {
        let lower = h.to_ascii_lowercase();
        let problem = |kind, message: String, hint: &str| Problem::new(key, Some(i), kind, message, hint);
        if h == "*" {
            if let Some(first) = star_at {
                problems.push(
                    problem(ProblemKind::DuplicateHeader, "`*` is listed twice".into(), "remove the repeated entry")
                        .first_at(first),
                );
            }
            star_at.get_or_insert(i);
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
        } else if key == PolicyKey::AllowHeaders && is_forbidden_request_header(&lower) {
            problems.push(problem(
                ProblemKind::ForbiddenRequestHeader,
                format!("scripts can never set the `{lower}` header, so allowing it has no effect"),
                "browsers control this header themselves: remove it",
            ));
        } else if key == PolicyKey::ExposeHeaders && is_forbidden_response_header(&lower) {
            problems.push(problem(
                ProblemKind::ForbiddenExposedHeader,
                format!("browsers never let scripts read `{lower}`"),
                "cookies are not readable cross-origin: remove it",
            ));
        } else if let Some(at) = names.iter().position(|n| *n == lower) {
            problems.push(
                problem(
                    ProblemKind::DuplicateHeader,
                    format!("header `{h}` is listed twice (names are case-insensitive)"),
                    "remove the repeated entry",
                )
                .first_at(positions[at]),
            );
        } else {
            names.push(Cow::Owned(lower));
            positions.push(i);
        }
    }
    NameList { any, names: Cow::Owned(names) }
}

fn check_max_age(age: u64, problems: &mut Vec<Problem>) -> Option<u32> {
    if age <= MAX_AGE_LIMIT {
        return Some(age as u32);
    }
    problems.push(Problem::new(
        PolicyKey::MaxAge,
        None,
        ProblemKind::MaxAgeOutOfRange,
        format!("max_age {age} is out of range"),
        "use 0..=86400 seconds; browsers cap the preflight cache anyway (Chromium at 7200)",
    ));
    None
}

fn empty_list(key: PolicyKey) -> Problem {
    Problem::new(
        key,
        None,
        ProblemKind::EmptyList,
        format!("`{key}` is an empty list"),
        "list at least one value, or leave the key out",
    )
}

/// The rules that involve several keys: `credentials` with any `*`, with
/// `null` or with plain-HTTP origins, and `off` with other keys. `raw`,
/// when given, supplies list positions (the index of the `*` the user
/// wrote) for precise spans.
pub(crate) fn combination_problems(spec: &PolicySpec, raw: Option<&PolicyConfig>) -> Vec<Problem> {
    let mut problems = Vec::new();
    if spec.off {
        for key in spec.keys_set().filter(|k| *k != PolicyKey::Off) {
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
    if spec.origin_fn.is_some() && matches!(spec.origins, Some(Origins::Any | Origins::ReflectAnyDangerously)) {
        problems.push(Problem::new(
            PolicyKey::OriginFn,
            None,
            ProblemKind::OriginFnWithAnyOrigin,
            "`origin_fn` is never asked: `origins` already allows every origin",
            "list the origins `origin_fn` should not have to decide, or remove `origin_fn`",
        ));
    }
    if spec.credentials != Some(true) {
        return problems;
    }
    let star_index = |list: Option<&Vec<String>>| list.and_then(|l| l.iter().position(|s| s == "*"));
    if spec.origins == Some(Origins::Any) {
        problems.push(Problem::new(
            PolicyKey::Origins,
            raw.and_then(|r| star_index(r.origins.as_ref())),
            ProblemKind::CredentialsWithAnyOrigin,
            "`origins = \"*\"` cannot be combined with `credentials`",
            "browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests: list the allowed origins",
        ));
    }
    if let Some(Origins::List(entries)) = &spec.origins {
        problems.extend(credentialed_origin_problems(spec, entries, raw));
    }
    let lists = [
        (PolicyKey::Methods, spec.methods.as_ref(), raw.and_then(|r| star_index(r.methods.as_ref()))),
        (PolicyKey::AllowHeaders, spec.allow_headers.as_ref(), raw.and_then(|r| star_index(r.allow_headers.as_ref()))),
        (
            PolicyKey::ExposeHeaders,
            spec.expose_headers.as_ref(),
            raw.and_then(|r| star_index(r.expose_headers.as_ref())),
        ),
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

/// The two classic misconfigurations of a credentialed policy, refused
/// unless the policy opts in by name:
/// - "trusted null": any sandboxed iframe, `data:` URL or `file:` page
///   sends `Origin: null`, so trusting it with credentials trusts everyone;
/// - an `http://` origin trusted by an HTTPS site: anyone on the network
///   path can inject script into a plain-HTTP page and ride the user's
///   cookies. Loopback origins are exempt (no network path to attack).
fn credentialed_origin_problems(
    spec: &PolicySpec,
    entries: &[OriginEntry],
    raw: Option<&PolicyConfig>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    // The user's list index of an entry, for the span; entries are stored
    // in the form the user wrote, so the rendered text finds it.
    let index = |entry: &OriginEntry, position: usize| match raw.and_then(|r| r.origins.as_ref()) {
        Some(list) => {
            let text = entry_to_string(entry);
            list.iter().position(|s| *s == text)
        }
        None => Some(position),
    };
    for (position, entry) in entries.iter().enumerate() {
        if *entry == OriginEntry::Null && spec.allow_null_with_credentials != Some(true) {
            problems.push(Problem::new(
                PolicyKey::Origins,
                index(entry, position),
                ProblemKind::NullWithCredentials,
                "the origin `null` cannot be combined with `credentials`",
                "any sandboxed iframe or `data:` page sends `null`, so this trusts every site with your users' credentials: remove it, or set `allow_null_with_credentials = true` if you really mean it",
            ));
        }
        if is_insecure(entry) && spec.allow_insecure_origins_with_credentials != Some(true) {
            let text = entry_to_string(entry);
            problems.push(Problem::new(
                PolicyKey::Origins,
                index(entry, position),
                ProblemKind::InsecureOriginWithCredentials,
                format!("the plain-HTTP origin `{text}` cannot be combined with `credentials`"),
                format!(
                    "anyone on the network path can run script in `{text}` and use your users' credentials: serve it over `https://`, or set `allow_insecure_origins_with_credentials = true` if you really mean it"
                ),
            ));
        }
    }
    problems
}

/// An `http://` origin whose host is not loopback (`localhost` and its
/// subdomains, `127.0.0.0/8`, `[::1]`).
fn is_insecure(entry: &OriginEntry) -> bool {
    let (scheme, host) = match entry {
        OriginEntry::Null => return false,
        OriginEntry::Exact(text) => match text.split_once("://") {
            Some((scheme, rest)) => (scheme, host_of(rest)),
            None => return false,
        },
        OriginEntry::Pattern(p) => (&*p.scheme, &*p.host),
    };
    if scheme != "http" {
        return false;
    }
    !is_loopback_host(host)
}

/// `localhost` and its subdomains, `127.0.0.0/8` and `[::1]`: no network
/// path to attack.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let name = host.strip_suffix('.').unwrap_or(host);
    name == "localhost"
        || name.ends_with(".localhost")
        || name == "[::1]"
        || name.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The host of `host[:port]` (IPv6 literals keep their brackets).
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.find(']').map_or(authority, |end| &authority[..=end]);
    }
    authority.rsplit_once(':').map_or(authority, |(host, _)| host)
}

/// `methods`, when set, must include each of the route's own methods. A
/// method the user listed but that was refused for its spelling (`post`)
/// was already reported, so it is not reported again as missing.
fn route_method_problems(spec: &PolicySpec, route_methods: &[&str], written: Option<&[String]>) -> Vec<Problem> {
    let Some(methods) = &spec.methods else { return Vec::new() };
    if methods.any || spec.off {
        return Vec::new();
    }
    route_methods
        .iter()
        .filter(|m| !methods.names.iter().any(|n| n == *m))
        .filter(|m| {
            let refused_spelling = |w: &&String| w.eq_ignore_ascii_case(m) && !methods.names.iter().any(|n| n == *w);
            !written.unwrap_or_default().iter().any(|w| refused_spelling(&w))
        })
        .map(|m| {
            Problem::new(
                PolicyKey::Methods,
                None,
                ProblemKind::MethodExcludesRoute,
                format!("`methods` does not include `{m}`, the route's own method"),
                format!("add `{m}` to `methods`, or leave `methods` out to allow the route's own method"),
            )
        })
        .collect()
}

impl PolicySpec {
    /// Checks a typed spec as a whole policy — every value, every
    /// combination, and that some `origins` is set — e.g. the result of
    /// [`merged_over`](PolicySpec::merged_over), or a spec built by hand.
    pub fn check(&self) -> Result<(), PolicyError> {
        self.validated(None).map(drop)
    }

    /// The full check of [`check`](Self::check), plus, for a route's
    /// policy, that `methods` includes the route's own methods; returns the
    /// spec in its normal form (header names lower-case).
    pub(crate) fn validated(&self, route_methods: Option<&[&str]>) -> Result<PolicySpec, PolicyError> {
        let (spec, mut problems) = PolicyConfig::from_spec(self).checked(route_methods);
        let missing = (!self.off && self.origins.is_none() && self.origin_fn.is_none()).then(|| {
            Problem::new(
                PolicyKey::Origins,
                None,
                ProblemKind::MissingOrigins,
                "no `origins` is set",
                "set `origins` on the policy (or on the global `Cors` it inherits from)",
            )
        });
        problems.extend(missing);
        problems.sort_by_key(|p| p.key);
        PolicyError::from_problems(problems).map(|()| spec)
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
