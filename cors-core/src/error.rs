//! [`PolicyError`]: every problem of a policy at once, each with the key and
//! list position it came from and a hint, so a macro can point at the exact
//! literal and the builder can print a useful message.

use crate::spec::PolicyKey;
use std::fmt;

/// What is wrong with one value. The variants are stable so tests (and the
/// macro's snapshots) can match on them; [`Problem::message`] gives the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The origin is empty (often a trailing comma in a list from the
    /// environment).
    OriginEmpty,
    /// The origin has no `scheme://`.
    OriginMissingScheme,
    /// The origin contains upper-case letters.
    OriginUpperCase,
    /// The origin has a path (including a lone trailing `/`).
    OriginPath,
    /// The origin has a trailing `/`.
    OriginTrailingSlash,
    /// The origin has a `?query`.
    OriginQuery,
    /// The origin has a `#fragment`.
    OriginFragment,
    /// The origin has `user:pass@`.
    OriginUserinfo,
    /// The origin writes out the scheme's default port.
    OriginDefaultPort,
    /// The origin's port is not a number in `1..=65535`.
    OriginInvalidPort,
    /// The origin's host is not a valid host name or IP address.
    OriginInvalidHost,
    /// The scheme is not a valid URL scheme.
    OriginInvalidScheme,
    /// Browsers send `null` for this scheme (`file:`), never the origin as
    /// written.
    OriginOpaque,
    /// The origin is not in the form the URL standard serializes it to, so
    /// browsers send different text (`http://127.1` is sent as
    /// `http://127.0.0.1`).
    OriginNotSerialized,
    /// A `*` somewhere other than a leading `*.` label or a `:*` port.
    OriginWildcardPlacement,
    /// `*.` directly in front of a public suffix (`https://*.com`).
    OriginWildcardPublicSuffix,
    /// `*` used inside a list of origins.
    OriginWildcardInList,
    /// The same origin twice.
    DuplicateOrigin,
    /// A value that is not a valid method token.
    InvalidMethod,
    /// `CONNECT`, `TRACE` or `TRACK`: browsers never send them.
    ForbiddenMethod,
    /// A standard method written in lower-case, which browsers upper-case.
    MethodCase,
    /// The same method twice.
    DuplicateMethod,
    /// The route's own method is not in `methods`.
    MethodExcludesRoute,
    /// A value that is not a valid header name.
    InvalidHeaderName,
    /// A header scripts can never set (`cookie`, `host`, `sec-*`, …).
    ForbiddenRequestHeader,
    /// `set-cookie`/`set-cookie2` in `expose_headers`.
    ForbiddenExposedHeader,
    /// The same header name twice (compared case-insensitively).
    DuplicateHeader,
    /// `credentials` with `origins = "*"`.
    CredentialsWithAnyOrigin,
    /// `credentials` with `*` in methods, allow_headers or expose_headers.
    CredentialsWithWildcard,
    /// `credentials` with the origin `null` and no
    /// `allow_null_with_credentials = true`.
    NullWithCredentials,
    /// `credentials` with a plain `http://` origin other than loopback, and
    /// no `allow_insecure_origins_with_credentials = true`.
    InsecureOriginWithCredentials,
    /// `origin_fn` next to `origins = "*"` (or reflecting any origin),
    /// which allows every origin before the predicate is asked.
    OriginFnWithAnyOrigin,
    /// `max_age` beyond `0..=86400`.
    MaxAgeOutOfRange,
    /// `off` together with other keys.
    OffWithOtherKeys,
    /// A list with no entry.
    EmptyList,
    /// No `origins` anywhere (route, global).
    MissingOrigins,
}

/// One problem found in a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The key whose value is wrong.
    pub key: PolicyKey,
    /// The position in the key's list, when the value is a list.
    pub index: Option<usize>,
    /// What is wrong.
    pub kind: ProblemKind,
    /// A lower-case sentence that quotes what the user wrote.
    pub message: String,
    /// What to write instead.
    pub hint: String,
    /// For an entry listed twice: the position of its first occurrence in
    /// the same list.
    pub first: Option<usize>,
}

impl Problem {
    pub(crate) fn new(
        key: PolicyKey,
        index: Option<usize>,
        kind: ProblemKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Problem { key, index, kind, message: message.into(), hint: hint.into(), first: None }
    }

    /// The same problem, noting where the repeated entry first appears.
    pub(crate) fn first_at(self, first: usize) -> Self {
        Problem { first: Some(first), ..self }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.index {
            Some(i) => write!(f, "`{}`[{}]: {}", self.key, i, self.message)?,
            None => write!(f, "`{}`: {}", self.key, self.message)?,
        }
        if let Some(first) = self.first {
            write!(f, " (first at [{first}])")?;
        }
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        Ok(())
    }
}

/// Every problem found in a policy; never empty.
///
/// ```
/// use cors_core::{CorsPolicy, ProblemKind};
///
/// let err = CorsPolicy::builder()
///     .origins(["https://a.example/", "*.b.example"])
///     .max_age(100_000)
///     .build()
///     .unwrap_err();
/// let kinds: Vec<_> = err.problems().iter().map(|p| p.kind).collect();
/// assert_eq!(
///     kinds,
///     [ProblemKind::OriginTrailingSlash, ProblemKind::OriginMissingScheme, ProblemKind::MaxAgeOutOfRange]
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    problems: Vec<Problem>,
}

impl PolicyError {
    /// Wraps a non-empty list of problems.
    pub(crate) fn from_problems(problems: Vec<Problem>) -> Result<(), PolicyError> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(PolicyError { problems })
        }
    }

    /// All problems, in the order of the keys and list entries.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Consumes the error, returning its problems.
    pub fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problems.len() == 1 {
            return write!(f, "invalid CORS policy: {}", self.problems[0]);
        }
        write!(f, "invalid CORS policy ({} problems):", self.problems.len())?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}
