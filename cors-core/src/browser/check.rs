//! Step 7 of the CORS workflow: the checks a browser runs on a response
//! before the page may see it, and which of its headers the page may read.

use super::message::{get, show, values, BrowserRequest, Credentials, Header, Response};
use super::verdict::{Blocked, Phase, Step};
use crate::token::{is_forbidden_response_header, is_token};

pub(crate) const ACAO: &str = "access-control-allow-origin";
pub(crate) const ACAC: &str = "access-control-allow-credentials";
pub(crate) const ACEH: &str = "access-control-expose-headers";

/// Fetch's CORS-safelisted response-header names: a page can read them
/// without `Access-Control-Expose-Headers`.
pub const SAFELISTED_RESPONSE_HEADERS: [&str; 7] =
    ["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"];

/// Whether `name` (any case) is a CORS-safelisted response-header name.
pub fn is_safelisted_response_header(name: &str) -> bool {
    SAFELISTED_RESPONSE_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Fetch's "CORS check" on a response's headers: `Access-Control-Allow-Origin`
/// must be `*` (without credentials) or byte-equal to the page's `origin`;
/// with credentials mode `include`, `Access-Control-Allow-Credentials` must
/// be exactly `true`. The error is a sentence quoting what was seen.
///
/// ```
/// use cors_core::browser::{cors_check, Credentials, Header};
///
/// let headers = [Header::new("Access-Control-Allow-Origin", "https://a.example")];
/// assert!(cors_check("https://a.example", Credentials::Omit, &headers).is_ok());
/// assert_eq!(
///     cors_check("https://b.example", Credentials::Omit, &headers).unwrap_err(),
///     "Access-Control-Allow-Origin is `https://a.example` but the page's origin is `https://b.example`"
/// );
/// ```
pub fn cors_check(origin: &str, credentials: Credentials, headers: &[Header]) -> Result<(), String> {
    let include = credentials.is_include();
    let Some(allow_origin) = get(headers, ACAO) else {
        let expected = if include { format!("`{origin}`") } else { format!("`{origin}` or `*`") };
        return Err(format!("Access-Control-Allow-Origin is missing; it must be {expected}"));
    };
    // A browser "gets" the header: several lines are joined with `, `, which
    // is never `*` nor an origin.
    let lines = values(headers, ACAO).count();
    if lines > 1 {
        return Err(format!(
            "Access-Control-Allow-Origin is sent {lines} times; the browser joins the lines into `{}`, which is \
             never a valid value: send it exactly once",
            show(&allow_origin)
        ));
    }
    if !include && allow_origin == b"*" {
        return Ok(());
    }
    if allow_origin != origin.as_bytes() {
        return Err(origin_mismatch(&allow_origin, origin));
    }
    if !include {
        return Ok(());
    }
    match get(headers, ACAC) {
        Some(v) if v == b"true" => Ok(()),
        Some(v) => Err(format!(
            "the request includes credentials, so Access-Control-Allow-Credentials must be exactly `true`, but it \
             is `{}`",
            show(&v)
        )),
        None => Err("the request includes credentials, so Access-Control-Allow-Credentials must be `true`, but it \
                     is missing"
            .to_owned()),
    }
}

fn origin_mismatch(allow_origin: &[u8], origin: &str) -> String {
    if allow_origin == b"*" {
        return format!(
            "Access-Control-Allow-Origin is `*`, which a browser refuses when the request includes credentials; it \
             must be the page's origin `{origin}`"
        );
    }
    let mut reason =
        format!("Access-Control-Allow-Origin is `{}` but the page's origin is `{origin}`", show(allow_origin));
    if allow_origin.contains(&b',') || allow_origin.contains(&b' ') {
        reason.push_str("; it must be a single origin, not a list");
    } else if allow_origin.strip_suffix(b"/") == Some(origin.as_bytes()) {
        reason.push_str("; an origin never ends with `/`");
    } else if allow_origin.eq_ignore_ascii_case(origin.as_bytes()) {
        reason.push_str("; origins compare byte for byte, case included");
    }
    reason
}

/// Fetch's "extract header list values" for a `#token` list header
/// (`Access-Control-Allow-Methods`, `-Allow-Headers`, `-Expose-Headers`):
/// `Ok(None)` when absent, `Err(joined value)` when an element is not a
/// token. Empty elements are skipped, as RFC 9110 §5.6.1 asks.
pub(crate) fn extract_list(headers: &[Header], name: &str) -> Result<Option<Vec<String>>, Vec<u8>> {
    let mut found = false;
    let mut items = Vec::new();
    for line in values(headers, name) {
        found = true;
        for item in line.split(|b| *b == b',') {
            let item = item.trim_ascii();
            if item.is_empty() {
                continue;
            }
            if !is_token(item) {
                return Err(get(headers, name).unwrap_or_default());
            }
            items.push(String::from_utf8_lossy(item).into_owned());
        }
    }
    Ok(found.then_some(items))
}

/// The lower-case names (sorted, de-duplicated) of the response's headers
/// the page can read (Fetch, "CORS-filtered response"): the CORS-safelisted
/// response-header names, plus those listed in
/// `Access-Control-Expose-Headers`, where `*` means every header unless
/// credentials mode is `include` (then `*` is just a name). `Set-Cookie`
/// and `Set-Cookie2` are never readable.
///
/// ```
/// use cors_core::browser::{readable_headers, Credentials, Response};
///
/// let res = Response::new(200)
///     .header("Content-Type", "text/plain")
///     .header("X-Request-Id", "42")
///     .header("X-Other", "1")
///     .header("Access-Control-Expose-Headers", "x-request-id");
/// assert_eq!(readable_headers(&res, Credentials::Omit), ["content-type", "x-request-id"]);
/// ```
pub fn readable_headers(response: &Response, credentials: Credentials) -> Vec<String> {
    // An unparsable list exposes nothing beyond the safelist.
    let exposed = extract_list(&response.headers, ACEH).ok().flatten().unwrap_or_default();
    let everything = !credentials.is_include() && exposed.iter().any(|n| n == "*");
    let mut names: Vec<String> = response
        .headers
        .iter()
        .map(|h| h.name.to_ascii_lowercase())
        .filter(|name| !is_forbidden_response_header(name))
        .filter(|name| {
            everything || is_safelisted_response_header(name) || exposed.iter().any(|e| e.eq_ignore_ascii_case(name))
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The checks on the actual request's response: the CORS check (whatever
/// the status), then the readable header names.
///
/// ```
/// use cors_core::browser::{check_actual, BrowserRequest, Response, Step};
///
/// let req = BrowserRequest::new("https://app.example", "GET", "/items");
/// let ok = Response::new(500).header("Access-Control-Allow-Origin", "*").header("Content-Type", "text/plain");
/// assert_eq!(check_actual(&req, &ok).unwrap(), ["content-type"]);
/// assert_eq!(check_actual(&req, &Response::new(200)).unwrap_err().step, Step::CorsCheck);
/// ```
pub fn check_actual(request: &BrowserRequest, response: &Response) -> Result<Vec<String>, Blocked> {
    cors_check(&request.origin, request.credentials, &response.headers)
        .map_err(|reason| Blocked::new(Phase::Actual, Step::CorsCheck, reason))?;
    Ok(readable_headers(response, request.credentials))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://app.example";

    fn headers(lines: &[(&str, &str)]) -> Vec<Header> {
        lines.iter().map(|(n, v)| Header::new(*n, *v)).collect()
    }

    fn check(credentials: Credentials, lines: &[(&str, &str)]) -> Result<(), String> {
        cors_check(PAGE, credentials, &headers(lines))
    }

    #[test]
    fn exact_origin_or_star_passes_without_credentials() {
        for c in [Credentials::Omit, Credentials::SameOrigin] {
            assert_eq!(check(c, &[("Access-Control-Allow-Origin", PAGE)]), Ok(()));
            assert_eq!(check(c, &[("access-control-allow-origin", "*")]), Ok(()));
            assert_eq!(check(c, &[("Access-Control-Allow-Origin", " https://app.example ")]), Ok(()));
        }
    }

    #[test]
    fn missing_allow_origin_fails() {
        let err = check(Credentials::Omit, &[("Content-Type", "text/plain")]).unwrap_err();
        assert_eq!(err, "Access-Control-Allow-Origin is missing; it must be `https://app.example` or `*`");
    }

    #[test]
    fn two_allow_origin_lines_fail_even_when_equal() {
        for second in [PAGE, "*"] {
            let err = check(Credentials::Omit, &[(ACAO, PAGE), ("Access-Control-Allow-Origin", second)]).unwrap_err();
            assert!(err.contains("sent 2 times"), "{err}");
        }
        assert!(check(Credentials::Omit, &[(ACAO, "*"), (ACAO, "*")]).is_err());
    }

    #[test]
    fn a_list_of_origins_fails() {
        for v in ["https://other.example, https://app.example", "https://app.example,https://app.example", "*, *"] {
            let err = check(Credentials::Omit, &[(ACAO, v)]).unwrap_err();
            assert!(err.ends_with("not a list"), "{v}: {err}");
        }
    }

    #[test]
    fn star_fails_with_credentials() {
        let err = check(Credentials::Include, &[(ACAO, "*"), (ACAC, "true")]).unwrap_err();
        assert!(err.starts_with("Access-Control-Allow-Origin is `*`, which a browser refuses"), "{err}");
    }

    #[test]
    fn near_miss_origins_fail_with_a_hint() {
        let cases = [
            ("https://app.example/", "an origin never ends with `/`"),
            ("https://App.example", "case included"),
            ("http://app.example", "but the page's origin is `https://app.example`"),
            ("https://app.example:443", "but the page's origin is `https://app.example`"),
            ("null", "Access-Control-Allow-Origin is `null`"),
        ];
        for (v, part) in cases {
            let err = check(Credentials::Omit, &[(ACAO, v)]).unwrap_err();
            assert!(err.contains(part), "{v}: {err}");
        }
    }

    #[test]
    fn null_matches_only_an_opaque_origin() {
        let h = headers(&[(ACAO, "null")]);
        assert_eq!(cors_check("null", Credentials::Omit, &h), Ok(()));
        assert!(cors_check(PAGE, Credentials::Omit, &h).is_err());
    }

    #[test]
    fn credentials_need_allow_credentials_exactly_true() {
        assert_eq!(check(Credentials::Include, &[(ACAO, PAGE), (ACAC, "true")]), Ok(()));
        for (lines, part) in [
            (&[(ACAO, PAGE), (ACAC, "True")][..], "but it is `True`"),
            (&[(ACAO, PAGE), (ACAC, "TRUE")][..], "but it is `TRUE`"),
            (&[(ACAO, PAGE), (ACAC, "true"), (ACAC, "true")][..], "but it is `true, true`"),
            (&[(ACAO, PAGE)][..], "but it is missing"),
        ] {
            let err = check(Credentials::Include, lines).unwrap_err();
            assert!(err.contains(part), "{lines:?}: {err}");
        }
    }

    #[test]
    fn allow_credentials_is_ignored_without_credentials() {
        assert_eq!(check(Credentials::SameOrigin, &[(ACAO, PAGE), (ACAC, "True")]), Ok(()));
        assert_eq!(check(Credentials::Omit, &[(ACAO, "*")]), Ok(()));
    }

    #[test]
    fn list_extraction() {
        let h = headers(&[("Access-Control-Allow-Methods", "GET , PUT,,"), ("access-control-allow-methods", "patch")]);
        assert_eq!(extract_list(&h, "access-control-allow-methods").unwrap().unwrap(), ["GET", "PUT", "patch"]);
        assert_eq!(extract_list(&h, "access-control-allow-headers"), Ok(None));
        let bad = headers(&[("x-list", "a b, c")]);
        assert_eq!(extract_list(&bad, "x-list").unwrap_err(), b"a b, c");
        assert!(extract_list(&headers(&[("x-list", "PUT;GET")]), "x-list").is_err());
    }

    fn response(lines: &[(&str, &str)]) -> Response {
        Response { status: 200, headers: headers(lines), body: Vec::new() }
    }

    #[test]
    fn safelisted_response_headers() {
        for n in [
            "Cache-Control",
            "content-language",
            "Content-Length",
            "content-type",
            "expires",
            "last-modified",
            "Pragma",
        ] {
            assert!(is_safelisted_response_header(n), "{n}");
        }
        for n in ["set-cookie", "x-request-id", "etag", "location", "vary"] {
            assert!(!is_safelisted_response_header(n), "{n}");
        }
    }

    /// A case name, the response's headers, the credentials mode, and the
    /// names the page may read.
    type ReadableCase = (&'static str, &'static [(&'static str, &'static str)], Credentials, &'static [&'static str]);

    #[test]
    fn which_response_headers_the_page_may_read() {
        let cases: [ReadableCase; 6] = [
            (
                "safelisted headers are always readable",
                &[("Content-Type", "text/plain"), ("Cache-Control", "no-store"), ("ETag", "\"1\"")],
                Credentials::Omit,
                &["cache-control", "content-type"],
            ),
            (
                "exposed headers become readable case-insensitively",
                &[("X-Request-Id", "1"), ("x-trace", "2"), (ACEH, "X-REQUEST-ID, x-absent")],
                Credentials::Include,
                &["x-request-id"],
            ),
            (
                "star exposes everything but set-cookie without credentials",
                &[("X-Request-Id", "1"), ("Set-Cookie", "a=b"), ("set-cookie2", "c"), (ACEH, "*")],
                Credentials::Omit,
                &[ACEH, "x-request-id"],
            ),
            (
                "set-cookie stays unreadable even when listed",
                &[("Set-Cookie", "a=b"), (ACEH, "set-cookie")],
                Credentials::Omit,
                &[],
            ),
            (
                "star is a literal name with credentials",
                &[("X-Request-Id", "1"), ("Content-Length", "0"), (ACEH, "*")],
                Credentials::Include,
                &["content-length"],
            ),
            (
                "an unparsable expose list exposes nothing more",
                &[("X-Request-Id", "1"), (ACEH, "x-request-id; x-other")],
                Credentials::Omit,
                &[],
            ),
        ];
        for (case, lines, credentials, expected) in cases {
            assert_eq!(readable_headers(&response(lines), credentials), expected, "{case}");
        }
    }

    #[test]
    fn the_actual_response_is_checked_whatever_its_status() {
        let req = BrowserRequest::new(PAGE, "GET", "/");
        for status in [200, 302, 404, 500] {
            let ok = Response::new(status).header(ACAO, PAGE);
            assert!(check_actual(&req, &ok).is_ok(), "{status}");
            let err = check_actual(&req, &Response::new(status)).unwrap_err();
            assert_eq!((err.phase, err.step), (Phase::Actual, Step::CorsCheck));
        }
    }
}
