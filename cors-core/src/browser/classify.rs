//! Step 2 of the CORS workflow: does the page's request go out as is, or
//! does the browser first ask with a preflight?

use super::engine::Engine;
use super::message::{show, trim_http_whitespace, BrowserRequest, Header};
use super::safelist::unsafe_names_in;
use super::verdict::{Blocked, Phase, Step};
use crate::token::{
    is_forbidden_method, is_forbidden_request_header, is_safelisted_method, is_token, NORMALIZED_METHODS,
};
use std::borrow::Cow;

/// Fetch's "normalize" a method: `DELETE`, `GET`, `HEAD`, `OPTIONS`, `POST`
/// and `PUT` are upper-cased when they match case-insensitively; every
/// other method is sent exactly as the script wrote it.
///
/// ```
/// use cors_core::browser::normalize_method;
///
/// assert_eq!(normalize_method("put"), "PUT");
/// assert_eq!(normalize_method("patch"), "patch");
/// assert_eq!(normalize_method("PATCH"), "PATCH");
/// ```
pub fn normalize_method(method: &str) -> Cow<'_, str> {
    match NORMALIZED_METHODS.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(upper) => Cow::Borrowed(*upper),
        None => Cow::Borrowed(method),
    }
}

/// What the browser decided about a request before sending it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The method as it goes on the wire (normalized).
    pub method: String,
    /// A preflight is sent first.
    pub needs_preflight: bool,
    /// The CORS-unsafe request-header names: lower-cased, de-duplicated,
    /// sorted; the value of `Access-Control-Request-Headers`.
    pub unsafe_header_names: Vec<String>,
    /// The headers sent with the actual request: the script's, with values
    /// normalized and forbidden ones removed.
    pub headers: Vec<Header>,
    /// Forbidden request-header names the script set (lower-cased): the
    /// browser silently drops them (`Cookie`, `Host`, `Origin`, `Sec-*`, ...).
    pub dropped_header_names: Vec<String>,
    /// One sentence per reason for the preflight; empty for a simple
    /// request.
    pub reasons: Vec<String>,
}

impl Classification {
    /// All reasons in one sentence.
    ///
    /// ```
    /// use cors_core::browser::{classify, Header};
    ///
    /// let c = classify("PUT", &[Header::new("X-Request-Id", "1")])?;
    /// assert_eq!(
    ///     c.reason(),
    ///     "method PUT is not CORS-safelisted (only GET, HEAD and POST are); \
    ///      header x-request-id is not CORS-safelisted"
    /// );
    /// # Ok::<(), cors_core::browser::Blocked>(())
    /// ```
    pub fn reason(&self) -> String {
        if self.reasons.is_empty() {
            "simple request: CORS-safelisted method and headers, no preflight".to_owned()
        } else {
            self.reasons.join("; ")
        }
    }
}

/// Classifies a request by its method and the headers the script set
/// (Fetch, "main fetch": the preflight is needed when the method is not
/// CORS-safelisted or there are CORS-unsafe request-header names).
///
/// Header values are normalized (surrounding whitespace dropped) and
/// forbidden request-headers removed first, as `Headers.append()` does. A
/// request `fetch()` refuses (a forbidden or malformed method, an invalid
/// header name or value) is an error in [`Phase::Request`].
///
/// ```
/// use cors_core::browser::{classify, Header};
///
/// let simple = classify("post", &[Header::new("Content-Type", "text/plain;charset=utf-8")])?;
/// assert!(!simple.needs_preflight);
/// assert_eq!(simple.method, "POST");
///
/// let json = classify("POST", &[Header::new("Content-Type", "application/json")])?;
/// assert!(json.needs_preflight);
/// assert_eq!(json.unsafe_header_names, ["content-type"]);
/// # Ok::<(), cors_core::browser::Blocked>(())
/// ```
pub fn classify(method: &str, headers: &[Header]) -> Result<Classification, Blocked> {
    classify_in(Engine::Standard, method, headers)
}

fn classify_in(engine: Engine, method: &str, headers: &[Header]) -> Result<Classification, Blocked> {
    check_method(method)?;
    let method = normalize_method(method).into_owned();
    let (headers, dropped_header_names) = page_headers(headers)?;
    let mut reasons = Vec::new();
    if !is_safelisted_method(method.as_bytes()) {
        reasons.push(method_reason(&method));
    }
    let unsafe_names = unsafe_names_in(engine, &headers);
    for (_, reason) in &unsafe_names {
        if !reasons.contains(reason) {
            reasons.push(reason.clone());
        }
    }
    Ok(Classification {
        method,
        needs_preflight: !reasons.is_empty(),
        unsafe_header_names: unsafe_names.into_iter().map(|(name, _)| name).collect(),
        headers,
        dropped_header_names,
        reasons,
    })
}

/// [`classify`] for a whole request, by the rules of its
/// [`engine`](BrowserRequest::engine): also sends a preflight when the
/// target is on a more private network (Private Network Access requires one
/// even for a simple request).
pub fn classify_request(request: &BrowserRequest) -> Result<Classification, Blocked> {
    let mut classification = classify_in(request.engine, &request.method, &request.headers)?;
    if request.private_network {
        classification.needs_preflight = true;
        classification.reasons.push(
            "the target is on a more private network than the page, so Private Network Access requires a preflight"
                .to_owned(),
        );
    }
    Ok(classification)
}

fn check_method(method: &str) -> Result<(), Blocked> {
    let refuse = |reason: String| Err(Blocked::new(Phase::Request, Step::Method, reason));
    if !is_token(method.as_bytes()) {
        return refuse(format!("`{}` is not a method token, so fetch() throws a TypeError", show(method.as_bytes())));
    }
    if is_forbidden_method(method) {
        return refuse(format!("method {method} is forbidden, so fetch() throws a TypeError and sends nothing"));
    }
    Ok(())
}

fn method_reason(method: &str) -> String {
    let mut reason = format!("method {method} is not CORS-safelisted (only GET, HEAD and POST are)");
    if method.to_ascii_uppercase() != method {
        reason.push_str(&format!(
            "; browsers upper-case only {}, so `{method}` is sent as written",
            NORMALIZED_METHODS.join(", ")
        ));
    }
    reason
}

/// The headers a script's list turns into: values normalized, forbidden
/// request-headers dropped (Fetch, `Headers` with guard "request"), and
/// invalid names or values refused.
fn page_headers(headers: &[Header]) -> Result<(Vec<Header>, Vec<String>), Blocked> {
    let refuse = |reason: String| Err(Blocked::new(Phase::Request, Step::Header, reason));
    let mut kept = Vec::with_capacity(headers.len());
    let mut dropped = Vec::new();
    for h in headers {
        let value = trim_http_whitespace(&h.value);
        if !is_token(h.name.as_bytes()) {
            return refuse(format!(
                "`{}` is not a header name, so fetch() throws a TypeError",
                show(h.name.as_bytes())
            ));
        }
        if value.iter().any(|b| matches!(b, 0x00 | b'\n' | b'\r')) {
            return refuse(format!(
                "the value `{}` of header {} holds NUL, CR or LF, so fetch() throws a TypeError",
                show(value),
                h.name
            ));
        }
        let lower = h.name.to_ascii_lowercase();
        if is_forbidden(&lower, value) {
            if !dropped.contains(&lower) {
                dropped.push(lower);
            }
        } else {
            kept.push(Header::new(h.name.clone(), value));
        }
    }
    Ok((kept, dropped))
}

/// Fetch's "forbidden request-header": a forbidden name, or a method
/// override header naming a forbidden method.
fn is_forbidden(lower: &str, value: &[u8]) -> bool {
    if is_forbidden_request_header(lower) {
        return true;
    }
    matches!(lower, "x-http-method" | "x-http-method-override" | "x-method-override")
        && value
            .split(|b| *b == b',')
            .any(|m| std::str::from_utf8(trim_http_whitespace(m)).is_ok_and(is_forbidden_method))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(method: &str, headers: &[(&str, &str)]) -> Classification {
        let headers: Vec<Header> = headers.iter().map(|(n, v)| Header::new(*n, *v)).collect();
        classify(method, &headers).unwrap()
    }

    #[test]
    fn safelisted_methods_without_headers_are_simple() {
        for m in ["GET", "HEAD", "POST", "get", "head", "Post"] {
            let c = class(m, &[]);
            assert!(!c.needs_preflight && c.reasons.is_empty(), "{m}");
            assert_eq!(c.method, m.to_ascii_uppercase());
        }
    }

    #[test]
    fn normalization_covers_exactly_six_methods() {
        let cases = [
            ("delete", "DELETE"),
            ("Options", "OPTIONS"),
            ("pUt", "PUT"),
            ("get", "GET"),
            ("patch", "patch"),
            ("Patch", "Patch"),
            ("purge", "purge"),
            ("PATCH", "PATCH"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_method(input), want, "{input}");
        }
    }

    #[test]
    fn lower_case_put_is_normalized_and_preflighted() {
        let c = class("put", &[]);
        assert!(c.needs_preflight);
        assert_eq!(c.method, "PUT");
        assert_eq!(c.reason(), "method PUT is not CORS-safelisted (only GET, HEAD and POST are)");
    }

    #[test]
    fn patch_keeps_its_case_and_is_preflighted() {
        let lower = class("patch", &[]);
        assert!(lower.needs_preflight);
        assert_eq!(lower.method, "patch");
        assert!(lower.reason().contains("`patch` is sent as written"), "{}", lower.reason());
        let upper = class("PATCH", &[]);
        assert!(upper.needs_preflight);
        assert_eq!(upper.method, "PATCH");
        assert!(!upper.reason().contains("as written"));
    }

    #[test]
    fn forbidden_and_malformed_methods_are_refused_before_sending() {
        for m in ["TRACE", "connect", "Track", "GE T", "", "G\u{e9}T"] {
            let err = classify(m, &[]).unwrap_err();
            assert_eq!((err.phase, err.step), (Phase::Request, Step::Method), "{m}");
        }
    }

    #[test]
    fn unsafe_headers_need_a_preflight_with_a_reason() {
        let c = class("GET", &[("X-Request-Id", "42"), ("Accept", "*/*")]);
        assert!(c.needs_preflight);
        assert_eq!(c.unsafe_header_names, ["x-request-id"]);
        assert_eq!(c.reasons, ["header x-request-id is not CORS-safelisted"]);

        let c = class("POST", &[("Content-Type", "application/json")]);
        assert_eq!(c.unsafe_header_names, ["content-type"]);
        assert!(c.reason().starts_with("content-type application/json is not one of the three simple types"));
    }

    #[test]
    fn authorization_always_needs_a_preflight() {
        let c = class("GET", &[("Authorization", "Bearer t")]);
        assert!(c.needs_preflight);
        assert_eq!(c.unsafe_header_names, ["authorization"]);
    }

    #[test]
    fn simple_headers_keep_the_request_simple() {
        let c = class(
            "POST",
            &[
                ("Content-Type", " text/plain;charset=utf-8 "),
                ("Accept-Language", "en-US,en;q=0.9"),
                ("Range", "bytes=0-"),
                ("Accept", "application/json"),
            ],
        );
        assert!(!c.needs_preflight, "{}", c.reason());
        assert_eq!(c.headers[0].value, b"text/plain;charset=utf-8");
    }

    #[test]
    fn forbidden_headers_are_dropped_not_listed() {
        let c = class(
            "GET",
            &[
                ("Cookie", "a=b"),
                ("Origin", "https://evil.example"),
                ("Sec-Fetch-Mode", "no-cors"),
                ("X-HTTP-Method-Override", "TRACE"),
                ("X-Method-Override", "PATCH"),
            ],
        );
        assert_eq!(c.dropped_header_names, ["cookie", "origin", "sec-fetch-mode", "x-http-method-override"]);
        assert_eq!(c.unsafe_header_names, ["x-method-override"]);
        assert_eq!(c.headers.len(), 1);
    }

    #[test]
    fn invalid_header_names_and_values_are_refused_before_sending() {
        for (name, value) in [("x y", "1"), ("", "1"), ("x-a", "a\nb"), ("x-a", "a\rb"), ("x-a", "a\0b")] {
            let err = classify("GET", &[Header::new(name, value)]).unwrap_err();
            assert_eq!((err.phase, err.step), (Phase::Request, Step::Header), "{name:?} {value:?}");
        }
    }

    #[test]
    fn private_network_forces_a_preflight_for_a_simple_request() {
        let req = BrowserRequest::new("https://app.example", "GET", "/").private_network(true);
        let c = classify_request(&req).unwrap();
        assert!(c.needs_preflight && c.unsafe_header_names.is_empty());
        assert!(c.reason().contains("Private Network Access"));
        let req = req.private_network(false);
        assert!(!classify_request(&req).unwrap().needs_preflight);
    }

    #[test]
    fn every_reason_is_listed_once() {
        let c = class("DELETE", &[("x-a", "1"), ("X-A", "2"), ("content-type", "application/xml")]);
        assert_eq!(c.unsafe_header_names, ["content-type", "x-a"]);
        assert_eq!(c.reasons.len(), 3, "{:?}", c.reasons);
        assert!(c.reasons[0].starts_with("method DELETE"));
    }
}
