//! The Fetch standard's CORS-safelisted request-headers: which headers a
//! page may send without a preflight.

use super::engine::Engine;
use super::message::{is_http_whitespace, show, trim_http_whitespace, Header};
use crate::token::is_token;
use std::borrow::Cow;
use std::cmp::Ordering;

/// A CORS-safelisted request-header value holds at most this many bytes.
pub const MAX_SAFELISTED_VALUE_LEN: usize = 128;

/// The values of all CORS-safelisted request-headers of a request add up to
/// at most this many bytes; beyond it none of them count as safelisted.
pub const MAX_SAFELISTED_TOTAL_LEN: usize = 1024;

/// The `Content-Type` essences an HTML form can produce, the only ones a
/// request may carry without a preflight.
pub const SIMPLE_CONTENT_TYPES: [&str; 3] = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

/// Fetch's "CORS-unsafe request-header byte": control bytes other than tab,
/// DEL, and the delimiters `"():<>?@[\]{}`.
///
/// ```
/// use cors_core::browser::is_cors_unsafe_request_header_byte as unsafe_byte;
///
/// assert!(unsafe_byte(b'"') && unsafe_byte(b'\n') && unsafe_byte(0x7f));
/// assert!(!unsafe_byte(b'\t') && !unsafe_byte(b'/') && !unsafe_byte(b';'));
/// ```
pub const fn is_cors_unsafe_request_header_byte(b: u8) -> bool {
    (b < 0x20 && b != b'\t')
        || matches!(b, b'"' | b'(' | b')' | b':' | b'<' | b'>' | b'?' | b'@' | b'[' | b'\\' | b']' | b'{' | b'}' | 0x7f)
}

/// The bytes a safelisted `Accept-Language` or `Content-Language` may hold.
const fn is_language_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b' ' | b'*' | b',' | b'-' | b'.' | b';' | b'=')
}

/// Fetch's "CORS-safelisted request-header" for one header line (its value
/// already normalized). `name` may be in any case.
///
/// ```
/// use cors_core::browser::is_safelisted_request_header as safe;
///
/// assert!(safe("Content-Type", b"text/plain;charset=utf-8"));
/// assert!(!safe("content-type", b"application/json"));
/// assert!(safe("range", b"bytes=0-"));
/// assert!(!safe("authorization", b"Bearer x"));
/// ```
pub fn is_safelisted_request_header(name: &str, value: &[u8]) -> bool {
    why_not_safelisted(&name.to_ascii_lowercase(), value).is_none()
}

/// Why a header line (name lower-case) is not CORS-safelisted, or `None`
/// when it is.
pub(crate) fn why_not_safelisted(name: &str, value: &[u8]) -> Option<String> {
    match name {
        "accept" | "accept-language" | "content-language" | "content-type" | "range" => {}
        "authorization" => return Some("header authorization is never CORS-safelisted".to_owned()),
        _ => return Some(format!("header {name} is not CORS-safelisted")),
    }
    if value.len() > MAX_SAFELISTED_VALUE_LEN {
        return Some(format!(
            "header {name} is {} bytes long, over the {MAX_SAFELISTED_VALUE_LEN}-byte limit of a CORS-safelisted value",
            value.len()
        ));
    }
    match name {
        "accept" => unsafe_byte_problem(name, value),
        "accept-language" | "content-language" => value.iter().find(|b| !is_language_byte(**b)).map(|b| {
            format!(
                "header {name} contains `{}`; a CORS-safelisted {name} holds only 0-9, A-Z, a-z, space and `*,-.;=`",
                show(&[*b])
            )
        }),
        "content-type" => unsafe_byte_problem(name, value).or_else(|| content_type_problem(value)),
        _ => range_problem(value),
    }
}

fn unsafe_byte_problem(name: &str, value: &[u8]) -> Option<String> {
    value.iter().find(|b| is_cors_unsafe_request_header_byte(**b)).map(|b| {
        format!("header {name} `{}` contains `{}`, a CORS-unsafe request-header byte", show(value), show(&[*b]))
    })
}

fn content_type_problem(value: &[u8]) -> Option<String> {
    match mime_essence(value) {
        None => Some(format!("content-type `{}` is not a valid MIME type", show(value))),
        Some(essence) if SIMPLE_CONTENT_TYPES.contains(&essence.as_str()) => None,
        Some(essence) => Some(format!(
            "content-type {essence} is not one of the three simple types ({})",
            SIMPLE_CONTENT_TYPES.join(", ")
        )),
    }
}

/// The lower-case essence (`type/subtype`) of a MIME type, following the
/// first steps of the MIME Sniffing standard's "parse a MIME type" (its
/// parameter parsing never fails, so it cannot change the answer).
pub(crate) fn mime_essence(value: &[u8]) -> Option<String> {
    let value = trim_http_whitespace(value);
    let slash = value.iter().position(|b| *b == b'/')?;
    let (kind, rest) = (&value[..slash], &value[slash + 1..]);
    let end = rest.iter().position(|b| *b == b';').unwrap_or(rest.len());
    // Only trailing whitespace is removed from the subtype: `text/ plain`
    // is a failure, `text/plain ;charset=x` is not.
    let subtype = &rest[..end];
    let subtype = &subtype[..subtype.iter().rposition(|b| !is_http_whitespace(*b)).map_or(0, |i| i + 1)];
    if !is_token(kind) || !is_token(subtype) {
        return None;
    }
    let lower = |s: &[u8]| String::from_utf8_lossy(s).to_ascii_lowercase();
    Some(format!("{}/{}", lower(kind), lower(subtype)))
}

fn range_problem(value: &[u8]) -> Option<String> {
    match parse_single_range(value) {
        Some((Some(_), _)) => None,
        // Fetch safelists `bytes=N-` and `bytes=N-M` but not the suffix
        // form `bytes=-N`.
        Some((None, _)) => Some(format!("range `{}` has no start, which is never CORS-safelisted", show(value))),
        None => Some(format!("range `{}` is not a single `bytes=start-end` range with start <= end", show(value))),
    }
}

type RangeBounds<'a> = (Option<&'a [u8]>, Option<&'a [u8]>);

/// Fetch's "parse a single range header value" without whitespace: the
/// digit strings of start and end (either may be absent, not both).
fn parse_single_range(value: &[u8]) -> Option<RangeBounds<'_>> {
    let eq = value.iter().position(|b| *b == b'=')?;
    if !value[..eq].eq_ignore_ascii_case(b"bytes") {
        return None;
    }
    let rest = &value[eq + 1..];
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let start_len = digits(rest);
    let (start, rest) = rest.split_at(start_len);
    let rest = rest.strip_prefix(b"-")?;
    let end_len = digits(rest);
    if end_len != rest.len() {
        return None;
    }
    match (non_empty(start), non_empty(rest)) {
        (None, None) => None,
        (Some(s), Some(e)) if cmp_decimal(s, e) == Ordering::Greater => None,
        bounds => Some(bounds),
    }
}

fn non_empty(s: &[u8]) -> Option<&[u8]> {
    (!s.is_empty()).then_some(s)
}

/// Compares two ASCII digit strings as numbers, whatever their length.
fn cmp_decimal(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |s: &[u8]| {
        let zeros = s.iter().take_while(|b| **b == b'0').count();
        s[zeros..].to_vec()
    };
    let (a, b) = (strip(a), strip(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
}

/// Fetch's "CORS-unsafe request-header names" for a header list: the names
/// of lines that are not safelisted, plus every safelisted one when their
/// values add up to more than [`MAX_SAFELISTED_TOTAL_LEN`] bytes;
/// lower-cased, sorted and de-duplicated.
///
/// The list is taken as is; [`classify`](super::classify) first drops the
/// forbidden headers a script cannot set.
///
/// ```
/// use cors_core::browser::{cors_unsafe_request_header_names, Header};
///
/// let headers = [
///     Header::new("X-B", "1"),
///     Header::new("accept", "*/*"),
///     Header::new("x-a", "2"),
///     Header::new("X-B", "3"),
/// ];
/// assert_eq!(cors_unsafe_request_header_names(&headers), ["x-a", "x-b"]);
/// ```
pub fn cors_unsafe_request_header_names(headers: &[Header]) -> Vec<String> {
    unsafe_names_in(Engine::Standard, headers).into_iter().map(|(name, _)| name).collect()
}

/// [`cors_unsafe_request_header_names`] by `engine`'s rules (see
/// [`Engine`]), with, for each name, why it is unsafe (the first reason
/// found).
pub(crate) fn unsafe_names_in(engine: Engine, headers: &[Header]) -> Vec<(String, String)> {
    // (lower-case name, value, how many of the script's lines it stands for)
    let lines: Vec<(String, Cow<'_, [u8]>, usize)> = if engine.joins_repeated_headers() {
        let mut joined: Vec<(String, Cow<'_, [u8]>, usize)> = Vec::new();
        for h in headers {
            let name = h.name.to_ascii_lowercase();
            match joined.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, value, count)) => {
                    let value = value.to_mut();
                    value.extend_from_slice(b", ");
                    value.extend_from_slice(&h.value);
                    *count += 1;
                }
                None => joined.push((name, Cow::Borrowed(&h.value[..]), 1)),
            }
        }
        joined
    } else {
        headers.iter().map(|h| (h.name.to_ascii_lowercase(), Cow::Borrowed(&h.value[..]), 1)).collect()
    };
    let mut unsafe_names = Vec::new();
    let mut potentially_unsafe = Vec::new();
    let mut safelisted_len = 0usize;
    for (name, value, count) in lines {
        match why_not_safelisted(&name, &value) {
            Some(mut reason) => {
                if count > 1 {
                    reason.push_str(&format!(
                        " ({engine} checks its {count} lines joined with `, `; the Fetch standard checks each line)"
                    ));
                }
                unsafe_names.push((name, reason));
            }
            None => {
                // Only values count towards the limit, not names.
                safelisted_len += value.len();
                potentially_unsafe.push(name);
            }
        }
    }
    if engine.limits_safelisted_total() && safelisted_len > MAX_SAFELISTED_TOTAL_LEN {
        let reason = format!(
            "the CORS-safelisted headers' values add up to {safelisted_len} bytes, over the \
             {MAX_SAFELISTED_TOTAL_LEN}-byte limit, so none of them counts as safelisted"
        );
        unsafe_names.extend(potentially_unsafe.into_iter().map(|n| (n, reason.clone())));
    }
    // Stable sort, then keep the first line of each name (and its reason).
    unsafe_names.sort_by(|a, b| a.0.cmp(&b.0));
    unsafe_names.dedup_by(|later, first| later.0 == first.0);
    unsafe_names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(name: &str, value: &[u8]) -> bool {
        is_safelisted_request_header(name, value)
    }

    #[test]
    fn content_type_of_the_three_simple_types_is_safelisted() {
        for v in [
            "text/plain",
            "text/plain;charset=utf-8",
            "TEXT/Plain; charset=UTF-8",
            "multipart/form-data; boundary=----x",
            "application/x-www-form-urlencoded",
            " text/plain ",
            "text/plain ;charset=utf-8",
            "text/plain;;;garbage=",
        ] {
            assert!(safe("Content-Type", v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn content_type_of_other_types_is_not_safelisted() {
        for v in ["application/json", "text/html", "text/plain+json", "text", "text/", "/plain", "text /plain", ""] {
            assert!(!safe("content-type", v.as_bytes()), "{v}");
        }
        let why = why_not_safelisted("content-type", b"application/json").unwrap();
        assert_eq!(
            why,
            "content-type application/json is not one of the three simple types \
             (application/x-www-form-urlencoded, multipart/form-data, text/plain)"
        );
    }

    #[test]
    fn content_type_with_an_unsafe_byte_is_not_safelisted() {
        for v in [&b"text/plain; charset=\"utf-8\""[..], b"text/plain;a=(b)", b"text/plain;a=b@c", b"text/plain;\x01"] {
            assert!(!safe("content-type", v), "{v:?}");
        }
        assert!(why_not_safelisted("content-type", b"text/plain; charset=\"utf-8\"").unwrap().contains("`\"`"));
    }

    #[test]
    fn unsafe_request_header_bytes_are_exactly_the_listed_ones() {
        let listed: Vec<u8> = (0x00..=0x08).chain(0x0a..=0x1f).chain(*b"\"():<>?@[\\]{}").chain([0x7f]).collect();
        for b in 0..=255u8 {
            assert_eq!(is_cors_unsafe_request_header_byte(b), listed.contains(&b), "byte {b:#04x}");
        }
    }

    #[test]
    fn accept_allows_anything_but_unsafe_bytes() {
        assert!(safe("accept", b"text/html, application/xhtml+xml;q=0.9, */*;q=0.8"));
        assert!(safe("Accept", b"\t*/*\x80"));
        for v in [&b"text/<html>"[..], b"a\"b", b"a:b", b"a{b}", b"a\x7f"] {
            assert!(!safe("accept", v), "{v:?}");
        }
    }

    #[test]
    fn values_over_128_bytes_are_not_safelisted() {
        let at_limit = "a".repeat(128);
        let over = "a".repeat(129);
        for name in ["accept", "accept-language", "content-language"] {
            assert!(safe(name, at_limit.as_bytes()), "{name}");
            assert!(!safe(name, over.as_bytes()), "{name}");
        }
        let long_type = format!("text/plain;p={}", "x".repeat(128 - 13));
        assert_eq!(long_type.len(), 128);
        assert!(safe("content-type", long_type.as_bytes()));
        assert!(!safe("content-type", format!("{long_type}x").as_bytes()));
        assert!(why_not_safelisted("accept", over.as_bytes()).unwrap().contains("129 bytes"));
    }

    #[test]
    fn language_headers_allow_only_their_bytes() {
        for v in ["en-US,fr;q=0.5", "*", "de-CH, en;q=0.7", ""] {
            assert!(safe("accept-language", v.as_bytes()) && safe("Content-Language", v.as_bytes()), "{v}");
        }
        for v in ["en_US", "de/ch", "en\t", "fr!", "ja\u{e9}"] {
            assert!(!safe("accept-language", v.as_bytes()) && !safe("content-language", v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn authorization_and_other_names_are_never_safelisted() {
        for name in ["authorization", "Authorization", "x-request-id", "cache-control", "content-encoding", "accepts"] {
            assert!(!safe(name, b"a"), "{name}");
        }
        assert_eq!(
            why_not_safelisted("authorization", b"Basic x").unwrap(),
            "header authorization is never CORS-safelisted"
        );
        assert_eq!(why_not_safelisted("x-request-id", b"1").unwrap(), "header x-request-id is not CORS-safelisted");
    }

    #[test]
    fn range_with_a_single_start_end_is_safelisted() {
        for v in ["bytes=0-", "bytes=0-499", "Bytes=5-5", "BYTES=00-1", "bytes=10-010"] {
            assert!(safe("range", v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn other_ranges_are_not_safelisted() {
        for v in [
            "bytes=0-1,2-3",
            "bytes=5-1",
            "bytes=-5",
            "bytes=-",
            "bytes= 0-1",
            "bytes=0-1 ",
            "bytes=",
            "bytes",
            "items=0-1",
            "bytes=a-b",
            "bytes=0--1",
        ] {
            assert!(!safe("range", v.as_bytes()), "{v}");
        }
        assert!(why_not_safelisted("range", b"bytes=-5").unwrap().contains("no start"));
    }

    #[test]
    fn range_bounds_compare_as_numbers_of_any_size() {
        assert!(safe("range", b"bytes=99999999999999999999999-100000000000000000000000"));
        assert!(!safe("range", b"bytes=100000000000000000000000-99999999999999999999999"));
        assert!(!safe("range", b"bytes=20-3"));
        assert!(safe("range", b"bytes=3-20"));
    }

    #[test]
    fn mime_essence_parsing() {
        let cases: [(&[u8], Option<&str>); 7] = [
            (b"Text/Plain;charset=x", Some("text/plain")),
            (b"  multipart/form-data  ", Some("multipart/form-data")),
            (b"text/plain\t;x", Some("text/plain")),
            (b"text/pl ain", None),
            (b"text/ plain", None),
            (b"t\xe9xt/plain", None),
            (b"text/;x", None),
        ];
        for (v, want) in cases {
            assert_eq!(mime_essence(v).as_deref(), want, "{v:?}");
        }
    }

    #[test]
    fn values_adding_up_to_1024_bytes_stay_safelisted() {
        // Eight 128-byte values: exactly the limit. Names do not count.
        let headers: Vec<Header> = (0..8).map(|_| Header::new("accept", "a".repeat(128))).collect();
        assert!(cors_unsafe_request_header_names(&headers).is_empty());
    }

    #[test]
    fn values_over_1024_bytes_make_every_safelisted_header_unsafe() {
        let mut headers: Vec<Header> = (0..8).map(|_| Header::new("Accept", "a".repeat(128))).collect();
        headers.push(Header::new("Content-Language", "e"));
        headers.push(Header::new("x-custom", "1"));
        let unsafe_ = unsafe_names_in(Engine::Standard, &headers);
        let names: Vec<_> = unsafe_.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["accept", "content-language", "x-custom"]);
        assert!(unsafe_[0].1.contains("1025 bytes"), "{}", unsafe_[0].1);
        assert_eq!(unsafe_[2].1, "header x-custom is not CORS-safelisted");
    }

    #[test]
    fn unsafe_names_are_lower_cased_sorted_and_deduplicated() {
        let headers = [
            Header::new("X-Zeta", "1"),
            Header::new("content-type", "application/json"),
            Header::new("x-alpha", "1"),
            Header::new("X-ALPHA", "2"),
            Header::new("Accept", "*/*"),
        ];
        assert_eq!(cors_unsafe_request_header_names(&headers), ["content-type", "x-alpha", "x-zeta"]);
    }

    fn unsafe_in(engine: Engine, headers: &[Header]) -> Vec<String> {
        unsafe_names_in(engine, headers).into_iter().map(|(name, _)| name).collect()
    }

    fn accept_lines(count: usize, len: usize) -> Vec<Header> {
        (0..count).map(|_| Header::new("Accept", "a".repeat(len))).collect()
    }

    #[test]
    fn chromium_and_webkit_check_repeated_lines_joined() {
        // 62 + 2 + 62 = 126 bytes joined: safelisted everywhere.
        for engine in Engine::ALL {
            assert!(unsafe_in(engine, &accept_lines(2, 62)).is_empty(), "{engine}");
        }
        // 64 + 2 + 64 = 130 bytes joined.
        let two = accept_lines(2, 64);
        for engine in [Engine::Chromium, Engine::WebKit] {
            let unsafe_ = unsafe_names_in(engine, &two);
            assert_eq!(unsafe_.len(), 1, "{engine}");
            assert_eq!(unsafe_[0].0, "accept");
            assert!(unsafe_[0].1.contains("130 bytes long"), "{}", unsafe_[0].1);
            assert!(unsafe_[0].1.contains(&format!("{engine} checks its 2 lines joined")), "{}", unsafe_[0].1);
        }
        for engine in [Engine::Standard, Engine::Firefox] {
            assert!(unsafe_in(engine, &two).is_empty(), "{engine}");
        }
    }

    #[test]
    fn joining_is_per_name_and_keeps_other_names_apart() {
        let headers = [
            Header::new("accept", "a".repeat(100)),
            Header::new("Content-Language", "b".repeat(100)),
            Header::new("accept-language", "c".repeat(100)),
        ];
        for engine in Engine::ALL {
            assert!(unsafe_in(engine, &headers).is_empty(), "{engine}");
        }
        let mixed = [Header::new("X-A", "1"), Header::new("accept", "*/*"), Header::new("x-a", "2")];
        for engine in Engine::ALL {
            assert_eq!(unsafe_in(engine, &mixed), ["x-a"], "{engine}");
        }
    }

    #[test]
    fn firefox_has_no_limit_on_the_safelisted_total() {
        let eight = accept_lines(8, 128);
        let nine = accept_lines(9, 128);
        assert!(unsafe_in(Engine::Standard, &eight).is_empty());
        assert_eq!(unsafe_in(Engine::Standard, &nine), ["accept"]);
        assert!(unsafe_in(Engine::Firefox, &eight).is_empty());
        assert!(unsafe_in(Engine::Firefox, &nine).is_empty());
        for engine in [Engine::Chromium, Engine::WebKit] {
            assert_eq!(unsafe_in(engine, &eight), ["accept"], "{engine}");
        }
    }
}
