//! A [`CorsPolicy`] with its header values converted to actix's
//! `HeaderValue` once, at construction, and the code that writes a
//! [`Plan`] onto a response without formatting anything per request.

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use cors_core::{AllowOrigin, CorsPolicy, Decision, Plan, RequestParts, VarySet};

const SEC_FETCH_SITE: HeaderName = HeaderName::from_static("sec-fetch-site");

#[cold]
fn same_origin(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(SEC_FETCH_SITE);
    matches!((values.next(), values.next()), (Some(v), None) if v.as_bytes() == b"same-origin")
}

const ACAPN: HeaderName = HeaderName::from_static("access-control-allow-private-network");
const TRUE: HeaderValue = HeaderValue::from_static("true");
const STAR: HeaderValue = HeaderValue::from_static("*");

/// A policy plus ready-made actix header values.
#[derive(Clone, Debug)]
pub(crate) struct CompiledPolicy {
    pub(crate) policy: CorsPolicy,
    allow_methods: HeaderValue,
    allow_headers: Option<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
    /// `Vary` values for every subset of the four names, indexed by
    /// [`VarySet::bits`].
    vary: [HeaderValue; 16],
}

fn value(text: &str) -> HeaderValue {
    // Policy texts are built from validated tokens, digits, `*` and `, `,
    // all visible ASCII; an empty value is the harmless fallback.
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

impl CompiledPolicy {
    pub(crate) fn new(policy: CorsPolicy) -> Self {
        let texts = policy.header_texts();
        // Static texts: cloning one per response copies a pointer instead
        // of counting a shared reference (two atomic operations).
        let vary = std::array::from_fn(|bits| HeaderValue::from_static(VarySet::from_bits(bits as u8).as_str()));
        CompiledPolicy {
            allow_methods: value(&texts.allow_methods),
            allow_headers: texts.allow_headers.as_deref().map(value),
            expose_headers: texts.expose_headers.as_deref().map(value),
            max_age: texts.max_age.as_deref().map(value),
            vary,
            policy,
        }
    }

    pub(crate) fn decide(&self, headers: &HeaderMap, method: &actix_web::http::Method) -> Decision {
        crate::request::with_parts(headers, method, |parts: &RequestParts<'_>, _| self.decide_parts(parts, headers))
    }

    /// The decision, and for a refused actual request the second look a
    /// same-origin request gets: browsers send `Origin` on same-origin
    /// `POST`s, with `Sec-Fetch-Site: same-origin` (scripts cannot set
    /// it); such a request is not cross-origin, so it is neither refused
    /// nor given CORS headers. Only refused requests pay for the lookup:
    /// an allowed same-origin request keeps the headers, which its own
    /// page ignores.
    #[inline]
    fn decide_parts(&self, parts: &RequestParts<'_>, headers: &HeaderMap) -> Decision {
        let decision = self.policy.decide(parts);
        if matches!(decision, Decision::ActualDisallowed { .. }) && same_origin(headers) {
            return self.policy.decide(&parts.same_origin(true));
        }
        decision
    }

    /// Decides, and returns the request's `Origin` value when the answer
    /// mirrors it (the only case [`apply`](Self::apply) needs it), saving
    /// a second header lookup and a clone on every other request.
    #[inline]
    pub(crate) fn decide_with_origin(
        &self,
        headers: &HeaderMap,
        method: &actix_web::http::Method,
    ) -> (Decision, Option<HeaderValue>) {
        crate::request::with_parts(headers, method, |parts: &RequestParts<'_>, origin| {
            let decision = self.decide_parts(parts, headers);
            let mirror = decision.plan().allow_origin == AllowOrigin::Mirror;
            (decision, if mirror { origin.cloned() } else { None })
        })
    }

    /// Writes the plan's headers. This layer owns the route's CORS, so it
    /// is the only writer of the `Access-Control-*` response headers: the
    /// handler's own are removed first (on `off` routes, which have no CORS
    /// of their own, they are left alone), so a response carries exactly
    /// the plan's — one ACAO at most — whatever the handler did. `Vary` is
    /// merged with the handler's own into one line.
    #[inline]
    pub(crate) fn apply(&self, plan: &Plan, origin: Option<&HeaderValue>, headers: &mut HeaderMap) {
        if !self.policy.is_off() && !headers.is_empty() && headers.keys().any(is_owned_header) {
            remove_handler_cors_headers(headers);
        }
        self.write(plan, origin, headers);
    }

    /// [`apply`](Self::apply) for a response this crate built itself (a
    /// preflight answer or a refusal): no handler headers to look for.
    #[inline]
    pub(crate) fn apply_own(&self, plan: &Plan, origin: Option<&HeaderValue>, headers: &mut HeaderMap) {
        self.write(plan, origin, headers);
    }

    #[inline]
    fn write(&self, plan: &Plan, origin: Option<&HeaderValue>, headers: &mut HeaderMap) {
        match (plan.allow_origin, origin) {
            (AllowOrigin::Any, _) => {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, STAR);
            }
            (AllowOrigin::Mirror, Some(o)) => {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
            }
            _ => {}
        }
        if plan.allow_credentials {
            headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, TRUE);
        }
        if plan.allow_methods {
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, self.allow_methods.clone());
        }
        if let (true, Some(v)) = (plan.allow_headers, &self.allow_headers) {
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v.clone());
        }
        if let (true, Some(v)) = (plan.max_age, &self.max_age) {
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, v.clone());
        }
        if let (true, Some(v)) = (plan.expose_headers, &self.expose_headers) {
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, v.clone());
        }
        if plan.allow_private_network {
            headers.insert(ACAPN, TRUE);
        }
        self.merge_vary(plan.vary, headers);
    }

    #[inline]
    fn merge_vary(&self, wanted: VarySet, headers: &mut HeaderMap) {
        if wanted.is_empty() {
            return;
        }
        let mut had_vary = false;
        let missing = wanted.missing_from(headers.get_all(header::VARY).map(|v| {
            had_vary = true;
            v.as_bytes()
        }));
        if missing.is_empty() {
            return;
        }
        let ours = &self.vary[missing.bits() as usize];
        if !had_vary {
            // Nothing to merge with (`append` costs less than `insert`,
            // which would look for a value to replace).
            headers.append(header::VARY, ours.clone());
            return;
        }
        // Two `Vary` lines mean the same as one merged line (RFC 9110,
        // "Field Order"), but some caches read only the first: write one.
        merge_vary_lines(headers, ours);
    }
}

/// Whether `name` is a response header the CORS layer writes.
fn is_owned_header(name: &HeaderName) -> bool {
    let name = name.as_str();
    name.starts_with("access-control-allow-")
        || name == "access-control-expose-headers"
        || name == "access-control-max-age"
}

#[cold]
#[inline(never)]
fn remove_handler_cors_headers(headers: &mut HeaderMap) {
    let owned: Vec<HeaderName> = headers.keys().filter(|n| is_owned_header(n)).cloned().collect();
    for name in owned {
        log::debug!(
            target: "cors_actix",
            "removed the handler's own `{name}` header: the CORS layer writes the route's CORS headers"
        );
        headers.remove(name);
    }
}

#[cold]
#[inline(never)]
fn merge_vary_lines(headers: &mut HeaderMap, ours: &HeaderValue) {
    let mut line: Vec<u8> = Vec::new();
    for value in headers.get_all(header::VARY).chain(std::iter::once(ours)) {
        let value = value.as_bytes().trim_ascii();
        if value.is_empty() {
            continue;
        }
        if !line.is_empty() {
            line.extend_from_slice(b", ");
        }
        line.extend_from_slice(value);
    }
    match HeaderValue::from_bytes(&line) {
        Ok(merged) => {
            headers.insert(header::VARY, merged);
        }
        // Unreachable (joined header values stay valid); a second line
        // is still correct HTTP.
        Err(_) => headers.append(header::VARY, ours.clone()),
    }
}
