//! The policy as data: what a user wrote, checked and typed, before it is
//! compiled into a [`CorsPolicy`](crate::CorsPolicy).
//!
//! Every type here can be built in a `static` from `'static` data (all fields
//! are public and hold [`Cow`]s), which is what the `#[cors]` attribute emits:
//! the macro parses and validates at compile time, the program only compiles
//! the already-typed data into lookup tables once, at start-up.

use crate::origin_fn::OriginFn;
use std::borrow::Cow;

/// Text that is either borrowed from the program (`'static`) or owned.
pub type Text = Cow<'static, str>;

/// The configuration keys, as written in `#[cors(...)]`, `cors_policy!` and
/// the builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyKey {
    /// `origins`
    Origins,
    /// `origin_fn`
    OriginFn,
    /// `methods`
    Methods,
    /// `allow_headers`
    AllowHeaders,
    /// `expose_headers`
    ExposeHeaders,
    /// `credentials`
    Credentials,
    /// `max_age`
    MaxAge,
    /// `private_network`
    PrivateNetwork,
    /// `reject`
    Reject,
    /// `off`
    Off,
    /// `allow_null_with_credentials`
    AllowNullWithCredentials,
    /// `allow_insecure_origins_with_credentials`
    AllowInsecureOriginsWithCredentials,
}

impl PolicyKey {
    /// Every key, in the order the documentation lists them.
    pub const ALL: [PolicyKey; 12] = [
        PolicyKey::Origins,
        PolicyKey::OriginFn,
        PolicyKey::Methods,
        PolicyKey::AllowHeaders,
        PolicyKey::ExposeHeaders,
        PolicyKey::Credentials,
        PolicyKey::MaxAge,
        PolicyKey::PrivateNetwork,
        PolicyKey::Reject,
        PolicyKey::Off,
        PolicyKey::AllowNullWithCredentials,
        PolicyKey::AllowInsecureOriginsWithCredentials,
    ];

    /// The key as the user writes it.
    pub const fn name(self) -> &'static str {
        match self {
            PolicyKey::Origins => "origins",
            PolicyKey::OriginFn => "origin_fn",
            PolicyKey::Methods => "methods",
            PolicyKey::AllowHeaders => "allow_headers",
            PolicyKey::ExposeHeaders => "expose_headers",
            PolicyKey::Credentials => "credentials",
            PolicyKey::MaxAge => "max_age",
            PolicyKey::PrivateNetwork => "private_network",
            PolicyKey::Reject => "reject",
            PolicyKey::Off => "off",
            PolicyKey::AllowNullWithCredentials => "allow_null_with_credentials",
            PolicyKey::AllowInsecureOriginsWithCredentials => "allow_insecure_origins_with_credentials",
        }
    }

    /// Looks a key up by the name the user wrote.
    pub fn from_name(name: &str) -> Option<PolicyKey> {
        PolicyKey::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl std::fmt::Display for PolicyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The port part of an origin pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortPattern {
    /// No port written: the scheme's default port, which browsers omit.
    Default,
    /// One explicit, non-default port.
    Fixed(u16),
    /// `:*` — any port, including the default one.
    Any,
}

/// An origin with a wildcard: `https://*.example.com` or `http://localhost:*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OriginPattern {
    /// The scheme, without `://` (`"https"`).
    pub scheme: Text,
    /// `true` for `*.` in front of [`host`](Self::host): one or more whole DNS
    /// labels, never the bare host itself.
    pub subdomains: bool,
    /// The host (or, with `subdomains`, the parent domain), lower-case.
    pub host: Text,
    /// The port rule.
    pub port: PortPattern,
}

/// One entry of the `origins` list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OriginEntry {
    /// A serialized origin, compared byte for byte (`https://app.example.com`).
    Exact(Text),
    /// A pattern with a wildcard subdomain and/or port.
    Pattern(OriginPattern),
    /// The opaque origin `null` (sandboxed iframes, `file:` pages); explicit
    /// opt-in only, since any sandboxed document can send it.
    Null,
}

/// The `origins` key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origins {
    /// `"*"`: any origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// An explicit list.
    List(Cow<'static, [OriginEntry]>),
    /// Any origin, mirrored back, even with credentials. Only reachable
    /// through [`PolicyBuilder::dangerously_reflect_any_origin`](crate::PolicyBuilder::dangerously_reflect_any_origin).
    ReflectAnyDangerously,
}

/// A list of methods or header names, possibly with the `*` wildcard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameList {
    /// `"*"` was given (alone or in the list).
    pub any: bool,
    /// The names given besides `*`, in the user's order. Header names are
    /// stored lower-case; methods exactly as written (they are case-sensitive).
    pub names: Cow<'static, [Text]>,
}

impl NameList {
    /// A list with the given names and no wildcard.
    pub const fn of(names: &'static [Text]) -> Self {
        NameList { any: false, names: Cow::Borrowed(names) }
    }

    /// The lone wildcard `*`.
    pub const ANY: NameList = NameList { any: true, names: Cow::Borrowed(&[]) };

    /// Whether `name` is in the explicit names (not counting `*`),
    /// ASCII-case-insensitively.
    pub fn contains_ignore_case(&self, name: &str) -> bool {
        self.names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

/// A checked policy whose keys may be unset (`None`), as written on a route
/// or on the global `Cors`. See [`PolicySpec::merged_over`] for how a
/// route's keys combine with the global ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicySpec {
    /// `origins`
    pub origins: Option<Origins>,
    /// `origin_fn`: a predicate asked about origins `origins` does not
    /// allow (see [`OriginFn`]).
    pub origin_fn: Option<OriginFn>,
    /// `methods`
    pub methods: Option<NameList>,
    /// `allow_headers` (names lower-case)
    pub allow_headers: Option<NameList>,
    /// `expose_headers` (names lower-case)
    pub expose_headers: Option<NameList>,
    /// `credentials`
    pub credentials: Option<bool>,
    /// `max_age` in seconds
    pub max_age: Option<u32>,
    /// `private_network`
    pub private_network: Option<bool>,
    /// `reject`
    pub reject: Option<bool>,
    /// `off`: the route opts out of CORS entirely.
    pub off: bool,
    /// `allow_null_with_credentials`: the origin `null` may be listed
    /// together with `credentials` (any sandboxed iframe or `data:` page
    /// sends `null`).
    pub allow_null_with_credentials: Option<bool>,
    /// `allow_insecure_origins_with_credentials`: plain `http://` origins
    /// other than loopback may be listed together with `credentials` (a
    /// network attacker can run script in them).
    pub allow_insecure_origins_with_credentials: Option<bool>,
}

impl PolicySpec {
    /// A spec with no key set.
    pub const EMPTY: PolicySpec = PolicySpec {
        origins: None,
        origin_fn: None,
        methods: None,
        allow_headers: None,
        expose_headers: None,
        credentials: None,
        max_age: None,
        private_network: None,
        reject: None,
        off: false,
        allow_null_with_credentials: None,
        allow_insecure_origins_with_credentials: None,
    };

    /// The spec of `#[cors(off)]`.
    pub const OFF: PolicySpec = PolicySpec { off: true, ..PolicySpec::EMPTY };

    /// Combines a route's spec (`self`) with the global one: every key the
    /// route sets wins, every other key is taken from `global`.
    ///
    /// `methods` is the exception: a route that does not set it allows its
    /// own method(s), so the global list is *not* inherited (it applies to
    /// routes without a policy of their own). A route with `off` stays off.
    pub fn merged_over(&self, global: &PolicySpec) -> PolicySpec {
        if self.off {
            return PolicySpec::OFF;
        }
        PolicySpec {
            origins: self.origins.clone().or_else(|| global.origins.clone()),
            origin_fn: self.origin_fn.clone().or_else(|| global.origin_fn.clone()),
            methods: self.methods.clone(),
            allow_headers: self.allow_headers.clone().or_else(|| global.allow_headers.clone()),
            expose_headers: self.expose_headers.clone().or_else(|| global.expose_headers.clone()),
            credentials: self.credentials.or(global.credentials),
            max_age: self.max_age.or(global.max_age),
            private_network: self.private_network.or(global.private_network),
            reject: self.reject.or(global.reject),
            off: false,
            allow_null_with_credentials: self.allow_null_with_credentials.or(global.allow_null_with_credentials),
            allow_insecure_origins_with_credentials: self
                .allow_insecure_origins_with_credentials
                .or(global.allow_insecure_origins_with_credentials),
        }
    }

    /// The keys this spec sets, in documentation order.
    pub fn keys_set(&self) -> impl Iterator<Item = PolicyKey> + '_ {
        PolicyKey::ALL.into_iter().filter(move |k| match k {
            PolicyKey::Origins => self.origins.is_some(),
            PolicyKey::OriginFn => self.origin_fn.is_some(),
            PolicyKey::Methods => self.methods.is_some(),
            PolicyKey::AllowHeaders => self.allow_headers.is_some(),
            PolicyKey::ExposeHeaders => self.expose_headers.is_some(),
            PolicyKey::Credentials => self.credentials.is_some(),
            PolicyKey::MaxAge => self.max_age.is_some(),
            PolicyKey::PrivateNetwork => self.private_network.is_some(),
            PolicyKey::Reject => self.reject.is_some(),
            PolicyKey::Off => self.off,
            PolicyKey::AllowNullWithCredentials => self.allow_null_with_credentials.is_some(),
            PolicyKey::AllowInsecureOriginsWithCredentials => self.allow_insecure_origins_with_credentials.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static ROUTE: PolicySpec = PolicySpec { credentials: Some(true), max_age: Some(10), ..PolicySpec::EMPTY };

    #[test]
    fn spec_can_live_in_a_static() {
        assert_eq!(ROUTE.credentials, Some(true));
    }

    #[test]
    fn route_keys_win_and_unset_keys_are_inherited() {
        let global = PolicySpec {
            origins: Some(Origins::Any),
            credentials: Some(false),
            max_age: Some(600),
            methods: Some(NameList::ANY),
            private_network: Some(true),
            ..PolicySpec::EMPTY
        };
        let merged = ROUTE.merged_over(&global);
        assert_eq!(merged.credentials, Some(true));
        assert_eq!(merged.max_age, Some(10));
        assert_eq!(merged.origins, Some(Origins::Any));
        assert_eq!(merged.private_network, Some(true));
        // methods are never inherited: the route allows its own method(s)
        assert_eq!(merged.methods, None);
    }

    #[test]
    fn off_route_stays_off_under_a_global_policy() {
        let global = PolicySpec { origins: Some(Origins::Any), ..PolicySpec::EMPTY };
        assert_eq!(PolicySpec::OFF.merged_over(&global), PolicySpec::OFF);
    }

    #[test]
    fn keys_round_trip_by_name() {
        for k in PolicyKey::ALL {
            assert_eq!(PolicyKey::from_name(k.name()), Some(k));
        }
        assert_eq!(PolicyKey::from_name("origin"), None);
    }
}
