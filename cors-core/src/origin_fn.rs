//! Request-aware origin checks: an [`OriginFn`] predicate, consulted when
//! the static `origins` of a policy do not allow a request's `Origin`.
//!
//! The predicate sees the origin, already checked to be a serialized
//! origin as browsers send it ([`RequestOrigin`]), and a framework-neutral
//! view of the request ([`RequestView`]). Its answer is asked again for
//! every request: it is never cached, and every answer that depends on it
//! carries `Vary: Origin`.

use crate::spec::Text;
use std::any::Any;
use std::fmt;
use std::sync::Arc;

/// A request's `Origin`, checked to be an origin in the form the URL
/// standard serializes it to (`scheme://host[:port]`, what browsers send),
/// split into its parts.
///
/// ```
/// use cors_core::RequestOrigin;
///
/// let origin = RequestOrigin::parse(b"https://shop.tenant.example:8443").unwrap();
/// assert_eq!((origin.scheme(), origin.host(), origin.port()), ("https", "shop.tenant.example", Some(8443)));
/// assert!(RequestOrigin::parse(b"null").is_none());
/// assert!(RequestOrigin::parse(b"https://a.example/").is_none());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestOrigin<'a> {
    text: &'a str,
    scheme_len: usize,
    host_len: usize,
    port: Option<u16>,
}

impl<'a> RequestOrigin<'a> {
    /// Parses an `Origin` value. `None` for `null` (an opaque origin has
    /// no parts), for anything that is not a URL, and for a URL that is not
    /// its own origin's serialization (a path, a default port, upper-case
    /// letters: browsers never send those).
    pub fn parse(value: &'a [u8]) -> Option<RequestOrigin<'a>> {
        let text = std::str::from_utf8(value).ok()?;
        let url = url::Url::parse(text).ok()?;
        let origin = url.origin();
        if !origin.is_tuple() || origin.ascii_serialization() != text {
            return None;
        }
        let scheme_len = url.scheme().len();
        let host_len = url.host_str()?.len();
        Some(RequestOrigin { text, scheme_len, host_len, port: url.port() })
    }

    /// The whole origin, as sent: `https://shop.tenant.example:8443`.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The scheme, without `://`: `https`.
    pub fn scheme(&self) -> &'a str {
        &self.text[..self.scheme_len]
    }

    /// The host: a lower-case domain (punycode for non-ASCII names), an
    /// IPv4 address, or an IPv6 address in brackets (`[::1]`).
    pub fn host(&self) -> &'a str {
        let start = self.scheme_len + "://".len();
        &self.text[start..start + self.host_len]
    }

    /// The port, when it is not the scheme's default one (browsers omit a
    /// default port).
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// Whether the host is a loopback one: `localhost` and its subdomains,
    /// `127.0.0.0/8` or `[::1]`.
    pub fn is_loopback(&self) -> bool {
        crate::validate::is_loopback_host(self.host())
    }
}

impl fmt::Display for RequestOrigin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// The request an [`OriginFn`] is asked about, as any framework can
/// present it. Framework adapters implement it for their request type.
pub trait RequestView {
    /// The method, as sent (`GET`, `PUT`, …).
    fn method(&self) -> &str;
    /// The path, without the query (`/api/orders`).
    fn path(&self) -> &str;
    /// The first value of a header, by name (case-insensitive), as bytes.
    fn header(&self, name: &str) -> Option<&[u8]>;
    /// The framework's own request value, for adapters that hand their
    /// users the native type (`cors-actix` passes actix's `RequestHead`).
    fn native(&self) -> Option<&dyn Any> {
        None
    }
}

impl fmt::Debug for dyn RequestView + '_ {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestView").field("method", &self.method()).field("path", &self.path()).finish()
    }
}

/// The view of a request whose caller gave no [`RequestView`]: its method
/// only.
pub(crate) struct MethodOnly<'a>(pub(crate) &'a str);

impl RequestView for MethodOnly<'_> {
    fn method(&self) -> &str {
        self.0
    }
    fn path(&self) -> &str {
        ""
    }
    fn header(&self, _: &str) -> Option<&[u8]> {
        None
    }
}

/// The signature of an origin predicate.
pub type OriginPredicate = dyn Fn(&RequestOrigin<'_>, &dyn RequestView) -> bool + Send + Sync;

/// An origin predicate with a name, the `origin_fn` key of a policy.
///
/// It is consulted only when the static `origins` refuse a request's
/// `Origin`, and only for an origin in serialized form (never for `null`,
/// which must be listed to be allowed). With `credentials`, it is not
/// consulted for plain `http://` origins other than loopback, unless the
/// policy sets `allow_insecure_origins_with_credentials`: the rules a
/// listed origin must follow hold for a computed one too. An origin it
/// allows is mirrored (`Access-Control-Allow-Origin` is never `*`).
///
/// ```
/// use cors_core::{CorsPolicy, Decision, OriginFn, RequestParts};
///
/// let tenants = ["acme", "globex"];
/// let policy = CorsPolicy::builder()
///     .origins(["https://app.example"])
///     .origin_fn(OriginFn::new("tenant subdomains", move |origin, _request| {
///         origin.scheme() == "https"
///             && origin.host().strip_suffix(".tenants.example").is_some_and(|t| tenants.contains(&t))
///     }))
///     .credentials(true)
///     .build()?;
/// let from = |origin: &'static [u8]| policy.decide(&RequestParts::new(b"GET").origin(origin));
/// assert!(matches!(from(b"https://app.example"), Decision::ActualAllowed(_)));
/// assert!(matches!(from(b"https://acme.tenants.example"), Decision::ActualAllowed(_)));
/// assert!(matches!(from(b"https://initech.tenants.example"), Decision::ActualDisallowed { .. }));
/// # Ok::<(), cors_core::PolicyError>(())
/// ```
#[derive(Clone)]
pub struct OriginFn {
    name: Text,
    call: Call,
}

#[derive(Clone)]
enum Call {
    Static(&'static OriginPredicate),
    Shared(Arc<OriginPredicate>),
}

impl OriginFn {
    /// A predicate built at run time; `name` shows in logs and
    /// introspection (`origin_fn = <name>`).
    pub fn new<F>(name: impl Into<Text>, predicate: F) -> OriginFn
    where
        F: Fn(&RequestOrigin<'_>, &dyn RequestView) -> bool + Send + Sync + 'static,
    {
        OriginFn { name: name.into(), call: Call::Shared(Arc::new(predicate)) }
    }

    /// A predicate that is a function item, usable in a `static` (what
    /// `origin_fn = path` in the attribute emits).
    pub const fn from_static(name: &'static str, predicate: &'static OriginPredicate) -> OriginFn {
        OriginFn { name: Text::Borrowed(name), call: Call::Static(predicate) }
    }

    /// The predicate's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Asks the predicate.
    pub fn allows(&self, origin: &RequestOrigin<'_>, request: &dyn RequestView) -> bool {
        match &self.call {
            Call::Static(f) => f(origin, request),
            Call::Shared(f) => f(origin, request),
        }
    }
}

impl fmt::Debug for OriginFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OriginFn({})", self.name)
    }
}

impl PartialEq for OriginFn {
    /// Two predicates are equal when they have the same name and are the
    /// same value: the same shared closure, or function items of the same
    /// name (a function item has no address to compare).
    fn eq(&self, other: &OriginFn) -> bool {
        self.name == other.name
            && match (&self.call, &other.call) {
                (Call::Static(_), Call::Static(_)) => true,
                (Call::Shared(a), Call::Shared(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Eq for OriginFn {}

// A predicate is a pure question about one request; a policy holding one
// stays usable across `catch_unwind` like every other policy value, as it
// was before predicates existed.
impl std::panic::UnwindSafe for OriginFn {}
impl std::panic::RefUnwindSafe for OriginFn {}
