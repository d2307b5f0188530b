//! Tokens, methods and header names: the character rules of RFC 9110 and
//! the Fetch standard's lists of forbidden and safelisted names.

/// `tchar` of RFC 9110 §5.6.2: the bytes a method or header name may hold.
pub const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
        | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// [`is_tchar`] for every byte, so [`is_token`] costs one load per byte
/// (it runs on every requested header name of every preflight).
const TCHAR: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_tchar(b as u8);
        b += 1;
    }
    table
};

/// Whether `s` is a non-empty token.
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|b| TCHAR[usize::from(*b)])
}

/// Methods whose case browsers normalize to upper-case (Fetch, "normalize"
/// a method). A lower-case `get` in a policy can never match.
pub const NORMALIZED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Fetch's CORS-safelisted methods: they never need to be in
/// `Access-Control-Allow-Methods`.
pub fn is_safelisted_method(m: &[u8]) -> bool {
    matches!(m, b"GET" | b"HEAD" | b"POST")
}

/// Fetch's forbidden methods (`CONNECT`, `TRACE`, `TRACK`, any case):
/// `fetch()` throws before sending them.
pub fn is_forbidden_method(m: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"].iter().any(|f| f.eq_ignore_ascii_case(m))
}

/// Fetch's forbidden request-header names: a script can never set them, so
/// a browser never lists them in `Access-Control-Request-Headers`.
const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "access-control-request-private-network",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

/// Whether a (lower-case) header name is a forbidden request-header name,
/// including the `proxy-` and `sec-` prefixes.
pub fn is_forbidden_request_header(lower: &str) -> bool {
    FORBIDDEN_REQUEST_HEADERS.contains(&lower) || lower.starts_with("proxy-") || lower.starts_with("sec-")
}

/// Fetch's forbidden response-header names: never readable by scripts.
pub fn is_forbidden_response_header(lower: &str) -> bool {
    lower == "set-cookie" || lower == "set-cookie2"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token(b"x-request-id"));
        assert!(is_token(b"PURGE"));
        for bad in [&b""[..], b"a b", b"a,b", b"a:b", b"\xff", b"caf\xc3\xa9"] {
            assert!(!is_token(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_token_table_is_rfc_9110_tchar_for_every_byte() {
        let specials = b"!#$%&'*+-.^_`|~";
        for b in 0..=255u8 {
            let want = b.is_ascii_alphanumeric() || specials.contains(&b);
            assert_eq!(is_token(&[b]), want, "byte {b:#04x}");
            assert_eq!(is_token(&[b'a', b, b'z']), want, "byte {b:#04x} inside a name");
        }
    }

    #[test]
    fn forbidden_names() {
        assert!(is_forbidden_method("connect") && is_forbidden_method("TRACE") && is_forbidden_method("Track"));
        assert!(!is_forbidden_method("PURGE"));
        for h in ["cookie", "host", "origin", "content-length", "sec-fetch-mode", "proxy-authorization"] {
            assert!(is_forbidden_request_header(h), "{h}");
        }
        assert!(!is_forbidden_request_header("authorization"));
        assert!(!is_forbidden_request_header("x-secret"));
        assert!(is_forbidden_response_header("set-cookie") && !is_forbidden_response_header("x-set-cookie"));
    }

    #[test]
    fn safelisted_methods_are_case_sensitive() {
        assert!(is_safelisted_method(b"GET") && is_safelisted_method(b"POST"));
        assert!(!is_safelisted_method(b"get") && !is_safelisted_method(b"PUT"));
    }
}
