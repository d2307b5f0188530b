//! Steps 3 and 4 of the CORS workflow as the browser sees them: the
//! `OPTIONS` preflight it sends, and the checks it runs on the answer
//! (Fetch, "CORS-preflight fetch").

use super::check::{cors_check, extract_list};
use super::classify::Classification;
use super::message::{show, BrowserRequest, Header, OutgoingRequest, Response};
use super::verdict::{Blocked, Phase, Step};
use crate::token::is_safelisted_method;

const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";
const ACAPN: &str = "access-control-allow-private-network";

/// Fetch's "CORS non-wildcard request-header name": `*` in
/// `Access-Control-Allow-Headers` never covers it; it must be listed.
pub const NON_WILDCARD_REQUEST_HEADER: &str = "authorization";

/// The preflight a browser sends for `request`: `OPTIONS` to the same URL,
/// without credentials or body, with `Accept: */*`, `Origin`,
/// `Access-Control-Request-Method`, `Access-Control-Request-Headers` (only
/// when there are CORS-unsafe names: lower-cased, sorted, de-duplicated,
/// joined with `,`) and, for a more private target,
/// `Access-Control-Request-Private-Network: true`.
///
/// ```
/// use cors_core::browser::{build_preflight, classify_request, BrowserRequest};
///
/// let req = BrowserRequest::new("https://app.example", "PUT", "/orders")
///     .header("X-Request-Id", "1")
///     .header("Content-Type", "application/json");
/// let preflight = build_preflight(&req, &classify_request(&req)?);
/// assert_eq!(preflight.method(), "OPTIONS");
/// assert_eq!(preflight.get("Origin").unwrap(), b"https://app.example");
/// assert_eq!(preflight.get("Access-Control-Request-Method").unwrap(), b"PUT");
/// assert_eq!(preflight.get("Access-Control-Request-Headers").unwrap(), b"content-type,x-request-id");
/// # Ok::<(), cors_core::browser::Blocked>(())
/// ```
pub fn build_preflight(request: &BrowserRequest, classification: &Classification) -> OutgoingRequest {
    let mut headers = vec![
        Header::new("accept", "*/*"),
        Header::new("access-control-request-method", classification.method.as_str()),
    ];
    if !classification.unsafe_header_names.is_empty() {
        headers.push(Header::new("access-control-request-headers", classification.unsafe_header_names.join(",")));
    }
    if request.private_network {
        headers.push(Header::new("access-control-request-private-network", "true"));
    }
    headers.push(Header::new("origin", request.origin.as_str()));
    OutgoingRequest {
        preflight: true,
        method: "OPTIONS".to_owned(),
        url: request.url.clone(),
        headers,
        body: Vec::new(),
        with_credentials: false,
    }
}

/// The checks on a preflight's response, in the browser's order: the CORS
/// check (with the request's credentials mode, although the preflight
/// itself carries none), an ok status, Private Network Access when asked,
/// then `Access-Control-Allow-Methods` and `Access-Control-Allow-Headers`.
///
/// ```
/// use cors_core::browser::{check_preflight, classify_request, BrowserRequest, Response, Step};
///
/// let req = BrowserRequest::new("https://app.example", "PUT", "/orders");
/// let class = classify_request(&req)?;
/// let ok = Response::new(204)
///     .header("Access-Control-Allow-Origin", "https://app.example")
///     .header("Access-Control-Allow-Methods", "PUT");
/// assert!(check_preflight(&req, &class, &ok).is_ok());
///
/// let no_methods = Response::new(204).header("Access-Control-Allow-Origin", "*");
/// assert_eq!(check_preflight(&req, &class, &no_methods).unwrap_err().step, Step::Method);
/// # Ok::<(), cors_core::browser::Blocked>(())
/// ```
pub fn check_preflight(
    request: &BrowserRequest,
    classification: &Classification,
    response: &Response,
) -> Result<(), Blocked> {
    let block = |step, reason: String| Err(Blocked::new(Phase::Preflight, step, reason));
    if let Err(reason) = cors_check(&request.origin, request.credentials, &response.headers) {
        return block(Step::CorsCheck, reason);
    }
    if !response.is_ok_status() {
        return block(
            Step::Preflight,
            format!("the preflight response has status {}; it needs an ok status (200-299)", response.status),
        );
    }
    if request.private_network {
        check_private_network(response).or_else(|reason| block(Step::PrivateNetwork, reason))?;
    }
    let include = request.credentials.is_include();
    let methods = match extract_list(&response.headers, ACAM) {
        Ok(m) => m,
        Err(raw) => return block(Step::Method, unparsable("Access-Control-Allow-Methods", &raw, "methods")),
    };
    let names = match extract_list(&response.headers, ACAH) {
        Ok(n) => n,
        Err(raw) => return block(Step::Header, unparsable("Access-Control-Allow-Headers", &raw, "header names")),
    };
    check_method(&classification.method, methods.as_deref(), include, response)
        .or_else(|reason| block(Step::Method, reason))?;
    check_headers(classification, names.as_deref(), include, response).or_else(|reason| block(Step::Header, reason))
}

fn unparsable(header: &str, raw: &[u8], what: &str) -> String {
    format!("{header} `{}` is not a comma-separated list of {what}", show(raw))
}

/// Private Network Access: the answer to
/// `Access-Control-Request-Private-Network: true` must be exactly `true`.
fn check_private_network(response: &Response) -> Result<(), String> {
    match response.get(ACAPN) {
        Some(v) if v == b"true" => Ok(()),
        Some(v) => Err(format!(
            "the preflight asked for private network access, so Access-Control-Allow-Private-Network must be \
             `true`, but it is `{}`",
            show(&v)
        )),
        None => Err("the preflight asked for private network access, but Access-Control-Allow-Private-Network \
                     is missing; it must be `true`"
            .to_owned()),
    }
}

/// Fetch, CORS-preflight fetch: the method is allowed when listed (a
/// case-sensitive byte compare), when CORS-safelisted, or by `*` without
/// credentials.
fn check_method(method: &str, allowed: Option<&[String]>, include: bool, response: &Response) -> Result<(), String> {
    let list = allowed.unwrap_or_default();
    let star = list.iter().any(|m| m == "*");
    if list.iter().any(|m| m == method) || is_safelisted_method(method.as_bytes()) || (star && !include) {
        return Ok(());
    }
    let Some(raw) = response.get(ACAM) else {
        return Err(format!(
            "the preflight response has no Access-Control-Allow-Methods, and method {method} is not CORS-safelisted"
        ));
    };
    let raw = show(&raw);
    if star {
        return Err(format!(
            "Access-Control-Allow-Methods is `{raw}`, but with credentials `*` is a method name, not a wildcard, \
             so {method} must be listed"
        ));
    }
    let mut reason = format!("method {method} is not in Access-Control-Allow-Methods `{raw}`");
    if list.iter().any(|m| m.eq_ignore_ascii_case(method)) {
        reason.push_str(&format!("; methods compare case-sensitively and the browser sends `{method}`"));
    }
    Err(reason)
}

/// Fetch, CORS-preflight fetch: `authorization` must be listed by name;
/// every other CORS-unsafe name must be listed (ignoring case) or covered
/// by `*` without credentials.
fn check_headers(
    classification: &Classification,
    allowed: Option<&[String]>,
    include: bool,
    response: &Response,
) -> Result<(), String> {
    let list = allowed.unwrap_or_default();
    let star = list.iter().any(|n| n == "*");
    let listed = |name: &str| list.iter().any(|n| n.eq_ignore_ascii_case(name));
    let raw = || response.get(ACAH).map(|v| format!("Access-Control-Allow-Headers `{}`", show(&v)));
    let non_wildcard = classification.headers.iter().any(|h| h.is_named(NON_WILDCARD_REQUEST_HEADER));
    if non_wildcard && !listed(NON_WILDCARD_REQUEST_HEADER) {
        let seen = raw().unwrap_or_else(|| "no Access-Control-Allow-Headers".to_owned());
        return Err(format!(
            "header authorization is not listed (the preflight response has {seen}); `*` never covers \
             authorization, it must be listed by name"
        ));
    }
    for name in &classification.unsafe_header_names {
        if listed(name) || (star && !include) {
            continue;
        }
        let Some(seen) = raw() else {
            return Err(format!(
                "the preflight response has no Access-Control-Allow-Headers, and header {name} is not CORS-safelisted"
            ));
        };
        if star {
            return Err(format!(
                "header {name} is not in {seen}: with credentials `*` is a header name, not a wildcard"
            ));
        }
        return Err(format!("header {name} is not in {seen}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::{classify_request, Credentials};

    const PAGE: &str = "https://app.example";

    fn run(request: &BrowserRequest, response: Response) -> Result<(), Blocked> {
        let class = classify_request(request).unwrap();
        check_preflight(request, &class, &response)
    }

    fn allow(status: u16) -> Response {
        Response::new(status)
            .header("Access-Control-Allow-Origin", PAGE)
            .header("Access-Control-Allow-Credentials", "true")
    }

    fn step(result: Result<(), Blocked>) -> Option<Step> {
        result.err().map(|b| {
            assert_eq!(b.phase, Phase::Preflight);
            b.step
        })
    }

    #[test]
    fn the_preflight_request_carries_exactly_the_cors_headers() {
        let req = BrowserRequest::new(PAGE, "patch", "/orders/1")
            .header("X-B", "1")
            .header("x-a", "2")
            .header("X-B", "3")
            .header("Content-Type", "text/plain")
            .header("Cookie", "a=b")
            .body("payload")
            .credentials(Credentials::Include);
        let pf = build_preflight(&req, &classify_request(&req).unwrap());
        assert!(pf.is_preflight() && pf.body().is_empty() && !pf.with_credentials());
        assert_eq!((pf.method(), pf.url()), ("OPTIONS", "/orders/1"));
        let names: Vec<_> = pf.headers().iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["accept", "access-control-request-method", "access-control-request-headers", "origin"]);
        assert_eq!(pf.get("access-control-request-method").unwrap(), b"patch");
        assert_eq!(pf.get("access-control-request-headers").unwrap(), b"x-a,x-b");
        assert_eq!(pf.get("accept").unwrap(), b"*/*");
    }

    #[test]
    fn request_headers_are_omitted_when_none_is_unsafe() {
        let req = BrowserRequest::new(PAGE, "PUT", "/").header("Accept", "*/*");
        let pf = build_preflight(&req, &classify_request(&req).unwrap());
        assert_eq!(pf.get("access-control-request-headers"), None);
        assert_eq!(pf.get("access-control-request-private-network"), None);
    }

    #[test]
    fn private_network_is_requested_when_the_target_is_more_private() {
        let req = BrowserRequest::new(PAGE, "GET", "/").private_network(true);
        let pf = build_preflight(&req, &classify_request(&req).unwrap());
        assert_eq!(pf.get("access-control-request-private-network").unwrap(), b"true");
        assert_eq!(pf.get("access-control-request-method").unwrap(), b"GET");
    }

    #[test]
    fn the_preflight_needs_an_ok_status() {
        let req = BrowserRequest::new(PAGE, "PUT", "/");
        for (status, ok) in [(199, false), (200, true), (204, true), (299, true), (300, false), (403, false)] {
            let res = allow(status).header("Access-Control-Allow-Methods", "PUT");
            assert_eq!(step(run(&req, res)), (!ok).then_some(Step::Preflight), "{status}");
        }
        let err = run(&req, allow(403)).unwrap_err();
        assert_eq!(err.reason, "the preflight response has status 403; it needs an ok status (200-299)");
    }

    #[test]
    fn the_cors_check_comes_first() {
        let req = BrowserRequest::new(PAGE, "PUT", "/");
        let res = Response::new(403).header("Access-Control-Allow-Origin", "https://other.example");
        assert_eq!(step(run(&req, res)), Some(Step::CorsCheck));
        let cred = req.clone().credentials(Credentials::Include);
        let res = Response::new(204)
            .header("Access-Control-Allow-Origin", PAGE)
            .header("Access-Control-Allow-Methods", "PUT");
        assert_eq!(step(run(&cred, res)), Some(Step::CorsCheck));
    }

    const METHODS: &str = "Access-Control-Allow-Methods";
    const HEADERS: &str = "Access-Control-Allow-Headers";

    /// Checks the preflight for `req`, answered with `lines` on top of an
    /// allowed origin and credentials: it passes, or, when `blocked` names a
    /// step and a reason, it is blocked at that step with exactly that reason.
    #[track_caller]
    fn answered(req: &BrowserRequest, lines: &[(&str, &str)], blocked: Option<(Step, &str)>) {
        let res = lines.iter().fold(allow(204), |res, &(name, value)| res.header(name, value));
        let got = run(req, res).err().map(|b| (b.phase, b.step, b.reason));
        let want = blocked.map(|(step, reason)| (Phase::Preflight, step, reason.to_owned()));
        assert_eq!(got, want, "{} {} answered with {lines:?}", req.method, req.url);
    }

    #[test]
    fn star_methods_allow_any_method_only_without_credentials() {
        let req = BrowserRequest::new(PAGE, "DELETE", "/");
        answered(&req, &[(METHODS, "*")], None);
        let cred = req.credentials(Credentials::Include);
        let star_is_a_name = "Access-Control-Allow-Methods is `*`, but with credentials `*` is a method name, not a \
                              wildcard, so DELETE must be listed";
        answered(&cred, &[(METHODS, "*")], Some((Step::Method, star_is_a_name)));
        answered(&cred, &[(METHODS, "*, DELETE")], None);
    }

    #[test]
    fn star_headers_allow_any_header_only_without_credentials() {
        let req = BrowserRequest::new(PAGE, "GET", "/").header("X-Request-Id", "1");
        answered(&req, &[(HEADERS, "*")], None);
        let cred = req.credentials(Credentials::Include);
        let star_is_a_name = "header x-request-id is not in Access-Control-Allow-Headers `*`: with credentials `*` is \
                              a header name, not a wildcard";
        answered(&cred, &[(HEADERS, "*")], Some((Step::Header, star_is_a_name)));
    }

    #[test]
    fn authorization_is_never_covered_by_star() {
        let req = BrowserRequest::new(PAGE, "GET", "/").header("Authorization", "Bearer t");
        let not_listed = "header authorization is not listed (the preflight response has \
                          Access-Control-Allow-Headers `*`); `*` never covers authorization, it must be listed by name";
        answered(&req, &[(HEADERS, "*")], Some((Step::Header, not_listed)));
        answered(&req, &[(HEADERS, "*, Authorization")], None);
    }

    #[test]
    fn methods_compare_case_sensitively() {
        let lower = BrowserRequest::new(PAGE, "patch", "/");
        let upper_listed = "method patch is not in Access-Control-Allow-Methods `PATCH`; methods compare \
                            case-sensitively and the browser sends `patch`";
        answered(&lower, &[(METHODS, "PATCH")], Some((Step::Method, upper_listed)));
        answered(&lower, &[(METHODS, "patch")], None);
        let upper = BrowserRequest::new(PAGE, "PATCH", "/");
        let lower_listed = "method PATCH is not in Access-Control-Allow-Methods `patch`; methods compare \
                            case-sensitively and the browser sends `PATCH`";
        answered(&upper, &[(METHODS, "patch")], Some((Step::Method, lower_listed)));
        // `put` is normalized to PUT before the comparison.
        answered(&BrowserRequest::new(PAGE, "put", "/"), &[(METHODS, "PUT")], None);
    }

    #[test]
    fn a_missing_allow_methods_fails_for_unsafelisted_methods_only() {
        let put = BrowserRequest::new(PAGE, "PUT", "/");
        let missing =
            "the preflight response has no Access-Control-Allow-Methods, and method PUT is not CORS-safelisted";
        answered(&put, &[], Some((Step::Method, missing)));
        let post = BrowserRequest::new(PAGE, "POST", "/").header("X-Request-Id", "1");
        answered(&post, &[(HEADERS, "x-request-id")], None);
    }

    #[test]
    fn unparsable_lists_fail() {
        let req = BrowserRequest::new(PAGE, "PUT", "/").header("X-A", "1");
        for (name, value, want) in [
            ("Access-Control-Allow-Methods", "PUT;GET", Step::Method),
            ("Access-Control-Allow-Methods", "PUT, G ET", Step::Method),
            ("Access-Control-Allow-Headers", "x-a, bad header", Step::Header),
            ("Access-Control-Allow-Headers", "x-a, \"x-b\"", Step::Header),
        ] {
            let res =
                allow(204).header("Access-Control-Allow-Methods", "PUT").header("Access-Control-Allow-Headers", "x-a");
            let res = res.header(name, value);
            let err = run(&req, res).unwrap_err();
            assert_eq!(err.step, want, "{value}");
            assert!(err.reason.contains("is not a comma-separated list"), "{}", err.reason);
        }
    }

    #[test]
    fn lists_accept_whitespace_empty_elements_and_several_lines() {
        let req = BrowserRequest::new(PAGE, "DELETE", "/").header("X-B", "1").header("x-a", "2");
        let lines = [(METHODS, " GET ,, DELETE "), (HEADERS, "X-A"), ("access-control-allow-headers", "x-b,")];
        answered(&req, &lines, None);
    }

    #[test]
    fn every_unsafe_header_must_be_allowed() {
        let req = BrowserRequest::new(PAGE, "GET", "/").header("X-A", "1").header("X-B", "2");
        answered(
            &req,
            &[(HEADERS, "x-a")],
            Some((Step::Header, "header x-b is not in Access-Control-Allow-Headers `x-a`")),
        );
        let missing =
            "the preflight response has no Access-Control-Allow-Headers, and header x-a is not CORS-safelisted";
        answered(&req, &[], Some((Step::Header, missing)));
    }

    #[test]
    fn private_network_needs_allow_private_network_true() {
        let req = BrowserRequest::new(PAGE, "GET", "/").private_network(true);
        assert_eq!(step(run(&req, allow(204).header("Access-Control-Allow-Private-Network", "true"))), None);
        for value in [None, Some("false"), Some("True")] {
            let res = match value {
                Some(v) => allow(204).header("Access-Control-Allow-Private-Network", v),
                None => allow(204),
            };
            assert_eq!(step(run(&req, res)), Some(Step::PrivateNetwork), "{value:?}");
        }
        // Not asked for: not required.
        let public = BrowserRequest::new(PAGE, "PUT", "/");
        assert_eq!(step(run(&public, allow(204).header("Access-Control-Allow-Methods", "PUT"))), None);
    }
}
