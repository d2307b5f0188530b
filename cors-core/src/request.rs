//! A request as CORS sees it: the few headers the decision reads, borrowed
//! from the request, and how they classify it (Fetch standard, "CORS
//! protocol": a CORS request has an `Origin`; a preflight is `OPTIONS` with
//! `Access-Control-Request-Method`).

/// At most this many `Access-Control-Request-Headers` lines are read; more
/// make the preflight malformed. Browsers send one.
pub const MAX_ACRH_LINES: usize = 8;
/// At most this many bytes of `Access-Control-Request-Headers` (all lines
/// together) are read; more make the preflight malformed.
pub const MAX_ACRH_BYTES: usize = 4096;
/// At most this many comma-separated elements are read.
pub const MAX_ACRH_ELEMENTS: usize = 64;

use crate::origin_fn::RequestView;

/// A request header as the decision sees it: absent, present once, or
/// present several times (which for `Origin` and
/// `Access-Control-Request-Method` makes the request malformed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderInput<'a> {
    /// Not sent.
    Absent,
    /// Sent once, with these bytes.
    One(&'a [u8]),
    /// Sent more than once.
    Many,
}

impl<'a> HeaderInput<'a> {
    /// Builds the input from an iterator over a header's values.
    pub fn from_values<I: IntoIterator<Item = &'a [u8]>>(values: I) -> Self {
        let mut it = values.into_iter();
        match (it.next(), it.next()) {
            (None, _) => HeaderInput::Absent,
            (Some(v), None) => HeaderInput::One(v),
            (Some(_), Some(_)) => HeaderInput::Many,
        }
    }

    pub(crate) fn is_present(self) -> bool {
        !matches!(self, HeaderInput::Absent)
    }
}

/// The parts of a request that CORS looks at, borrowed from the request.
#[derive(Clone, Copy, Debug)]
pub struct RequestParts<'a> {
    /// The request method, as sent (case-sensitive).
    pub method: &'a [u8],
    /// `Origin`
    pub origin: HeaderInput<'a>,
    /// `Access-Control-Request-Method`
    pub request_method: HeaderInput<'a>,
    /// Every `Access-Control-Request-Headers` line, up to
    /// [`MAX_ACRH_LINES`].
    pub request_headers: &'a [&'a [u8]],
    /// The request had more `Access-Control-Request-Headers` lines than the
    /// caller collected into `request_headers`.
    pub request_headers_overflow: bool,
    /// `Access-Control-Request-Private-Network`
    pub request_private_network: HeaderInput<'a>,
    /// `Sec-Fetch-Site: same-origin`: the browser says the page that sent
    /// the request has the server's own origin. Browsers send `Origin` on
    /// same-origin `POST`s too; such a request is not cross-origin.
    pub same_origin: bool,
    /// The request as an [`OriginFn`](crate::OriginFn) sees it; without
    /// one, the predicate sees the method alone.
    pub view: Option<&'a dyn RequestView>,
}

impl<'a> RequestParts<'a> {
    /// A request with the given method and no CORS headers.
    pub const fn new(method: &'a [u8]) -> Self {
        RequestParts {
            method,
            origin: HeaderInput::Absent,
            request_method: HeaderInput::Absent,
            request_headers: &[],
            request_headers_overflow: false,
            request_private_network: HeaderInput::Absent,
            same_origin: false,
            view: None,
        }
    }

    /// Sets `Origin`.
    pub const fn origin(mut self, origin: &'a [u8]) -> Self {
        self.origin = HeaderInput::One(origin);
        self
    }

    /// Sets `Access-Control-Request-Method`.
    pub const fn request_method(mut self, method: &'a [u8]) -> Self {
        self.request_method = HeaderInput::One(method);
        self
    }

    /// Sets the `Access-Control-Request-Headers` lines.
    pub const fn request_headers(mut self, lines: &'a [&'a [u8]]) -> Self {
        self.request_headers = lines;
        self
    }

    /// Marks the request as sent with `Sec-Fetch-Site: same-origin`.
    pub const fn same_origin(mut self, same_origin: bool) -> Self {
        self.same_origin = same_origin;
        self
    }

    /// Sets the request an [`OriginFn`](crate::OriginFn) is asked about.
    pub const fn view(mut self, view: &'a dyn RequestView) -> Self {
        self.view = Some(view);
        self
    }

    /// Sets `Access-Control-Request-Private-Network`.
    pub const fn request_private_network(mut self, value: &'a [u8]) -> Self {
        self.request_private_network = HeaderInput::One(value);
        self
    }

    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`
    /// is a preflight; any other request with an `Origin` is an actual
    /// CORS request, unless the browser says it is same-origin
    /// (`Sec-Fetch-Site`, which scripts cannot set; Fetch Metadata Request
    /// Headers, <https://w3c.github.io/webappsec-fetch-metadata/>); one
    /// without an `Origin` is not CORS at all.
    pub fn kind(&self) -> RequestKind {
        if !self.origin.is_present() {
            RequestKind::NotCors
        } else if self.method == b"OPTIONS" && self.request_method.is_present() {
            RequestKind::Preflight
        } else if self.same_origin {
            RequestKind::NotCors
        } else {
            RequestKind::Actual
        }
    }
}

/// How a request is classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// No `Origin`.
    NotCors,
    /// A CORS preflight.
    Preflight,
    /// A CORS request that runs the handler.
    Actual,
}
