//! The messages of the model: header lines, the page's request, the requests
//! the browser puts on the wire, and the server's responses.

use super::engine::Engine;
use std::fmt::{self, Write as _};

/// The builder methods of a message with `headers` and `body` fields:
/// `header` appends a line (as `headers.append(name, value)` would) and
/// `body` replaces the body.
macro_rules! header_list_builders {
    () => {
        /// Adds a header line after the others.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
            self.headers.push(Header::new(name, value));
            self
        }

        /// Sets the body.
        pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
            self.body = body.into();
            self
        }
    };
}

/// The readers of a message's `headers` field, by the header list rules of
/// [`values`] and [`get`].
macro_rules! header_list_readers {
    () => {
        /// The values of every line named `name`, in order, without
        /// surrounding whitespace.
        pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
            values(&self.headers, name)
        }

        /// The value of `name`, several lines joined with `, ` (Fetch, "get"
        /// a header), or `None`.
        pub fn get(&self, name: &str) -> Option<Vec<u8>> {
            get(&self.headers, name)
        }
    };
}

/// One header line: a name (compared case-insensitively) and its value.
///
/// A header may appear several times in a list; each line is one `Header`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Header {
    /// The name, as written.
    pub name: String,
    /// The value bytes.
    pub value: Vec<u8>,
}

impl Header {
    /// A header line.
    ///
    /// ```
    /// use cors_core::browser::Header;
    ///
    /// let h = Header::new("Content-Type", "text/plain");
    /// assert!(h.is_named("content-type"));
    /// assert_eq!(h.value, b"text/plain");
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        Header { name: name.into(), value: value.into() }
    }

    /// Whether the line is named `name`, ignoring ASCII case.
    pub fn is_named(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

/// The request's credentials mode (Fetch, "request's credentials mode").
///
/// Only [`Credentials::Include`] changes the CORS rules: the page's request
/// is cross-origin, so `same-origin` sends no cookies either.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Credentials {
    /// `omit`: never send cookies or HTTP authentication.
    Omit,
    /// `same-origin`, the `fetch()` default: credentials only for the page's
    /// own origin, so none on a cross-origin request.
    #[default]
    SameOrigin,
    /// `include` (`fetch(url, { credentials: "include" })`,
    /// `xhr.withCredentials = true`): the response must name the page's
    /// origin and say `Access-Control-Allow-Credentials: true`.
    Include,
}

impl Credentials {
    /// Whether the mode is `include`.
    pub const fn is_include(self) -> bool {
        matches!(self, Credentials::Include)
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credentials::Omit => "omit",
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        })
    }
}

/// What a script on a page asks for: a cross-origin `fetch()`.
///
/// The model assumes the target is on another origin (request mode `cors`);
/// it does not compare `url` with `origin`. Redirects and the preflight cache
/// are not modelled: every exchange starts fresh.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrowserRequest {
    /// The page's origin, serialized as browsers send it in `Origin`
    /// (`https://app.example`, `http://localhost:8080`, or `null` for an
    /// opaque origin).
    pub origin: String,
    /// The method the script passed, before normalization.
    pub method: String,
    /// The target, passed through untouched to the requests sent (a path or
    /// an absolute URL, whatever the sender understands).
    pub url: String,
    /// The headers the script set, in order.
    pub headers: Vec<Header>,
    /// The request body (sent with the actual request only).
    pub body: Vec<u8>,
    /// The credentials mode.
    pub credentials: Credentials,
    /// The target is on a more private network than the page (Private
    /// Network Access): the browser sends a preflight with
    /// `Access-Control-Request-Private-Network: true` even for a simple
    /// request.
    pub private_network: bool,
    /// Whose rules decide: the Fetch standard (the default) or an engine
    /// that departs from it (see [`Engine`]).
    pub engine: Engine,
}

impl BrowserRequest {
    /// A request from a page at `origin` with no headers, no body and the
    /// default credentials mode.
    ///
    /// ```
    /// use cors_core::browser::{BrowserRequest, Credentials};
    ///
    /// let req = BrowserRequest::new("https://app.example", "PUT", "/orders")
    ///     .header("Content-Type", "application/json")
    ///     .body(r#"{"qty":1}"#)
    ///     .credentials(Credentials::Include);
    /// assert_eq!(req.headers.len(), 1);
    /// ```
    pub fn new(origin: impl Into<String>, method: impl Into<String>, url: impl Into<String>) -> Self {
        BrowserRequest {
            origin: origin.into(),
            method: method.into(),
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            credentials: Credentials::default(),
            private_network: false,
            engine: Engine::Standard,
        }
    }

    header_list_builders!();

    /// Sets the credentials mode.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// Marks the target as more private than the page (Private Network
    /// Access).
    pub fn private_network(mut self, more_private: bool) -> Self {
        self.private_network = more_private;
        self
    }

    /// Decides by `engine`'s rules instead of the Fetch standard's.
    ///
    /// ```
    /// use cors_core::browser::{classify_request, BrowserRequest, Engine};
    ///
    /// // Two 64-byte Accept lines: 130 bytes once joined with `, `.
    /// let req = BrowserRequest::new("https://app.example", "GET", "/items")
    ///     .header("Accept", "a".repeat(64))
    ///     .header("Accept", "b".repeat(64));
    /// assert!(!classify_request(&req)?.needs_preflight);
    /// assert!(classify_request(&req.clone().engine(Engine::Chromium))?.needs_preflight);
    /// # Ok::<(), cors_core::browser::Blocked>(())
    /// ```
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }
}

/// A request the browser puts on the wire: the preflight or the actual
/// request. The model builds these and a driver sends them, so they are
/// read through methods and cannot be put together inconsistently (a
/// preflight with credentials or a body).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingRequest {
    pub(crate) preflight: bool,
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) headers: Vec<Header>,
    pub(crate) body: Vec<u8>,
    pub(crate) with_credentials: bool,
}

impl OutgoingRequest {
    /// This is the `OPTIONS` preflight.
    pub fn is_preflight(&self) -> bool {
        self.preflight
    }

    /// The method, already normalized.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The target, copied from [`BrowserRequest::url`].
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The header lines, names lower-case.
    pub fn headers(&self) -> &[Header] {
        &self.headers
    }

    /// The body (always empty for a preflight).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Cookies and HTTP authentication would be attached: the actual
    /// request in credentials mode `include`. Never set on a preflight,
    /// which is always sent without credentials.
    pub fn with_credentials(&self) -> bool {
        self.with_credentials
    }

    header_list_readers!();
}

/// A response as the browser receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The header lines, in order; a name may appear several times.
    pub headers: Vec<Header>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with no headers and an empty body.
    ///
    /// ```
    /// use cors_core::browser::Response;
    ///
    /// let res = Response::new(204)
    ///     .header("Access-Control-Allow-Methods", "PUT")
    ///     .header("access-control-allow-methods", "PATCH");
    /// assert_eq!(res.get("Access-Control-Allow-Methods").unwrap(), b"PUT, PATCH");
    /// ```
    pub fn new(status: u16) -> Self {
        Response { status, headers: Vec::new(), body: Vec::new() }
    }

    header_list_builders!();

    header_list_readers!();

    /// Whether the status is an ok status (Fetch: 200 to 299).
    pub fn is_ok_status(&self) -> bool {
        (200..=299).contains(&self.status)
    }
}

/// Fetch's HTTP whitespace bytes: tab, LF, CR and space.
pub(crate) const fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
}

/// Strips leading and trailing HTTP whitespace (Fetch, "normalize" a
/// header value).
pub(crate) fn trim_http_whitespace(value: &[u8]) -> &[u8] {
    let start = value.iter().position(|b| !is_http_whitespace(*b)).unwrap_or(value.len());
    let end = value.iter().rposition(|b| !is_http_whitespace(*b)).map_or(start, |i| i + 1);
    &value[start..end]
}

/// The values of every line named `name`; surrounding whitespace is not
/// part of a field value (RFC 9110 §5.5), so it is dropped.
pub(crate) fn values<'a>(headers: &'a [Header], name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
    headers.iter().filter(move |h| h.is_named(name)).map(|h| trim_http_whitespace(&h.value))
}

/// Fetch, "get" a header from a header list: every value joined with `, `.
pub(crate) fn get(headers: &[Header], name: &str) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for v in values(headers, name) {
        match &mut out {
            None => out = Some(v.to_vec()),
            Some(joined) => {
                joined.extend_from_slice(b", ");
                joined.extend_from_slice(v);
            }
        }
    }
    out
}

/// Bytes shown in a message: printable ASCII as is, anything else as `\xNN`.
pub(crate) fn show(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if (0x20..0x7f).contains(&b) {
            s.push(char::from(b));
        } else {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_joins_lines_and_trims_each_value() {
        let res = Response::new(200).header("Vary", " Origin ").header("x-other", "1").header("VARY", "Accept\t");
        assert_eq!(res.get("vary").unwrap(), b"Origin, Accept");
        assert_eq!(res.values("Vary").collect::<Vec<_>>(), [&b"Origin"[..], b"Accept"]);
        assert_eq!(res.get("absent"), None);
        assert_eq!(res.get("x-other").unwrap(), b"1");
    }

    #[test]
    fn ok_status_is_200_to_299() {
        for (status, ok) in [(199, false), (200, true), (204, true), (299, true), (300, false), (403, false)] {
            assert_eq!(Response::new(status).is_ok_status(), ok, "{status}");
        }
    }

    #[test]
    fn trimming_and_showing_bytes() {
        assert_eq!(trim_http_whitespace(b" \t a b \r\n"), b"a b");
        assert_eq!(trim_http_whitespace(b" \t "), b"");
        assert_eq!(show(b"a\"b\x00\xff"), "a\"b\\x00\\xff");
    }
}
