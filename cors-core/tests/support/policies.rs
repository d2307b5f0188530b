//! Random policies, valid by construction, for the property tests.

use cors_core::{CorsPolicy, PolicyConfig, PolicyError};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::subsequence;
use std::fmt;

/// Exact origins, subdomain patterns, any-port patterns and `null`.
pub const ORIGIN_ENTRIES: &[&str] = &[
    "https://app.example",
    "http://localhost:3000",
    "https://a.example:8443",
    "http://127.0.0.1:8080",
    "http://[::1]:3000",
    "https://*.example.com",
    "https://*.a.example:8443",
    "http://localhost:*",
    "http://[::1]:*",
    "https://*.b.example:*",
    "null",
];
/// Standard, extension and lower-case methods, and the wildcard.
pub const METHODS: &[&str] =
    &["GET", "HEAD", "POST", "PUT", "PATCH", "patch", "DELETE", "PURGE", "OPTIONS", "M-SEARCH", "*"];
pub const ALLOW_HEADERS: &[&str] = &["content-type", "X-Request-ID", "authorization", "Accept", "x-custom", "*"];
pub const EXPOSE_HEADERS: &[&str] = &["x-request-id", "content-length", "x-secret", "*"];
/// The methods of the route a policy belongs to (`None`: a global policy).
pub const ROUTE_METHODS: &[&str] = &["GET", "PUT", "patch", "DELETE", "PURGE"];

#[derive(Clone, Debug)]
pub enum OriginsInput {
    Any,
    Reflect,
    List(Vec<&'static str>),
}

/// A policy as written, and the route it belongs to.
#[derive(Clone, Debug)]
pub struct PolicyInput {
    pub raw: PolicyConfig,
    pub route: Option<Vec<&'static str>>,
}

impl PolicyInput {
    pub fn build(&self) -> Result<CorsPolicy, PolicyError> {
        let spec = match &self.route {
            Some(route) => self.raw.check_route(route)?,
            None => self.raw.check()?,
        };
        CorsPolicy::from_spec(spec, self.route.as_deref())
    }
}

pub fn names(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Option<Vec<String>>> {
    option::of(subsequence(pool, 1..=max).prop_map(|v| v.into_iter().map(str::to_owned).collect()))
}

pub fn policy_input() -> impl Strategy<Value = PolicyInput> {
    let origins = prop_oneof![
        2 => Just(OriginsInput::Any),
        1 => Just(OriginsInput::Reflect),
        7 => subsequence(ORIGIN_ENTRIES, 1..=4).prop_map(OriginsInput::List),
    ];
    let lists = (origins, names(METHODS, 4), names(ALLOW_HEADERS, 3), names(EXPOSE_HEADERS, 2));
    // The scalar keys, as a policy with nothing else set.
    let flags =
        (option::of(any::<bool>()), option::of(0u64..=86_400), option::of(any::<bool>()), option::of(any::<bool>()))
            .prop_map(|(credentials, max_age, private_network, reject)| PolicyConfig {
                credentials,
                max_age,
                private_network,
                reject,
                ..PolicyConfig::default()
            });
    let route = option::weighted(0.25, subsequence(ROUTE_METHODS, 1..=2));
    let opt_ins = (option::of(any::<bool>()), option::of(any::<bool>()));
    let on = (lists, flags, route, opt_ins).prop_map(|(lists, flags, route, opt_ins)| {
        let (origins, methods, allow_headers, expose_headers) = lists;
        let (origins, reflect_any_origin) = match origins {
            OriginsInput::Any => (Some(vec!["*".to_owned()]), false),
            OriginsInput::Reflect => (None, true),
            OriginsInput::List(l) => (Some(l.into_iter().map(str::to_owned).collect()), false),
        };
        let raw = PolicyConfig {
            origins,
            reflect_any_origin,
            methods,
            allow_headers,
            expose_headers,
            allow_null_with_credentials: opt_ins.0,
            allow_insecure_origins_with_credentials: opt_ins.1,
            ..flags
        };
        PolicyInput { raw, route }
    });
    let off = Just(PolicyInput { raw: PolicyConfig { off: true, ..PolicyConfig::default() }, route: None });
    prop_oneof![30 => on, 1 => off]
}

/// A compiled policy; shown in failures in the attribute's syntax.
#[derive(Clone)]
pub struct Policy {
    pub policy: CorsPolicy,
    pub route: Option<Vec<&'static str>>,
}

impl fmt::Debug for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#[cors({})] on a route with methods {:?}", self.policy, self.route)
    }
}

/// The policies validation accepts; the refused ones (credentials with a
/// `*`, `methods` excluding the route's own method) are filtered out.
pub fn valid_policy() -> impl Strategy<Value = Policy> {
    policy_input().prop_filter_map("refused by validation", |input| {
        input.build().ok().map(|policy| Policy { policy, route: input.route })
    })
}
