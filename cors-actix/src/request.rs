//! Borrowing a request's CORS-relevant headers as [`RequestParts`] without
//! allocating.

use crate::origin_fn::ActixRequest;
use actix_web::dev::RequestHead;
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS};
use actix_web::http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use actix_web::http::Method;
use cors_core::MAX_ACRH_LINES;
use cors_core::{HeaderInput, RequestParts};

const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");

fn input<'a>(headers: &'a HeaderMap, name: &HeaderName) -> HeaderInput<'a> {
    HeaderInput::from_values(headers.get_all(name).map(HeaderValue::as_bytes))
}

/// A preflight as the layers route it (Fetch, "CORS-preflight request"):
/// `OPTIONS` with an `Origin` and an `Access-Control-Request-Method`.
#[inline]
pub(crate) fn is_preflight(head: &RequestHead) -> bool {
    head.method == Method::OPTIONS
        && head.headers.contains_key(ORIGIN)
        && head.headers.contains_key(ACCESS_CONTROL_REQUEST_METHOD)
}

/// The method a preflight asks about (its first
/// `Access-Control-Request-Method`, or nothing): what the route it is for
/// is looked up by.
#[inline]
pub(crate) fn requested_method(head: &RequestHead) -> &[u8] {
    head.headers.get(ACCESS_CONTROL_REQUEST_METHOD).map_or(&b""[..], HeaderValue::as_bytes)
}

/// Runs `f` on the request's parts and its `Origin` value (the first one,
/// when sent).
///
/// Only what the classification needs is looked up (Fetch, "CORS protocol"): the
/// `Access-Control-Request-*` headers only for `OPTIONS` with an `Origin`,
/// and the rest only once `Access-Control-Request-Method` is there; the
/// decision reads them for preflights alone. The
/// `Access-Control-Request-Headers` lines are collected into a fixed array
/// on the stack; more lines than it holds mark the request as overflowing
/// (malformed).
#[inline]
pub(crate) fn with_parts<R>(head: &RequestHead, f: impl FnOnce(&RequestParts<'_>, Option<&HeaderValue>) -> R) -> R {
    let (headers, method) = (&head.headers, &head.method);
    // What an `origin_fn` is asked with, when the policy has one.
    let view = ActixRequest(head);
    let (origin, first) = match headers.get_all(ORIGIN).as_slice() {
        [] => (HeaderInput::Absent, None),
        [one] => (HeaderInput::One(one.as_bytes()), Some(one)),
        [first, ..] => (HeaderInput::Many, Some(first)),
    };
    let mut parts = RequestParts::new(method.as_str().as_bytes());
    parts.origin = origin;
    parts.view = Some(&view);
    if origin == HeaderInput::Absent || *method != Method::OPTIONS {
        return f(&parts, first);
    }
    parts.request_method = input(headers, &ACCESS_CONTROL_REQUEST_METHOD);
    if parts.request_method == HeaderInput::Absent {
        return f(&parts, first);
    }
    let mut lines: [&[u8]; MAX_ACRH_LINES] = [&[]; MAX_ACRH_LINES];
    let mut count = 0;
    for v in headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
        if count == MAX_ACRH_LINES {
            parts.request_headers_overflow = true;
            break;
        }
        lines[count] = v.as_bytes();
        count += 1;
    }
    parts.request_headers = &lines[..count];
    parts.request_private_network = input(headers, &ACRPN);
    f(&parts, first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_core::RequestKind;

    fn head(method: Method, pairs: &[(&'static str, &'static str)]) -> RequestHead {
        let mut head = RequestHead::default();
        head.method = method;
        for (name, value) in pairs {
            head.headers.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        head
    }

    fn parts_of(method: Method, pairs: &[(&'static str, &'static str)]) -> (RequestKind, String) {
        with_parts(&head(method, pairs), |parts, origin| {
            let origin = origin.map(|o| o.to_str().unwrap().to_owned()).unwrap_or_default();
            (parts.kind(), format!("{:?} {:?} {origin}", parts.request_headers.len(), parts.request_headers_overflow))
        })
    }

    #[test]
    fn classification_is_unchanged_by_looking_up_only_what_it_needs() {
        let acrm = ("access-control-request-method", "PUT");
        let acrh = ("access-control-request-headers", "content-type");
        let origin = ("origin", "https://a.example");
        assert_eq!(parts_of(Method::GET, &[]).0, RequestKind::NotCors);
        assert_eq!(parts_of(Method::OPTIONS, &[acrm, acrh]).0, RequestKind::NotCors);
        // an actual request: its Access-Control-Request-* headers are not read
        assert_eq!(
            parts_of(Method::GET, &[origin, acrm, acrh]),
            (RequestKind::Actual, "0 false https://a.example".into())
        );
        assert_eq!(
            parts_of(Method::OPTIONS, &[origin, acrh]),
            (RequestKind::Actual, "0 false https://a.example".into())
        );
        assert_eq!(
            parts_of(Method::OPTIONS, &[origin, acrm, acrh, acrh]),
            (RequestKind::Preflight, "2 false https://a.example".into())
        );
    }

    #[test]
    fn too_many_request_header_lines_overflow_and_repeated_origins_are_many() {
        let mut pairs = vec![("origin", "https://a.example"), ("access-control-request-method", "PUT")];
        pairs.extend([("access-control-request-headers", "x"); MAX_ACRH_LINES + 1]);
        assert_eq!(parts_of(Method::OPTIONS, &pairs), (RequestKind::Preflight, "8 true https://a.example".into()));
        let repeated = head(Method::GET, &[("origin", "https://a.example"), ("origin", "https://b.example")]);
        let (many, first) = with_parts(&repeated, |parts, origin| (parts.origin == HeaderInput::Many, origin.cloned()));
        assert!(many);
        assert_eq!(first.unwrap(), "https://a.example");
    }
}
