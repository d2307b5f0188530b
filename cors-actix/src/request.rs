//! Borrowing a request's CORS-relevant headers as [`RequestParts`] without
//! allocating.

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS};
use actix_web::http::header::{ACCESS_CONTROL_REQUEST_METHOD, ORIGIN};
use actix_web::http::Method;
use cors_core::decision::MAX_ACRH_LINES;
use cors_core::{HeaderInput, RequestParts};

const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");

fn input<'a>(headers: &'a HeaderMap, name: &HeaderName) -> HeaderInput<'a> {
    HeaderInput::from_values(headers.get_all(name).map(HeaderValue::as_bytes))
}

/// Runs `f` on the request's parts. The `Access-Control-Request-Headers`
/// lines are collected into a fixed array on the stack; more lines than
/// it holds mark the request as overflowing (malformed).
pub(crate) fn with_parts<R>(headers: &HeaderMap, method: &Method, f: impl FnOnce(&RequestParts<'_>) -> R) -> R {
    let mut lines: [&[u8]; MAX_ACRH_LINES] = [&[]; MAX_ACRH_LINES];
    let mut count = 0;
    let mut overflow = false;
    for v in headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS) {
        if count == MAX_ACRH_LINES {
            overflow = true;
            break;
        }
        lines[count] = v.as_bytes();
        count += 1;
    }
    let parts = RequestParts {
        method: method.as_str().as_bytes(),
        origin: input(headers, &ORIGIN),
        request_method: input(headers, &ACCESS_CONTROL_REQUEST_METHOD),
        request_headers: &lines[..count],
        request_headers_overflow: overflow,
        request_private_network: input(headers, &ACRPN),
    };
    f(&parts)
}
