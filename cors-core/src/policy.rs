//! [`CorsPolicy`]: a checked policy compiled into lookup tables and
//! ready-made header values, built once and shared by every request.

use crate::config::PolicyConfig;
use crate::error::PolicyError;
use crate::origin::entry_to_string;
use crate::origin_set::OriginSet;
use crate::spec::{NameList, Origins, PolicySpec};
use crate::vary::VarySet;
use std::fmt;

/// Methods allowed by a policy that sets no `methods` and belongs to no
/// route: the CORS-safelisted ones.
pub const DEFAULT_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// How a compiled policy matches origins.
#[derive(Clone, Debug)]
pub(crate) enum OriginRule {
    Any,
    Reflect,
    Set(OriginSet),
}

/// The header values a policy can write, rendered once when the policy is
/// built. Framework adapters convert each into their own header-value type
/// once, at construction, never per request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderTexts {
    /// `Access-Control-Allow-Methods`
    pub allow_methods: String,
    /// `Access-Control-Allow-Headers`, when any header is allowed.
    pub allow_headers: Option<String>,
    /// `Access-Control-Expose-Headers`, when configured.
    pub expose_headers: Option<String>,
    /// `Access-Control-Max-Age`, when configured.
    pub max_age: Option<String>,
}

/// A checked, compiled CORS policy.
///
/// Build one at run time with [`CorsPolicy::builder`], at compile time with
/// `cors_actix::cors_policy!`, or from a config file with the `serde`
/// feature's `PolicyConfig`. Immutable, `Send + Sync`, cheap to share.
///
/// ```
/// use cors_core::CorsPolicy;
///
/// let policy = CorsPolicy::builder()
///     .origins(["https://app.example.com", "https://*.example.com"])
///     .credentials(true)
///     .allow_headers(["content-type"])
///     .build()?;
/// assert!(policy.allows_origin(b"https://shop.example.com"));
/// assert!(!policy.allows_origin(b"https://example.com.evil.io"));
/// # Ok::<(), cors_core::PolicyError>(())
/// ```
#[derive(Clone, Debug)]
pub struct CorsPolicy {
    pub(crate) spec: PolicySpec,
    pub(crate) origins: OriginRule,
    pub(crate) methods: NameList,
    pub(crate) allow_headers: NameList,
    pub(crate) texts: HeaderTexts,
    pub(crate) actual_vary: VarySet,
    pub(crate) preflight_vary: VarySet,
}

impl CorsPolicy {
    /// Starts a run-time policy; see [`PolicyBuilder`].
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// Checks a typed spec with every rule the builder and the `#[cors]`
    /// attribute apply — each value, each combination, `origins` present —
    /// and compiles it. `route_methods` are the methods of the route the
    /// policy belongs to: they are the allowed methods when the spec sets
    /// none (for a global policy pass `None`: the safelisted methods apply).
    ///
    /// A spec built by hand gets no shortcut:
    ///
    /// ```
    /// use cors_core::{CorsPolicy, OriginEntry, OriginPattern, Origins, PolicySpec, PortPattern, ProblemKind};
    /// use std::borrow::Cow;
    ///
    /// let every_dot_com = OriginEntry::Pattern(OriginPattern {
    ///     scheme: "https".into(),
    ///     subdomains: true,
    ///     host: "com".into(),
    ///     port: PortPattern::Default,
    /// });
    /// let spec = PolicySpec {
    ///     origins: Some(Origins::List(Cow::Owned(vec![every_dot_com]))),
    ///     credentials: Some(true),
    ///     ..PolicySpec::EMPTY
    /// };
    /// let err = CorsPolicy::from_spec(spec, None).unwrap_err();
    /// assert_eq!(err.problems()[0].kind, ProblemKind::OriginWildcardPublicSuffix);
    /// ```
    pub fn from_spec(spec: PolicySpec, route_methods: Option<&[&str]>) -> Result<CorsPolicy, PolicyError> {
        let spec = spec.validated(route_methods)?;
        Ok(Self::compile(spec, route_methods))
    }

    /// Compiles a checked spec into lookup tables and header values.
    fn compile(spec: PolicySpec, route_methods: Option<&[&str]>) -> CorsPolicy {
        let origins = match &spec.origins {
            Some(Origins::Any) => OriginRule::Any,
            Some(Origins::ReflectAnyDangerously) => OriginRule::Reflect,
            Some(Origins::List(entries)) => OriginRule::Set(OriginSet::new(entries)),
            None => OriginRule::Set(OriginSet::default()),
        };
        let methods = match (&spec.methods, route_methods) {
            (Some(m), _) => m.clone(),
            (None, Some(route)) => owned_list(route),
            (None, None) => owned_list(&DEFAULT_METHODS),
        };
        let empty = NameList { any: false, names: Default::default() };
        let allow_headers = spec.allow_headers.clone().unwrap_or(empty);
        let texts = HeaderTexts {
            allow_methods: render_list(&methods),
            allow_headers: (allow_headers.any || !allow_headers.names.is_empty()).then(|| render_list(&allow_headers)),
            expose_headers: spec.expose_headers.as_ref().map(render_list),
            max_age: spec.max_age.map(|s| s.to_string()),
        };
        let origin_dependent = !matches!(origins, OriginRule::Any);
        let mut actual_vary = VarySet::EMPTY;
        if origin_dependent {
            actual_vary = actual_vary.with(VarySet::ORIGIN);
        }
        let mut preflight_vary = VarySet::ORIGIN.with(VarySet::REQUEST_METHOD).with(VarySet::REQUEST_HEADERS);
        if spec.private_network == Some(true) {
            preflight_vary = preflight_vary.with(VarySet::REQUEST_PRIVATE_NETWORK);
        }
        CorsPolicy { spec, origins, methods, allow_headers, texts, actual_vary, preflight_vary }
    }

    /// The checked spec this policy was compiled from.
    pub fn spec(&self) -> &PolicySpec {
        &self.spec
    }

    /// The header values this policy writes.
    pub fn header_texts(&self) -> &HeaderTexts {
        &self.texts
    }

    /// Whether the route opted out of CORS (`off`).
    pub fn is_off(&self) -> bool {
        self.spec.off
    }

    /// Whether credentialed requests are allowed.
    pub fn credentials(&self) -> bool {
        self.spec.credentials == Some(true)
    }

    /// Whether Private Network Access preflights are answered.
    pub fn private_network(&self) -> bool {
        self.spec.private_network == Some(true)
    }

    /// Whether disallowed actual requests get a 403 without running the
    /// handler.
    pub fn rejects(&self) -> bool {
        self.spec.reject == Some(true)
    }

    /// Whether responses depend on the request's `Origin` (everything but
    /// `origins = "*"`), so they must carry `Vary: Origin`.
    pub fn varies_on_origin(&self) -> bool {
        !matches!(self.origins, OriginRule::Any)
    }

    /// The methods a preflight may ask for (the route's own ones when the
    /// spec sets none).
    pub fn allowed_methods(&self) -> &NameList {
        &self.methods
    }

    /// Whether a request's `Origin` value is allowed by the static
    /// `origins` (an [`OriginFn`](crate::OriginFn) needs the request: see
    /// [`allows_request_origin`](Self::allows_request_origin)).
    pub fn allows_origin(&self, origin: &[u8]) -> bool {
        match &self.origins {
            OriginRule::Any => true,
            // `decide` refuses to mirror `*` (it would read as a wildcard).
            OriginRule::Reflect => origin != b"*",
            OriginRule::Set(set) => set.contains(origin),
        }
    }

    /// Whether a request's `Origin` value is allowed, by the static
    /// `origins` or by the policy's [`OriginFn`](crate::OriginFn) asked
    /// about this request.
    pub fn allows_request_origin(&self, origin: &[u8], request: &dyn crate::RequestView) -> bool {
        self.allows_origin(origin) || self.origin_fn_allows(origin, request)
    }
}

fn owned_list(names: &[&str]) -> NameList {
    NameList { any: false, names: names.iter().map(|m| std::borrow::Cow::Owned(m.to_string())).collect() }
}

fn render_list(list: &NameList) -> String {
    let star = list.any.then_some("*");
    let names = list.names.iter().map(|n| n.as_ref());
    star.into_iter().chain(names).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for CorsPolicy {
    /// Renders the policy in the attribute's own syntax, for logs and
    /// introspection pages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.spec.off {
            return f.write_str("off");
        }
        let origins = match &self.spec.origins {
            Some(Origins::Any) => "\"*\"".to_owned(),
            Some(Origins::ReflectAnyDangerously) => "<any origin, reflected>".to_owned(),
            Some(Origins::List(l)) => quoted(l.iter().map(entry_to_string)),
            None => "[]".to_owned(),
        };
        write!(f, "origins = {origins}")?;
        if let Some(predicate) = &self.spec.origin_fn {
            write!(f, ", origin_fn = {}", predicate.name())?;
        }
        write!(f, ", methods = {}", quoted_list(&self.methods))?;
        if let Some(h) = &self.spec.allow_headers {
            write!(f, ", allow_headers = {}", quoted_list(h))?;
        }
        if let Some(h) = &self.spec.expose_headers {
            write!(f, ", expose_headers = {}", quoted_list(h))?;
        }
        if self.credentials() {
            f.write_str(", credentials = true")?;
        }
        if let Some(age) = self.spec.max_age {
            write!(f, ", max_age = {age}")?;
        }
        if self.private_network() {
            f.write_str(", private_network = true")?;
        }
        if self.rejects() {
            f.write_str(", reject = true")?;
        }
        if self.spec.allow_null_with_credentials == Some(true) {
            f.write_str(", allow_null_with_credentials = true")?;
        }
        if self.spec.allow_insecure_origins_with_credentials == Some(true) {
            f.write_str(", allow_insecure_origins_with_credentials = true")?;
        }
        Ok(())
    }
}

fn quoted(items: impl Iterator<Item = String>) -> String {
    let inner: Vec<String> = items.map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", inner.join(", "))
}

fn quoted_list(list: &NameList) -> String {
    let star = list.any.then(|| "*".to_owned());
    quoted(star.into_iter().chain(list.names.iter().map(|n| n.to_string())))
}

/// Builds a [`CorsPolicy`] at run time, e.g. from environment variables,
/// with the same keys and rules as the `#[cors]` attribute. Errors are
/// values: [`build`](Self::build) never panics.
///
/// ```
/// use cors_core::CorsPolicy;
///
/// let allowed = "https://a.example,https://b.example";   // e.g. std::env::var("ALLOWED_ORIGINS")
/// let policy = CorsPolicy::builder()
///     .origins(allowed.split(','))
///     .methods(["GET", "PUT"])
///     .credentials(true)
///     .max_age(600)
///     .build()?;
/// assert!(policy.allows_origin(b"https://b.example"));
///
/// let err = CorsPolicy::builder().origins(["*"]).credentials(true).build().unwrap_err();
/// assert!(err.to_string().contains("cannot be combined with `credentials`"));
/// # Ok::<(), cors_core::PolicyError>(())
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct PolicyBuilder {
    raw: PolicyConfig,
}

/// A list key's entries as the builder and a configuration file give
/// them: surrounding whitespace is not part of an entry, so
/// `"a, b".split(',')` works.
pub(crate) fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    items.into_iter().map(|s| s.as_ref().trim().to_owned()).collect()
}

/// Writes the builder's setters that store their argument as the key's
/// value: `fn key(arg: list);` takes any list of strings (trimmed by
/// [`strings`]), `fn key(arg: Type);` takes the value itself.
macro_rules! setters {
    () => {};
    ($(#[$doc:meta])* fn $key:ident($arg:ident: list); $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $key<I: IntoIterator<Item = S>, S: AsRef<str>>(mut self, $arg: I) -> Self {
            self.raw.$key = Some(strings($arg));
            self
        }
        setters!($($rest)*);
    };
    ($(#[$doc:meta])* fn $key:ident($arg:ident: $ty:ty); $($rest:tt)*) => {
        $(#[$doc])*
        pub fn $key(mut self, $arg: $ty) -> Self {
            self.raw.$key = Some($arg);
            self
        }
        setters!($($rest)*);
    };
}

impl PolicyBuilder {
    setters! {
        /// `origins`: `["*"]` alone for any origin, or exact origins and patterns.
        fn origins(origins: list);

        /// `methods` a preflight may ask for (`["*"]` for any, without credentials).
        fn methods(methods: list);

        /// `allow_headers`: request headers scripts may send (case-insensitive).
        fn allow_headers(headers: list);

        /// `expose_headers`: response headers scripts may read.
        fn expose_headers(headers: list);

        /// `credentials`: allow cookies and HTTP authentication.
        fn credentials(allow: bool);

        /// `max_age`: seconds a browser may cache a preflight answer (`0..=86400`).
        fn max_age(seconds: u64);

        /// `private_network`: answer Private Network Access preflights.
        fn private_network(allow: bool);

        /// `reject`: answer actual requests from disallowed origins with 403
        /// without running the handler.
        fn reject(reject: bool);

        /// `allow_null_with_credentials`: permits the origin `null` in a
        /// credentialed policy. Any sandboxed iframe, `data:` URL or `file:`
        /// page sends `null`, so this trusts all of them with your users'
        /// cookies; without it such a policy is refused.
        fn allow_null_with_credentials(allow: bool);

        /// `allow_insecure_origins_with_credentials`: permits plain `http://`
        /// origins other than loopback in a credentialed policy. Anyone on the
        /// network path can run script in such a page; without it such a
        /// policy is refused.
        fn allow_insecure_origins_with_credentials(allow: bool);

        /// `origin_fn`: a predicate asked about every origin the static
        /// `origins` refuse, with the request (see [`OriginFn`](crate::OriginFn)
        /// for the rules it runs under). `origins` may then be left unset.
        fn origin_fn(predicate: crate::OriginFn);
    }

    /// `off`: the route opts out of CORS entirely.
    pub fn off(mut self) -> Self {
        self.raw.off = true;
        self
    }

    /// Allows **every** origin by mirroring it back, even with credentials.
    ///
    /// Any web page on the internet can then make credentialed requests on
    /// behalf of your users and read the answers. This exists for the rare
    /// server whose responses hold nothing private; you almost certainly
    /// want an explicit list or a subdomain pattern instead.
    pub fn dangerously_reflect_any_origin(mut self) -> Self {
        self.raw.reflect_any_origin = true;
        self
    }

    /// Checks the keys set so far and returns them as a spec whose unset
    /// keys stay unset, to be merged over a global policy (a route policy).
    pub fn build_spec(&self) -> Result<PolicySpec, PolicyError> {
        self.raw.check()
    }

    /// Checks everything and compiles the policy. All problems are
    /// returned together.
    pub fn build(self) -> Result<CorsPolicy, PolicyError> {
        let spec = self.raw.check()?;
        CorsPolicy::from_spec(spec, None)
    }
}

impl From<CorsPolicy> for PolicySpec {
    /// The keys a compiled policy was built from, e.g. to use a full
    /// policy as a route policy.
    fn from(policy: CorsPolicy) -> PolicySpec {
        policy.spec
    }
}

impl From<&CorsPolicy> for PolicySpec {
    fn from(policy: &CorsPolicy) -> PolicySpec {
        policy.spec.clone()
    }
}
