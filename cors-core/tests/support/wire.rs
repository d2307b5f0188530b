//! Random requests as the server sees them (hostile bytes included), for
//! the property tests.

use crate::policies::*;
use cors_core::{CorsPolicy, HeaderInput, RequestParts};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use std::fmt;

/// Bytes shown escaped in failures.
#[derive(Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// Origins a browser may send: ones the building blocks allow and near
/// misses (whole-label lookalikes, other scheme or port, case, slash).
pub const SENT_ORIGINS: &[&str] = &[
    "https://app.example",
    "https://evil.example",
    "https://app.example.evil.io",
    "http://app.example",
    "https://APP.example",
    "https://app.example/",
    "http://localhost:3000",
    "http://localhost",
    "http://localhost:8080",
    "https://localhost:3000",
    "https://a.example:8443",
    "https://a.example",
    "http://127.0.0.1:8080",
    "http://127.0.0.1:8081",
    "http://[::1]:3000",
    "http://[::1]:4000",
    "http://[::1]",
    "https://x.example.com",
    "https://x.y.example.com",
    "https://example.com",
    "https://evilexample.com",
    "https://example.com.evil.io",
    "http://x.example.com",
    "https://x.example.com:8443",
    "https://z.a.example:8443",
    "https://z.a.example",
    "https://q.b.example",
    "https://q.b.example:9000",
    "https://b.example",
    "null",
];

#[path = "fragments.rs"]
mod fragments;
pub use fragments::FRAGMENTS;

/// Arbitrary bytes, or fragments of real values glued with arbitrary bytes.
pub fn hostile() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![select(FRAGMENTS).prop_map(<[u8]>::to_vec), any::<u8>().prop_map(|b| vec![b])];
    prop_oneof![vec(any::<u8>(), 0..40), vec(piece, 0..10).prop_map(|parts| parts.concat())]
}

pub fn one_of(pool: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    select(pool).prop_map(|s| s.as_bytes().to_vec())
}

#[derive(Clone, Debug)]
pub enum Input {
    Absent,
    One(Bytes),
    Many,
}

impl Input {
    pub fn header(&self) -> HeaderInput<'_> {
        match self {
            Input::Absent => HeaderInput::Absent,
            Input::One(b) => HeaderInput::One(&b.0),
            Input::Many => HeaderInput::Many,
        }
    }
}

pub fn input(value: impl Strategy<Value = Vec<u8>>) -> impl Strategy<Value = Input> {
    prop_oneof![1 => Just(Input::Absent), 1 => Just(Input::Many), 6 => value.prop_map(|v| Input::One(Bytes(v)))]
}

/// `Access-Control-Request-Headers` lines as browsers send them, and
/// hostile ones: commas, whitespace, control bytes, over the caps.
pub fn acrh_line() -> impl Strategy<Value = Vec<u8>> {
    const LINES: &[&str] = &[
        "content-type",
        "content-type,x-request-id",
        "X-Request-ID, content-type",
        "authorization",
        "Authorization,x-custom",
        "accept,x-custom",
        "x-unknown",
        "content-type ,\tx-request-id",
        " , ",
        "",
    ];
    const BYTES: &[u8] = b"aX-, \t,\r\n\0\xff:*";
    prop_oneof![
        4 => one_of(LINES),
        2 => hostile(),
        2 => vec(select(BYTES), 0..40),
        1 => Just(b"x-a,".repeat(1100)),
        1 => Just(b"a,".repeat(70)),
    ]
}

/// The CORS-relevant parts of a request on the wire.
#[derive(Clone, Debug)]
pub struct WireRequest {
    pub method: Bytes,
    pub origin: Input,
    pub request_method: Input,
    pub request_headers: Vec<Bytes>,
    pub overflow: bool,
    pub private_network: Input,
}

impl WireRequest {
    pub fn with_parts<T>(&self, f: impl FnOnce(&RequestParts<'_>) -> T) -> T {
        let lines: Vec<&[u8]> = self.request_headers.iter().map(|l| l.0.as_slice()).collect();
        let parts = RequestParts {
            method: &self.method.0,
            origin: self.origin.header(),
            request_method: self.request_method.header(),
            request_headers: &lines,
            request_headers_overflow: self.overflow,
            request_private_network: self.private_network.header(),
            same_origin: false,
            view: None,
        };
        f(&parts)
    }
}

/// Values a policy allows, so that requests drawn half from them and half
/// from the fixed pools reach the accepted outcomes as often as the
/// refusals.
#[derive(Clone, Debug, Default)]
pub struct Allowed {
    pub origins: Vec<&'static str>,
    pub methods: Vec<String>,
    /// (name, a value that makes it CORS-unsafe)
    pub headers: Vec<(String, String)>,
}

impl Allowed {
    pub fn of(policy: &CorsPolicy) -> Self {
        let origins = SENT_ORIGINS.iter().copied().filter(|o| policy.allows_origin(o.as_bytes())).collect();
        // Each allowed method, and its near misses in another case
        // (`patch` for `PATCH`), which must not match.
        let mut methods: Vec<String> = Vec::new();
        for m in policy.allowed_methods().names.iter() {
            for variant in [m.to_string(), m.to_ascii_lowercase(), m.to_ascii_uppercase()] {
                if !methods.contains(&variant) {
                    methods.push(variant);
                }
            }
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        if let Some(list) = &policy.spec().allow_headers {
            for name in list.names.iter() {
                let value = match name.as_ref() {
                    "content-type" => "application/json",
                    "accept" => "a\"b",
                    _ => "1",
                };
                headers.push((name.to_string(), value.to_owned()));
            }
            if list.any {
                headers.push(("X-Anything".to_owned(), "1".to_owned()));
            }
        }
        Allowed { origins, methods, headers }
    }
}

/// `fallback`, or half the time one of `allowed` (when there is one).
pub fn or_allowed<T>(fallback: impl Strategy<Value = T> + 'static, allowed: Vec<T>) -> BoxedStrategy<T>
where
    T: Clone + fmt::Debug + 'static,
{
    if allowed.is_empty() {
        fallback.boxed()
    } else {
        prop_oneof![fallback, select(allowed)].boxed()
    }
}

pub fn bytes_of<S: AsRef<str>>(values: &[S]) -> Vec<Vec<u8>> {
    values.iter().map(|v| v.as_ref().as_bytes().to_vec()).collect()
}

pub fn wire_request(allowed: Allowed) -> impl Strategy<Value = WireRequest> {
    const SENT_METHODS: &[&str] =
        &["GET", "HEAD", "POST", "PUT", "PATCH", "patch", "Patch", "DELETE", "PURGE", "OPTIONS", "M-SEARCH", "get"];
    let method = prop_oneof![4 => Just(b"OPTIONS".to_vec()), 3 => one_of(SENT_METHODS), 1 => hostile()];
    // Values no browser sends as an origin, but other clients may.
    const ODD_ORIGINS: &[&str] =
        &["*", "", "https://app.example, https://evil.example", "https://app.example ", "https://*.example.com"];
    let origin = prop_oneof![3 => one_of(SENT_ORIGINS), 1 => one_of(ODD_ORIGINS), 2 => hostile()];
    let origin = input(or_allowed(origin, bytes_of(&allowed.origins)));
    let request_method = prop_oneof![3 => one_of(SENT_METHODS), 1 => hostile()];
    let request_method = input(or_allowed(request_method, bytes_of(&allowed.methods)));
    let names: Vec<String> = allowed.headers.iter().map(|(n, _)| n.clone()).collect();
    let line = if names.is_empty() {
        acrh_line().boxed()
    } else {
        let n = names.len();
        let listed = subsequence(names, 1..=n).prop_map(|v| v.join(",").into_bytes());
        prop_oneof![acrh_line(), listed].boxed()
    };
    let lines = prop_oneof![8 => vec(line.clone(), 0..=3), 1 => vec(line.clone(), 7..=10)];
    let private_network = prop_oneof![
        5 => Just(Input::Absent),
        3 => Just(Input::One(Bytes(b"true".to_vec()))),
        1 => Just(Input::Many),
        1 => Just(Input::One(Bytes(b"TRUE".to_vec()))),
        1 => hostile().prop_map(|b| Input::One(Bytes(b))),
    ];
    let any_request = (method, origin, request_method, lines, proptest::bool::weighted(0.03), private_network)
        .prop_map(|(method, origin, request_method, lines, overflow, private_network)| WireRequest {
            method: Bytes(method),
            origin,
            request_method,
            request_headers: lines.into_iter().map(Bytes).collect(),
            overflow,
            private_network,
        });
    // A well-formed preflight, as a browser sends it.
    let origin = or_allowed(one_of(SENT_ORIGINS), bytes_of(&allowed.origins));
    let request_method = or_allowed(one_of(SENT_METHODS), bytes_of(&allowed.methods));
    let private_network = prop_oneof![3 => Just(Input::Absent), 1 => Just(Input::One(Bytes(b"true".to_vec())))];
    let preflight = (origin, request_method, vec(line, 0..=1), private_network).prop_map(
        |(origin, request_method, lines, private_network)| WireRequest {
            method: Bytes(b"OPTIONS".to_vec()),
            origin: Input::One(Bytes(origin)),
            request_method: Input::One(Bytes(request_method)),
            request_headers: lines.into_iter().map(Bytes).collect(),
            overflow: false,
            private_network,
        },
    );
    prop_oneof![2 => any_request, 1 => preflight]
}

/// A valid policy and a request on the wire, drawn partly from what the
/// policy allows.
pub fn policy_and_wire_request() -> impl Strategy<Value = (Policy, WireRequest)> {
    valid_policy().prop_flat_map(|policy| {
        let allowed = Allowed::of(&policy.policy);
        (Just(policy), wire_request(allowed))
    })
}
