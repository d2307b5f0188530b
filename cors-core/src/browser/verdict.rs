//! What the browser concludes: the page may read the response (and which
//! headers of it), or the exchange is blocked at a given step.

use std::fmt;

/// When the browser stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Before sending anything: `fetch()` throws a `TypeError` (a forbidden
    /// or malformed method, an invalid header name or value).
    Request,
    /// On the preflight's response; the actual request is never sent.
    Preflight,
    /// On the actual request's response; the server did handle it, but the
    /// page cannot see the result.
    Actual,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Request => "before sending",
            Phase::Preflight => "on the preflight response",
            Phase::Actual => "on the response",
        })
    }
}

/// Which check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The preflight response itself is unacceptable: its status is not an
    /// ok status (200 to 299).
    Preflight,
    /// Fetch's "CORS check": `Access-Control-Allow-Origin` (and, with
    /// credentials, `Access-Control-Allow-Credentials`).
    CorsCheck,
    /// The method: forbidden or malformed in the request, or not allowed by
    /// (or an unparsable) `Access-Control-Allow-Methods`.
    Method,
    /// A header: invalid in the request, or not allowed by (or an
    /// unparsable) `Access-Control-Allow-Headers`.
    Header,
    /// Private Network Access: `Access-Control-Allow-Private-Network` is
    /// not `true`.
    PrivateNetwork,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Preflight => "preflight status",
            Step::CorsCheck => "CORS check",
            Step::Method => "method",
            Step::Header => "header",
            Step::PrivateNetwork => "private network access",
        })
    }
}

/// Why and where an exchange was blocked.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Blocked {
    /// When.
    pub phase: Phase,
    /// Which check.
    pub step: Step,
    /// A sentence for a developer, quoting what was seen and what was
    /// expected.
    pub reason: String,
}

impl Blocked {
    /// A refusal.
    pub fn new(phase: Phase, step: Step, reason: impl Into<String>) -> Self {
        Blocked { phase, step, reason: reason.into() }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "blocked {} ({}): {}", self.phase, self.step, self.reason)
    }
}

impl std::error::Error for Blocked {}

/// The end of an exchange, as the page experiences it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BrowserOutcome {
    /// The page gets the response.
    Allowed {
        /// The lower-case names of the response's headers the page can
        /// read, sorted and de-duplicated.
        readable: Vec<String>,
    },
    /// The page gets a network error.
    Blocked(Blocked),
}

impl BrowserOutcome {
    /// Whether the page gets the response.
    pub fn is_allowed(&self) -> bool {
        matches!(self, BrowserOutcome::Allowed { .. })
    }

    /// The refusal, if blocked.
    pub fn blocked(&self) -> Option<&Blocked> {
        match self {
            BrowserOutcome::Blocked(b) => Some(b),
            BrowserOutcome::Allowed { .. } => None,
        }
    }

    /// The readable header names, if allowed.
    pub fn readable(&self) -> Option<&[String]> {
        match self {
            BrowserOutcome::Allowed { readable } => Some(readable),
            BrowserOutcome::Blocked(_) => None,
        }
    }

    /// Whether the page can read the response header `name` (any case).
    pub fn can_read(&self, name: &str) -> bool {
        self.readable().is_some_and(|r| r.iter().any(|n| n.eq_ignore_ascii_case(name)))
    }
}

impl fmt::Display for BrowserOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BrowserOutcome::Allowed { readable } if readable.is_empty() => {
                f.write_str("allowed; the page can read no response header")
            }
            BrowserOutcome::Allowed { readable } => {
                write!(f, "allowed; the page can read: {}", readable.join(", "))
            }
            BrowserOutcome::Blocked(b) => b.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_accessors() {
        let ok = BrowserOutcome::Allowed { readable: vec!["content-type".into(), "x-request-id".into()] };
        assert!(ok.is_allowed() && ok.blocked().is_none());
        assert!(ok.can_read("X-Request-Id") && !ok.can_read("x-other"));
        assert_eq!(ok.to_string(), "allowed; the page can read: content-type, x-request-id");

        let no = BrowserOutcome::Blocked(Blocked::new(Phase::Preflight, Step::Method, "method PUT is not allowed"));
        assert!(!no.is_allowed() && !no.can_read("content-type") && no.readable().is_none());
        assert_eq!(no.blocked().unwrap().step, Step::Method);
        assert_eq!(no.to_string(), "blocked on the preflight response (method): method PUT is not allowed");
    }
}
