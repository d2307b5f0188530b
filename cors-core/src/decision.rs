//! The decision: a pure function from a policy and a request's CORS-relevant
//! parts to what the server must do and which headers it must write.
//!
//! It allocates nothing: the request parts are borrowed byte slices, the
//! outcome is a small `Copy` value naming precomputed header values.

use crate::origin_fn::{MethodOnly, RequestOrigin};
use crate::policy::{CorsPolicy, OriginRule};
use crate::token::{is_safelisted_method, is_token};
use crate::vary::VarySet;
use std::fmt;

use crate::request::{HeaderInput, RequestKind, RequestParts, MAX_ACRH_BYTES, MAX_ACRH_ELEMENTS, MAX_ACRH_LINES};

/// What the request's headers were wrong about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Malformed {
    /// `Origin` sent more than once.
    RepeatedOrigin,
    /// `Access-Control-Request-Method` sent more than once.
    RepeatedRequestMethod,
    /// `Access-Control-Request-Method` is not a method token.
    InvalidRequestMethod,
    /// `Access-Control-Request-Headers` holds something that is not a
    /// header name.
    InvalidRequestHeaders,
    /// `Access-Control-Request-Headers` exceeds the line, byte or element cap.
    RequestHeadersTooLarge,
    /// `Access-Control-Request-Private-Network` is not `true`.
    InvalidRequestPrivateNetwork,
}

/// Why a request was refused. Logged, and sent to the
/// client only when the user turns a debug option on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// The `Origin` is not allowed.
    OriginNotAllowed,
    /// The requested method is not allowed.
    MethodNotAllowed,
    /// A requested header is not allowed.
    HeaderNotAllowed,
    /// Private Network Access was requested but is not allowed.
    PrivateNetworkNotAllowed,
    /// The route opted out of CORS (`off`).
    CorsDisabled,
    /// The CORS headers of the request are malformed.
    Malformed(Malformed),
}

impl Rejection {
    /// A short stable code, e.g. for logs and the debug body.
    pub const fn code(self) -> &'static str {
        match self {
            Rejection::OriginNotAllowed => "origin-not-allowed",
            Rejection::MethodNotAllowed => "method-not-allowed",
            Rejection::HeaderNotAllowed => "header-not-allowed",
            Rejection::PrivateNetworkNotAllowed => "private-network-not-allowed",
            Rejection::CorsDisabled => "cors-disabled",
            Rejection::Malformed(_) => "malformed-request",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rejection::OriginNotAllowed => "origin not allowed",
            Rejection::MethodNotAllowed => "method not allowed",
            Rejection::HeaderNotAllowed => "request header not allowed",
            Rejection::PrivateNetworkNotAllowed => "private network access not allowed",
            Rejection::CorsDisabled => "CORS is off for this route",
            Rejection::Malformed(Malformed::RepeatedOrigin) => "malformed request: Origin sent more than once",
            Rejection::Malformed(Malformed::RepeatedRequestMethod) => {
                "malformed request: Access-Control-Request-Method sent more than once"
            }
            Rejection::Malformed(Malformed::InvalidRequestMethod) => {
                "malformed request: Access-Control-Request-Method is not a method"
            }
            Rejection::Malformed(Malformed::InvalidRequestHeaders) => {
                "malformed request: Access-Control-Request-Headers is not a list of header names"
            }
            Rejection::Malformed(Malformed::RequestHeadersTooLarge) => {
                "malformed request: Access-Control-Request-Headers is too large"
            }
            Rejection::Malformed(Malformed::InvalidRequestPrivateNetwork) => {
                "malformed request: Access-Control-Request-Private-Network is not `true`"
            }
        })
    }
}

/// The `Access-Control-Allow-Origin` to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AllowOrigin {
    /// None.
    #[default]
    Omit,
    /// `*`
    Any,
    /// The request's own `Origin`, byte for byte.
    Mirror,
}

/// The headers to add to a response. Values come from the policy's
/// [`HeaderTexts`](crate::HeaderTexts) (or the request's `Origin` for
/// [`AllowOrigin::Mirror`]); nothing is formatted per request.
/// [`Plan::write`] writes them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// `Access-Control-Allow-Origin`
    pub allow_origin: AllowOrigin,
    /// `Access-Control-Allow-Credentials: true`
    pub allow_credentials: bool,
    /// `Access-Control-Allow-Methods`
    pub allow_methods: bool,
    /// `Access-Control-Allow-Headers`
    pub allow_headers: bool,
    /// `Access-Control-Max-Age`
    pub max_age: bool,
    /// `Access-Control-Allow-Private-Network: true`
    pub allow_private_network: bool,
    /// `Access-Control-Expose-Headers`
    pub expose_headers: bool,
    /// Names to merge into `Vary`.
    pub vary: VarySet,
}

impl Plan {
    /// Adds nothing.
    pub const EMPTY: Plan = Plan {
        allow_origin: AllowOrigin::Omit,
        allow_credentials: false,
        allow_methods: false,
        allow_headers: false,
        max_age: false,
        allow_private_network: false,
        expose_headers: false,
        vary: VarySet::EMPTY,
    };

    /// Whether the plan writes any `Access-Control-*` header.
    pub fn has_cors_headers(&self) -> bool {
        self.allow_origin != AllowOrigin::Omit
            || self.allow_credentials
            || self.allow_methods
            || self.allow_headers
            || self.max_age
            || self.allow_private_network
            || self.expose_headers
    }
}

/// What to do with a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Not a CORS request: run the handler, add `plan` (possibly `Vary`, or
    /// `Access-Control-Allow-Origin: *` for an any-origin policy).
    NotCors(Plan),
    /// Answer the preflight with 204 and `plan`; the handler never runs.
    PreflightAccepted(Plan),
    /// Answer the preflight with 403 and no `Access-Control-*` header
    /// (`plan` only carries `Vary`).
    PreflightRejected(Rejection, Plan),
    /// Run the handler and add `plan` to its response.
    ActualAllowed(Plan),
    /// The origin is not allowed. With `reject`, answer 403 without running
    /// the handler; otherwise run it and add only `plan` (`Vary`).
    ActualDisallowed {
        /// Why.
        rejection: Rejection,
        /// `Vary` only.
        plan: Plan,
        /// `reject = true`: do not run the handler.
        reject: bool,
    },
}

impl Decision {
    /// The headers to add.
    pub fn plan(&self) -> &Plan {
        match self {
            Decision::NotCors(p)
            | Decision::PreflightAccepted(p)
            | Decision::PreflightRejected(_, p)
            | Decision::ActualAllowed(p)
            | Decision::ActualDisallowed { plan: p, .. } => p,
        }
    }

    /// The refusal reason, if refused.
    pub fn rejection(&self) -> Option<Rejection> {
        match self {
            Decision::PreflightRejected(r, _) | Decision::ActualDisallowed { rejection: r, .. } => Some(*r),
            _ => None,
        }
    }
}

impl CorsPolicy {
    /// Decides what to do with a request, by the Fetch standard's CORS protocol
    /// (<https://fetch.spec.whatwg.org/#http-cors-protocol>).
    ///
    /// ```
    /// use cors_core::{CorsPolicy, Decision, RequestParts, AllowOrigin};
    ///
    /// let policy = CorsPolicy::builder()
    ///     .origins(["https://app.example"])
    ///     .methods(["PUT"])
    ///     .allow_headers(["content-type"])
    ///     .build()?;
    /// let preflight = RequestParts::new(b"OPTIONS")
    ///     .origin(b"https://app.example")
    ///     .request_method(b"PUT")
    ///     .request_headers(&[b"Content-Type"]);
    /// let Decision::PreflightAccepted(plan) = policy.decide(&preflight) else { panic!() };
    /// assert_eq!(plan.allow_origin, AllowOrigin::Mirror);
    /// assert!(plan.allow_methods && plan.allow_headers);
    /// # Ok::<(), cors_core::PolicyError>(())
    /// ```
    pub fn decide(&self, req: &RequestParts<'_>) -> Decision {
        let kind = req.kind();
        if self.is_off() {
            return match kind {
                RequestKind::Preflight => Decision::PreflightRejected(Rejection::CorsDisabled, Plan::EMPTY),
                _ => Decision::NotCors(Plan::EMPTY),
            };
        }
        match kind {
            RequestKind::NotCors => Decision::NotCors(self.not_cors_plan()),
            RequestKind::Preflight => self.decide_preflight(req),
            RequestKind::Actual => self.decide_actual(req),
        }
    }

    fn not_cors_plan(&self) -> Plan {
        // Fetch, "CORS protocol and HTTP caches": a response that does not
        // depend on the Origin may be `*` for everyone; otherwise even the
        // non-CORS answer must say it varies on Origin.
        // A `*` answer may be cached and reused for a CORS request, so it
        // carries the exposed headers too, or the cached copy would hide
        // them from that request's page.
        let any = matches!(self.origins, OriginRule::Any);
        let allow_origin = if any { AllowOrigin::Any } else { AllowOrigin::Omit };
        let expose_headers = any && self.texts.expose_headers.is_some();
        Plan { allow_origin, expose_headers, vary: self.actual_vary, ..Plan::EMPTY }
    }

    fn allow_origin(&self, req: &RequestParts<'_>) -> Result<AllowOrigin, Rejection> {
        let origin = match req.origin {
            HeaderInput::One(o) => o,
            HeaderInput::Many => return Err(Rejection::Malformed(Malformed::RepeatedOrigin)),
            HeaderInput::Absent => return Err(Rejection::OriginNotAllowed),
        };
        match &self.origins {
            OriginRule::Any => Ok(AllowOrigin::Any),
            // Mirroring `*` would answer `Access-Control-Allow-Origin: *`,
            // which next to credentials the Fetch standard's "CORS protocol and
            // credentials" rules out (a credentialed response never says `*`);
            // no browser sends it, so refusing costs nothing.
            OriginRule::Reflect if origin == b"*" => Err(Rejection::OriginNotAllowed),
            OriginRule::Reflect => Ok(AllowOrigin::Mirror),
            OriginRule::Set(set) if set.contains(origin) => Ok(AllowOrigin::Mirror),
            OriginRule::Set(_) if self.spec.origin_fn.is_some() && self.asks_origin_fn(origin, req) => {
                Ok(AllowOrigin::Mirror)
            }
            OriginRule::Set(_) => Err(Rejection::OriginNotAllowed),
        }
    }

    #[cold]
    fn asks_origin_fn(&self, origin: &[u8], req: &RequestParts<'_>) -> bool {
        match req.view {
            Some(view) => self.origin_fn_allows(origin, view),
            None => self.origin_fn_allows(origin, &MethodOnly(std::str::from_utf8(req.method).unwrap_or(""))),
        }
    }

    /// The policy's [`OriginFn`](crate::OriginFn), asked about an origin
    /// the static list refused, under the rules a listed origin follows:
    /// only a serialized origin (never `null`), and with credentials no
    /// plain `http://` one off loopback unless the policy opts in.
    pub(crate) fn origin_fn_allows(&self, origin: &[u8], request: &dyn crate::RequestView) -> bool {
        let Some(predicate) = &self.spec.origin_fn else { return false };
        let Some(origin) = RequestOrigin::parse(origin) else { return false };
        let insecure = origin.scheme() == "http" && !origin.is_loopback();
        if insecure && self.credentials() && self.spec.allow_insecure_origins_with_credentials != Some(true) {
            return false;
        }
        predicate.allows(&origin, request)
    }

    fn decide_actual(&self, req: &RequestParts<'_>) -> Decision {
        match self.allow_origin(req) {
            Ok(allow_origin) => Decision::ActualAllowed(Plan {
                allow_origin,
                allow_credentials: self.credentials(),
                expose_headers: self.texts.expose_headers.is_some(),
                vary: self.actual_vary,
                ..Plan::EMPTY
            }),
            Err(rejection) => Decision::ActualDisallowed {
                rejection,
                plan: Plan { vary: self.actual_vary, ..Plan::EMPTY },
                reject: self.rejects(),
            },
        }
    }

    // Out of line: the actual-request path stays small.
    #[inline(never)]
    fn decide_preflight(&self, req: &RequestParts<'_>) -> Decision {
        let reject = |r| Decision::PreflightRejected(r, Plan { vary: self.preflight_vary, ..Plan::EMPTY });
        let allow_origin = match self.allow_origin(req) {
            Ok(a) => a,
            Err(r) => return reject(r),
        };
        let method = match req.request_method {
            HeaderInput::One(m) if is_token(m) => m,
            HeaderInput::One(_) => return reject(Rejection::Malformed(Malformed::InvalidRequestMethod)),
            _ => return reject(Rejection::Malformed(Malformed::RepeatedRequestMethod)),
        };
        // Methods are case-sensitive (Fetch normalizes only the six
        // standard ones, so `patch` stays `patch`).
        if !self.methods.any && !self.methods.names.iter().any(|n| n.as_bytes() == method) {
            return reject(Rejection::MethodNotAllowed);
        }
        let headers_requested = match self.check_request_headers(req) {
            Ok(requested) => requested,
            Err(r) => return reject(r),
        };
        let private_network = match req.request_private_network {
            HeaderInput::Absent => false,
            HeaderInput::One(b"true") if self.private_network() => true,
            HeaderInput::One(b"true") => return reject(Rejection::PrivateNetworkNotAllowed),
            _ => return reject(Rejection::Malformed(Malformed::InvalidRequestPrivateNetwork)),
        };
        Decision::PreflightAccepted(Plan {
            allow_origin,
            allow_credentials: self.credentials(),
            allow_methods: !is_safelisted_method(method),
            allow_headers: headers_requested,
            max_age: self.texts.max_age.is_some(),
            allow_private_network: private_network,
            expose_headers: false,
            vary: self.preflight_vary,
        })
    }

    /// Checks every requested header name; returns whether any was
    /// requested. Work is bounded by the line, byte and element caps, so a
    /// hostile header costs no more than a large normal one.
    fn check_request_headers(&self, req: &RequestParts<'_>) -> Result<bool, Rejection> {
        let too_large = Rejection::Malformed(Malformed::RequestHeadersTooLarge);
        let lines = req.request_headers;
        if req.request_headers_overflow || lines.len() > MAX_ACRH_LINES {
            return Err(too_large);
        }
        if lines.iter().map(|l| l.len()).sum::<usize>() > MAX_ACRH_BYTES {
            return Err(too_large);
        }
        let mut elements = 0usize;
        let mut requested = false;
        for line in lines {
            for name in line.split(|b| *b == b',') {
                elements += 1;
                if elements > MAX_ACRH_ELEMENTS {
                    return Err(too_large);
                }
                let name = name.trim_ascii();
                if name.is_empty() {
                    continue;
                }
                if !is_token(name) {
                    return Err(Rejection::Malformed(Malformed::InvalidRequestHeaders));
                }
                requested = true;
                if !self.allows_header(name) {
                    return Err(Rejection::HeaderNotAllowed);
                }
            }
        }
        Ok(requested)
    }

    /// Fetch, CORS-preflight fetch step 7.7: `*` never covers
    /// `authorization` (a "CORS non-wildcard request-header name"), which
    /// must be listed by name.
    fn allows_header(&self, name: &[u8]) -> bool {
        let listed = self.allow_headers.names.iter().any(|n| n.as_bytes().eq_ignore_ascii_case(name));
        listed || (self.allow_headers.any && !name.eq_ignore_ascii_case(b"authorization"))
    }
}
