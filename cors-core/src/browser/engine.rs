//! The browser engines whose known departures from the Fetch standard the
//! model can reproduce, checked against each engine by the project's
//! real-browser suite.

use std::fmt;

/// Whose rules the model follows: the Fetch standard (the default), or a
/// browser engine where it is known to decide otherwise.
///
/// The engines depart from the standard in one place, found by running the
/// same cases in each: which request-header lines count as
/// CORS-safelisted when the script sets the same header more than once
/// (`headers.append("accept", …)` twice). The standard takes the header
/// list line by line — "For each header of headers: If header is not a
/// CORS-safelisted request-header, then append header's name to
/// unsafeNames", where a CORS-safelisted request-header's first rule is
/// "If value's length is greater than 128, then return false", and "If
/// safelistValueSize is greater than 1024, then for each name of
/// potentiallyUnsafeNames, append name to unsafeNames" (Fetch, "CORS-unsafe
/// request-header names"). Everywhere else the engines agree with the
/// standard on every case of the suite.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Engine {
    /// The Fetch standard.
    #[default]
    Standard,
    /// Chromium (Blink): checks a repeated header on its lines joined with
    /// `, `, so two 64-byte `Accept` lines (130 bytes joined) need a
    /// preflight.
    Chromium,
    /// Firefox (Gecko): checks each line, as the standard does, but has no
    /// 1024-byte limit on the safelisted values together: nine 128-byte
    /// `Accept` lines go without a preflight.
    Firefox,
    /// WebKit: checks a repeated header on its lines joined with `, `, as
    /// Chromium does.
    WebKit,
}

impl Engine {
    /// Every variant, the standard first.
    pub const ALL: [Engine; 4] = [Engine::Standard, Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The name used in reasons: `the Fetch standard`, `Chromium`,
    /// `Firefox`, `WebKit`.
    pub const fn name(self) -> &'static str {
        match self {
            Engine::Standard => "the Fetch standard",
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
            Engine::WebKit => "WebKit",
        }
    }

    /// The engine checks a header set several times on its lines joined
    /// with `, ` rather than line by line.
    pub(crate) const fn joins_repeated_headers(self) -> bool {
        matches!(self, Engine::Chromium | Engine::WebKit)
    }

    /// The engine applies the 1024-byte limit on all safelisted values.
    pub(crate) const fn limits_safelisted_total(self) -> bool {
        !matches!(self, Engine::Firefox)
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
