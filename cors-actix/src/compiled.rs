//! A [`CorsPolicy`] with its header values converted to actix's
//! `HeaderValue` once, at construction, and the code that writes a
//! [`Plan`] onto a response without formatting anything per request.

use actix_web::dev::RequestHead;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use cors_core::{AllowOrigin, CorsHeader, CorsPolicy, Decision, HeaderSink, Plan, RequestParts, VarySet};

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

#[cold]
fn is_same_origin_request(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(SEC_FETCH_SITE);
    matches!((values.next(), values.next()), (Some(v), None) if v.as_bytes() == b"same-origin")
}

const ALLOW_PRIVATE_NETWORK: HeaderName = HeaderName::from_static("access-control-allow-private-network");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const STAR: HeaderValue = HeaderValue::from_static("*");

/// A [`CorsPolicy`] with its header values as actix `HeaderValue`s, made
/// once per policy (the name says which framework it is ready for).
#[derive(Clone, Debug)]
pub(crate) struct ActixPolicy {
    pub(crate) policy: CorsPolicy,
    allow_methods: HeaderValue,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
    /// `Vary` values for every subset of the four names, indexed by
    /// [`VarySet::bits`].
    vary: [HeaderValue; 16],
}

fn header_value(text: &str) -> HeaderValue {
    // Policy texts are built from validated tokens, digits, `*` and `, `,
    // all visible ASCII; an empty value is the harmless fallback.
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

impl ActixPolicy {
    pub(crate) fn new(policy: CorsPolicy) -> Self {
        let texts = policy.header_texts();
        // Static texts: cloning one per response copies a pointer instead
        // of counting a shared reference (two atomic operations).
        let vary = std::array::from_fn(|bits| HeaderValue::from_static(VarySet::from_bits(bits as u8).as_str()));
        ActixPolicy {
            allow_methods: header_value(&texts.allow_methods),
            allow_headers: texts.allow_headers.as_deref().map(header_value),
            expose_headers: texts.expose_headers.as_deref().map(header_value),
            max_age: texts.max_age.as_deref().map(header_value),
            vary,
            policy,
        }
    }

    pub(crate) fn decide(&self, head: &RequestHead) -> Decision {
        crate::request::with_parts(head, |parts: &RequestParts<'_>, _| self.decide_request(parts, &head.headers))
    }

    /// The decision, and for a refused actual request the second look a
    /// same-origin request gets: browsers send `Origin` on same-origin
    /// `POST`s, with `Sec-Fetch-Site: same-origin` (scripts cannot set
    /// it); such a request is not cross-origin, so it is neither refused
    /// nor given CORS headers. Only refused requests pay for the lookup:
    /// an allowed same-origin request keeps the headers, which its own
    /// page ignores.
    #[inline]
    fn decide_request(&self, parts: &RequestParts<'_>, headers: &HeaderMap) -> Decision {
        let decision = self.policy.decide(parts);
        if matches!(decision, Decision::ActualDisallowed { .. }) && is_same_origin_request(headers) {
            return self.policy.decide(&parts.same_origin(true));
        }
        decision
    }

    /// Decides, and returns the request's `Origin` value when the answer
    /// mirrors it (the only case [`apply`](Self::apply) needs it), saving
    /// a second header lookup and a clone on every other request.
    #[inline]
    pub(crate) fn decide_with_origin(&self, head: &RequestHead) -> (Decision, Option<HeaderValue>) {
        crate::request::with_parts(head, |parts: &RequestParts<'_>, origin| {
            let decision = self.decide_request(parts, &head.headers);
            let mirror = decision.plan().allow_origin == AllowOrigin::Mirror;
            (decision, if mirror { origin.cloned() } else { None })
        })
    }

    /// Writes the plan's headers with cors-core's one writer
    /// ([`Plan::write`]): the handler's own CORS headers are removed first
    /// (not on `off` routes) and `Vary` is merged into one line.
    #[inline]
    pub(crate) fn apply(&self, plan: &Plan, origin: Option<&HeaderValue>, headers: &mut HeaderMap) {
        plan.write(&self.policy, &mut ResponseHeaders { policy: self, origin, headers });
    }
}

/// actix's `HeaderMap` as the writer's sink, with this policy's
/// precomputed values: setting a header copies a `HeaderValue`.
struct ResponseHeaders<'a> {
    policy: &'a ActixPolicy,
    origin: Option<&'a HeaderValue>,
    headers: &'a mut HeaderMap,
}

impl HeaderSink for ResponseHeaders<'_> {
    #[inline]
    fn names(&self) -> impl Iterator<Item = &str> {
        self.headers.keys().map(HeaderName::as_str)
    }

    #[inline]
    fn is_empty(&self) -> bool {
        self.headers.is_empty()
    }

    #[cold]
    fn remove(&mut self, name: &str) {
        log::debug!(
            target: "cors_actix",
            "removed the handler's own `{name}` header: the CORS layer writes the route's CORS headers"
        );
        self.headers.remove(name);
    }

    #[inline]
    fn set(&mut self, header: CorsHeader) {
        let p = self.policy;
        let value = match header {
            CorsHeader::AllowAnyOrigin => STAR,
            CorsHeader::AllowRequestOrigin => match self.origin {
                Some(o) => o.clone(),
                None => return,
            },
            CorsHeader::AllowCredentials | CorsHeader::AllowPrivateNetwork => TRUE,
            CorsHeader::AllowMethods => p.allow_methods.clone(),
            CorsHeader::AllowHeaders => match &p.allow_headers {
                Some(v) => v.clone(),
                None => return,
            },
            CorsHeader::MaxAge => match &p.max_age {
                Some(v) => v.clone(),
                None => return,
            },
            CorsHeader::ExposeHeaders => match &p.expose_headers {
                Some(v) => v.clone(),
                None => return,
            },
        };
        self.headers.insert(cors_header_name(header), value);
    }

    #[inline]
    fn vary_lines(&self) -> impl Iterator<Item = &[u8]> {
        self.headers.get_all(header::VARY).map(HeaderValue::as_bytes)
    }

    #[inline]
    fn insert_vary(&mut self, names: VarySet) {
        // There is no `Vary` yet: `append` costs less than `insert`, which
        // looks for a value to replace (about 100 instructions per response).
        self.headers.append(header::VARY, self.policy.vary[names.bits() as usize].clone());
    }

    #[cold]
    fn replace_vary(&mut self, line: &[u8], added: VarySet) {
        match HeaderValue::from_bytes(line) {
            Ok(merged) => {
                self.headers.insert(header::VARY, merged);
            }
            // Unreachable (joined header values stay valid); a second line
            // is still correct HTTP.
            Err(_) => self.headers.append(header::VARY, self.policy.vary[added.bits() as usize].clone()),
        }
    }
}

#[inline]
fn cors_header_name(header: CorsHeader) -> HeaderName {
    match header {
        CorsHeader::AllowAnyOrigin | CorsHeader::AllowRequestOrigin => header::ACCESS_CONTROL_ALLOW_ORIGIN,
        CorsHeader::AllowCredentials => header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        CorsHeader::AllowMethods => header::ACCESS_CONTROL_ALLOW_METHODS,
        CorsHeader::AllowHeaders => header::ACCESS_CONTROL_ALLOW_HEADERS,
        CorsHeader::MaxAge => header::ACCESS_CONTROL_MAX_AGE,
        CorsHeader::AllowPrivateNetwork => ALLOW_PRIVATE_NETWORK,
        CorsHeader::ExposeHeaders => header::ACCESS_CONTROL_EXPOSE_HEADERS,
    }
}
