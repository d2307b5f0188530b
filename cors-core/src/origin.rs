//! Configured origins: parsing what the user wrote, and matching what
//! browsers send.
//!
//! Browsers send the ASCII serialization of an origin (HTML Standard,
//! "serialization of an origin"): lower-case scheme and host, no path, no
//! trailing slash, and no port when it is the scheme's default. Configured
//! origins must be written the same way, since matching is byte-exact (a
//! forgiving normalization would hide typos like `https://App.example.com/`
//! that can never match).

use crate::error::ProblemKind;
use crate::psl;
use crate::spec::{OriginEntry, OriginPattern, PortPattern};
use std::borrow::Cow;

/// What one configured origin string turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParsedOrigin {
    /// The lone wildcard `*`.
    Any,
    /// A list entry.
    Entry(OriginEntry),
}

/// Why one configured origin string was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginError {
    /// The class of mistake.
    pub kind: ProblemKind,
    /// A sentence quoting the input.
    pub message: String,
    /// What to write instead.
    pub hint: String,
}

fn err(kind: ProblemKind, message: String, hint: impl Into<String>) -> OriginError {
    OriginError { kind, message, hint: hint.into() }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

/// Parses one configured origin (`"https://a.example"`, `"https://*.a.example"`,
/// `"http://localhost:*"`, `"null"` or `"*"`), refusing anything a browser
/// would never send.
///
/// ```
/// use cors_core::{parse_origin, ParsedOrigin};
/// use cors_core::ProblemKind;
///
/// assert!(matches!(parse_origin("https://*.example.com"), Ok(ParsedOrigin::Entry(_))));
/// assert_eq!(parse_origin("https://example.com/").unwrap_err().kind, ProblemKind::OriginTrailingSlash);
/// assert_eq!(parse_origin("https://*.co.uk").unwrap_err().kind, ProblemKind::OriginWildcardPublicSuffix);
/// ```
pub fn parse_origin(input: &str) -> Result<ParsedOrigin, OriginError> {
    if input == "*" {
        return Ok(ParsedOrigin::Any);
    }
    if input == "null" {
        return Ok(ParsedOrigin::Entry(OriginEntry::Null));
    }
    if input.trim().is_empty() {
        return Err(err(
            ProblemKind::OriginEmpty,
            "empty origin (a trailing comma?)".to_owned(),
            "remove the empty entry from the list".to_owned(),
        ));
    }
    let Some((scheme, rest)) = input.split_once("://") else {
        let suggestion = format!("https://{}", input.trim_end_matches('/'));
        return Err(err(
            ProblemKind::OriginMissingScheme,
            format!("origin `{input}` has no scheme"),
            format!("write the scheme browsers send, e.g. `{suggestion}`"),
        ));
    };
    if input.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(err(
            ProblemKind::OriginUpperCase,
            format!("origin `{input}` contains upper-case letters"),
            format!(
                "browsers send origins in lower-case and matching is exact: write `{}`",
                input.to_ascii_lowercase()
            ),
        ));
    }
    check_scheme(input, scheme)?;
    if scheme == "file" {
        return Err(err(
            ProblemKind::OriginOpaque,
            format!("origin `{input}` can never be sent: `file:` pages send the origin `null`"),
            "write `\"null\"` to allow them (any sandboxed iframe sends `null` too)",
        ));
    }
    let authority = authority_of(input, scheme, rest)?;
    if authority.contains('@') {
        return Err(err(
            ProblemKind::OriginUserinfo,
            format!("origin `{input}` contains user information (`…@`)"),
            "an origin is only scheme, host and port: remove the `user@` part",
        ));
    }
    let (host, port) = split_host_port(input, authority)?;
    let port = parse_port(input, scheme, port)?;
    let (subdomains, host) = match host.strip_prefix("*.") {
        Some(parent) => (true, parent),
        None => (false, host),
    };
    if host.contains('*') || host.is_empty() {
        return Err(err(
            ProblemKind::OriginWildcardPlacement,
            format!("origin `{input}` has a wildcard in the wrong place"),
            "a wildcard may only be a whole leading label (`https://*.example.com`) or the port (`http://localhost:*`)",
        ));
    }
    if subdomains {
        check_wildcard_parent(input, host)?;
    }
    check_serialization(input, scheme, subdomains, host, port)?;
    check_host(input, host)?;
    if !subdomains && port != PortPattern::Any {
        return Ok(ParsedOrigin::Entry(OriginEntry::Exact(Cow::Owned(input.to_owned()))));
    }
    Ok(ParsedOrigin::Entry(OriginEntry::Pattern(OriginPattern {
        scheme: Cow::Owned(scheme.to_owned()),
        subdomains,
        host: Cow::Owned(host.to_owned()),
        port,
    })))
}

fn check_scheme(input: &str, scheme: &str) -> Result<(), OriginError> {
    let mut bytes = scheme.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_lowercase());
    let rest_ok = bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+-.".contains(&b));
    if first_ok && rest_ok {
        return Ok(());
    }
    if scheme.contains('*') {
        return Err(err(
            ProblemKind::OriginWildcardPlacement,
            format!("origin `{input}` has a wildcard in the scheme"),
            "list each scheme explicitly, e.g. `https://a.example` and `http://a.example`",
        ));
    }
    Err(err(
        ProblemKind::OriginInvalidScheme,
        format!("origin `{input}` has an invalid scheme `{scheme}`"),
        "a scheme is a letter followed by letters, digits, `+`, `-` or `.`, e.g. `https`",
    ))
}

/// Returns the authority (host and port) of `rest`, refusing paths, queries
/// and fragments, which browsers never put in an `Origin` header.
fn authority_of<'a>(input: &str, scheme: &str, rest: &'a str) -> Result<&'a str, OriginError> {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let bare = format!("{scheme}://{authority}");
    let (kind, what) = match tail.as_bytes().first() {
        None => return Ok(authority),
        Some(b'/') if tail == "/" => (ProblemKind::OriginTrailingSlash, "a trailing slash"),
        Some(b'/') => (ProblemKind::OriginPath, "a path"),
        Some(b'?') => (ProblemKind::OriginQuery, "a query"),
        _ => (ProblemKind::OriginFragment, "a fragment"),
    };
    Err(err(
        kind,
        format!("origin `{input}` has {what}"),
        format!("an origin is only scheme, host and port: write `{bare}`"),
    ))
}

fn split_host_port<'a>(input: &str, authority: &'a str) -> Result<(&'a str, Option<&'a str>), OriginError> {
    if let Some(after_bracket) = authority.strip_prefix('[') {
        // IPv6 literal: `[::1]` or `[::1]:8080`
        let Some(close) = after_bracket.find(']') else {
            return Err(invalid_host(input, authority));
        };
        let host = &authority[..close + 2];
        return match &authority[close + 2..] {
            "" => Ok((host, None)),
            p => match p.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err(invalid_host(input, authority)),
            },
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn parse_port(input: &str, scheme: &str, port: Option<&str>) -> Result<PortPattern, OriginError> {
    let Some(port) = port else { return Ok(PortPattern::Default) };
    if port == "*" {
        return Ok(PortPattern::Any);
    }
    let digits_ok = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    let value = if digits_ok { port.parse::<u32>().ok() } else { None };
    let value = match value {
        Some(v) if (1..=65535).contains(&v) && !port.starts_with('0') => v as u16,
        _ if port.contains('*') => {
            return Err(err(
                ProblemKind::OriginWildcardPlacement,
                format!("origin `{input}` has a partial wildcard in the port"),
                "use `:*` for any port, or write one port",
            ))
        }
        _ => {
            return Err(err(
                ProblemKind::OriginInvalidPort,
                format!("origin `{input}` has an invalid port `{port}`"),
                "a port is a number from 1 to 65535 without leading zeros, or `*` for any port",
            ))
        }
    };
    if default_port(scheme) == Some(value) {
        let without = input.strip_suffix(&format!(":{port}")).unwrap_or(input);
        return Err(err(
            ProblemKind::OriginDefaultPort,
            format!("origin `{input}` writes out the default port {value} of `{scheme}`"),
            format!("browsers omit the default port, so this never matches: write `{without}`"),
        ));
    }
    Ok(PortPattern::Fixed(value))
}

fn invalid_host(input: &str, host: &str) -> OriginError {
    err(ProblemKind::OriginInvalidHost, format!("origin `{input}` has an invalid host `{host}`"), HOST_SHAPE)
}

/// The URL standard's rule, applied once a value has the shape of an
/// origin: it must be byte-equal to the ASCII serialization of its own
/// origin (HTML Standard, "ASCII serialization of an origin"), which is what
/// browsers put in `Origin`. The host parser of the URL standard turns
/// `127.1` into `127.0.0.1`, `[0:0::1]` into `[::1]` and `bücher` into
/// `xn--bcher-kva`, and refuses `1.2.3.4.5` and invalid punycode; a value
/// written any other way could never match.
///
/// A pattern's fixed parts are checked by probing with a made-up first
/// label (`x.`) and port (`:1`) in place of the wildcards.
fn check_serialization(
    input: &str,
    scheme: &str,
    subdomains: bool,
    host: &str,
    port: PortPattern,
) -> Result<(), OriginError> {
    const PROBE_LABEL: &str = "x.";
    let probe_host = if subdomains { format!("{PROBE_LABEL}{host}") } else { host.to_owned() };
    let probe_port = match port {
        PortPattern::Default => String::new(),
        PortPattern::Fixed(n) => format!(":{n}"),
        PortPattern::Any => ":1".to_owned(),
    };
    let probe = format!("{scheme}://{probe_host}{probe_port}");
    let url = match url::Url::parse(&probe) {
        Ok(url) => url,
        Err(reason) => {
            return Err(err(
                ProblemKind::OriginInvalidHost,
                format!("origin `{input}` has an invalid host `{host}` ({reason})"),
                HOST_SHAPE,
            ))
        }
    };
    let serialized = if url.origin().is_tuple() {
        url.origin().ascii_serialization()
    } else {
        // Schemes the URL standard gives opaque origins (browser extensions'
        // `chrome-extension:` and `moz-extension:`, webviews' `tauri:`) are
        // sent as written by the browsers that own them: only require the
        // URL itself to be in its serialized form.
        url.as_str().to_owned()
    };
    if serialized == probe {
        return Ok(());
    }
    let canonical_host = url.host_str().unwrap_or_default();
    let canonical_host = if subdomains {
        canonical_host.strip_prefix(PROBE_LABEL).map(|h| format!("*.{h}")).unwrap_or_else(|| canonical_host.to_owned())
    } else {
        canonical_host.to_owned()
    };
    let port = match port {
        PortPattern::Any => ":*".to_owned(),
        _ => probe_port,
    };
    let sent = format!("{scheme}://{canonical_host}{port}");
    Err(err(
        ProblemKind::OriginNotSerialized,
        format!("origin `{input}` is not written the way browsers send it"),
        format!("browsers serialize this host as `{canonical_host}`: write `{sent}`"),
    ))
}

const HOST_SHAPE: &str = "a host is a DNS name of letters, digits and hyphens (punycode `xn--` for non-ASCII names), an IPv4 address or a bracketed IPv6 address";

/// Domains (not IP addresses) must be DNS names: labels of letters, digits,
/// `_` and inner hyphens, 1 to 63 bytes each, at most 253 bytes in all. A
/// trailing dot (`example.com.`) is a distinct origin browsers send as
/// written, so it is allowed.
fn check_host(input: &str, host: &str) -> Result<(), OriginError> {
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return Ok(());
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let dns = name.len() <= 253
        && name.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
                && b[0] != b'-'
                && b[b.len() - 1] != b'-'
        });
    if dns {
        Ok(())
    } else {
        Err(invalid_host(input, host))
    }
}

fn check_wildcard_parent(input: &str, parent: &str) -> Result<(), OriginError> {
    if parent.starts_with('[') || parent.parse::<std::net::Ipv4Addr>().is_ok() {
        return Err(err(
            ProblemKind::OriginWildcardPlacement,
            format!("origin `{input}` puts a subdomain wildcard on an IP address"),
            "IP addresses have no subdomains: list the exact origin",
        ));
    }
    if let Some(section) = psl::public_suffix(parent) {
        return Err(err(
            ProblemKind::OriginWildcardPublicSuffix,
            format!(
                "origin `{input}` allows every site under `{parent}`, a public suffix (Public Suffix List, {section})"
            ),
            format!(
                "anyone can register a name such as `x.{parent}`: list the exact origins you own, or put the wildcard under your own domain (`https://*.yours.{parent}`)"
            ),
        ));
    }
    Ok(())
}

/// Matches a pattern on whole DNS labels and exact scheme, never by
/// substring: `https://*.example.com` matches `https://a.b.example.com` but
/// not `https://evilexample.com`, `https://example.com` or
/// `https://example.com.evil.io`.
pub(crate) fn pattern_matches(p: &OriginPattern, origin: &[u8]) -> bool {
    let Some(rest) = strip_scheme(origin, p.scheme.as_bytes()) else { return false };
    let (host, port) = split_request_host_port(rest);
    let port_ok = match (p.port, port) {
        (PortPattern::Default, None) => true,
        (PortPattern::Fixed(want), Some(got)) => port_equals(got, want),
        (PortPattern::Any, None) => true,
        (PortPattern::Any, Some(got)) => is_port(got),
        _ => false,
    };
    if !port_ok {
        return false;
    }
    let parent = p.host.as_bytes();
    if !p.subdomains {
        return host == parent;
    }
    // host must be `<one or more labels>.<parent>`
    if host.len() < parent.len() + 2 || !host.ends_with(parent) {
        return false;
    }
    let labels = &host[..host.len() - parent.len()];
    let Some(labels) = labels.strip_suffix(b".") else { return false };
    labels.split(|b| *b == b'.').all(|l| {
        !l.is_empty() && l.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
    })
}

fn strip_scheme<'a>(origin: &'a [u8], scheme: &[u8]) -> Option<&'a [u8]> {
    origin.strip_prefix(scheme)?.strip_prefix(b"://")
}

fn split_request_host_port(rest: &[u8]) -> (&[u8], Option<&[u8]>) {
    let search_from = if rest.first() == Some(&b'[') { rest.iter().position(|b| *b == b']').unwrap_or(0) } else { 0 };
    match rest[search_from..].iter().rposition(|b| *b == b':') {
        Some(i) => (&rest[..search_from + i], Some(&rest[search_from + i + 1..])),
        None => (rest, None),
    }
}

fn is_port(p: &[u8]) -> bool {
    !p.is_empty() && p.len() <= 5 && p[0] != b'0' && p.iter().all(u8::is_ascii_digit) && parse_u32(p) <= 65535
}

fn port_equals(p: &[u8], want: u16) -> bool {
    is_port(p) && parse_u32(p) == u32::from(want)
}

fn parse_u32(digits: &[u8]) -> u32 {
    digits.iter().fold(0u32, |acc, d| acc.saturating_mul(10).saturating_add(u32::from(d - b'0')))
}

/// Renders an entry back to the text the user would write.
pub(crate) fn entry_to_string(entry: &OriginEntry) -> String {
    match entry {
        OriginEntry::Exact(o) => o.to_string(),
        OriginEntry::Null => "null".to_owned(),
        OriginEntry::Pattern(p) => {
            let star = if p.subdomains { "*." } else { "" };
            let port = match p.port {
                PortPattern::Default => String::new(),
                PortPattern::Fixed(n) => format!(":{n}"),
                PortPattern::Any => ":*".to_owned(),
            };
            format!("{}://{star}{}{port}", p.scheme, p.host)
        }
    }
}

#[cfg(test)]
#[path = "origin_tests.rs"]
mod tests;

/// The origin as written in a policy: `https://a.example`, `null`, or a
/// pattern such as `https://*.example.com:*`.
impl std::fmt::Display for OriginEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&entry_to_string(self))
    }
}
