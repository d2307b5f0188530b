//! The fuzzed code path, shared by the libFuzzer target
//! (`fuzz_targets/decide.rs`) and the stable-toolchain fallback
//! (`examples/decide_random.rs`): parse arbitrary bytes into the CORS parts
//! of a request, decide it with one of a few fixed policies, and check the
//! invariants every outcome must keep. A violated invariant panics,
//! which both drivers report as a crash.

use cors_core::MAX_ACRH_LINES;
use cors_core::{CorsPolicy, Decision, HeaderInput, RequestParts};
use std::sync::OnceLock;

/// The decision invariants, written once for cors-core's tests and this crate.
#[path = "../../cors-core/tests/support/invariants.rs"]
mod invariants;

/// The fixed policies, one per shape the decision engine distinguishes.
pub fn policies() -> &'static [CorsPolicy] {
    static POLICIES: OnceLock<Vec<CorsPolicy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let b = CorsPolicy::builder;
        let built = [
            b().origins(["*"]).methods(["*"]).allow_headers(["*"]).expose_headers(["*"]).max_age(0),
            b().origins(["https://app.example", "https://*.example.com", "http://localhost:*", "null"])
                .credentials(true)
                .allow_null_with_credentials(true)
                .methods(["GET", "PUT", "patch", "PURGE"])
                .allow_headers(["content-type", "authorization", "x-request-id"])
                .expose_headers(["x-request-id"])
                .max_age(600)
                .private_network(true),
            b().origins(["https://app.example"]).reject(true),
            b().dangerously_reflect_any_origin().credentials(true).allow_headers(["x-a"]),
            b().off(),
            b().origins([
                "https://*.a.example:8443",
                "http://[::1]:*",
                "https://*.b.example:*",
                "http://127.0.0.1:8080",
            ])
            .methods(["*"])
            .allow_headers(["*", "authorization"])
            .private_network(true),
            b().origins(["*"]).allow_headers(["x-a"]),
        ];
        let mut policies: Vec<CorsPolicy> =
            built.into_iter().map(|p| p.build().expect("the fuzzed policies are valid")).collect();
        let route = CorsPolicy::builder().origins(["https://app.example"]).build_spec().expect("valid route spec");
        policies.push(CorsPolicy::from_spec(route, Some(&["DELETE", "patch"])).expect("valid route policy"));
        policies
    })
}

/// How the fuzzer's bytes become a request.
///
/// - byte 0: bits 0-2 pick the policy (modulo their number); bit 3 picks
///   the field separator, `\n` (0) or NUL (1), so that each of the two bytes
///   can also appear inside the fields;
/// - byte 1: presence flags, bit 0: `Origin` absent, 1: `Origin` sent twice,
///   2: ACRM absent, 3: ACRM sent twice, 4: ACRPN absent, 5: ACRPN sent
///   twice, 6: more ACRH lines than the caller collected;
/// - the rest, split on the separator: method, `Origin`, ACRM, ACRPN, then
///   one field per `Access-Control-Request-Headers` line (beyond
///   [`MAX_ACRH_LINES`] + 1 lines, the overflow flag is set, as an adapter
///   that stops collecting would).
///
/// A field that is missing (too few separators) is an absent header.
#[derive(Debug)]
pub struct FuzzInput<'a> {
    /// Index into [`policies`].
    pub policy: usize,
    /// The method.
    pub method: &'a [u8],
    /// `Origin`
    pub origin: HeaderInput<'a>,
    /// ACRM
    pub request_method: HeaderInput<'a>,
    /// ACRPN
    pub request_private_network: HeaderInput<'a>,
    /// ACRH lines (up to the cap plus one).
    pub lines: [&'a [u8]; MAX_ACRH_LINES + 1],
    /// How many of `lines` are used.
    pub line_count: usize,
    /// More lines were sent than collected.
    pub overflow: bool,
}

impl<'a> FuzzInput<'a> {
    /// Splits `data`; `None` for fewer than two bytes.
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (&selector, rest) = data.split_first()?;
        let (&flags, rest) = rest.split_first()?;
        let separator = if selector & 0b1000 == 0 { b'\n' } else { 0 };
        let mut fields = rest.split(move |b| *b == separator);
        let method = fields.next().unwrap_or_default();
        let header = |value: Option<&'a [u8]>, absent_bit: u8, many_bit: u8| match value {
            _ if flags & (1 << absent_bit) != 0 => HeaderInput::Absent,
            _ if flags & (1 << many_bit) != 0 => HeaderInput::Many,
            Some(v) => HeaderInput::One(v),
            None => HeaderInput::Absent,
        };
        let origin = header(fields.next(), 0, 1);
        let request_method = header(fields.next(), 2, 3);
        let request_private_network = header(fields.next(), 4, 5);
        let mut lines: [&[u8]; MAX_ACRH_LINES + 1] = [&[]; MAX_ACRH_LINES + 1];
        let mut line_count = 0;
        let mut overflow = flags & (1 << 6) != 0;
        for line in fields {
            if line_count == lines.len() {
                overflow = true;
                break;
            }
            lines[line_count] = line;
            line_count += 1;
        }
        Some(FuzzInput {
            policy: usize::from(selector & 0b111) % policies().len(),
            method,
            origin,
            request_method,
            request_private_network,
            lines,
            line_count,
            overflow,
        })
    }

    /// The request as the decision sees it.
    pub fn parts(&self) -> RequestParts<'_> {
        RequestParts {
            method: self.method,
            origin: self.origin,
            request_method: self.request_method,
            request_headers: &self.lines[..self.line_count],
            request_headers_overflow: self.overflow,
            request_private_network: self.request_private_network,
            same_origin: false,
            view: None,
        }
    }
}

/// Decides the request `data` describes and checks the outcome; panics on
/// a violated invariant.
pub fn run(data: &[u8]) {
    let Some(input) = FuzzInput::parse(data) else { return };
    let policy = &policies()[input.policy];
    let req = input.parts();
    let decision = policy.decide(&req);
    assert_eq!(decision, policy.decide(&req), "decide is not deterministic");
    check(policy, &req, &decision);
}

/// The invariants of one outcome, as the property and no-panic tests
/// check them (`cors-core/tests/support/invariants.rs`, included below);
/// a broken one panics, which both drivers report as a crash.
pub fn check(policy: &CorsPolicy, req: &RequestParts<'_>, decision: &Decision) {
    if let Err(broken) = invariants::check(policy, req, decision) {
        panic!("{broken}");
    }
}

/// Seed inputs: one per kind of request and policy, in the layout of
/// [`FuzzInput`] (selector, flags, then `\n`-separated fields).
pub fn seeds() -> Vec<Vec<u8>> {
    let fields: &[&[&str]] = &[
        &["GET", "https://app.example"],
        &["GET"],
        &["OPTIONS", "https://app.example", "PUT", "", "content-type,x-request-id"],
        &["OPTIONS", "https://a.b.example.com", "patch", "true", "authorization", "X-Request-ID , content-type"],
        &["OPTIONS", "http://localhost:3000", "PURGE", "true"],
        &["OPTIONS", "null", "GET", "false", "x-a"],
        &["OPTIONS", "https://x.a.example:8443", "M-SEARCH", "", "x-a,,, ,x-b"],
        &["POST", "https://evil.example"],
        &["DELETE", "https://app.example"],
        &["OPTIONS", "https://app.example", "DELETE"],
    ];
    let mut seeds = Vec::new();
    for policy in 0..policies().len() as u8 {
        for f in fields {
            // an empty ACRPN field stands for "not sent"
            let flags = if f.get(3) == Some(&"") { 1 << 4 } else { 0 };
            let mut seed = vec![policy, flags];
            seed.extend_from_slice(f.join("\n").as_bytes());
            seeds.push(seed);
        }
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_run_clean_and_reach_every_outcome() {
        let mut accepted = 0;
        for seed in seeds() {
            run(&seed);
            let input = FuzzInput::parse(&seed).unwrap();
            if matches!(policies()[input.policy].decide(&input.parts()), Decision::PreflightAccepted(_)) {
                accepted += 1;
            }
        }
        assert!(accepted > 5, "{accepted}");
    }

    #[test]
    fn layout() {
        let data = b"\x09\x42OPTIONS\0https://a.example\0PUT\0true\0x-a\0x-b";
        let input = FuzzInput::parse(data).unwrap();
        assert_eq!(input.policy, 1);
        assert_eq!(input.method, b"OPTIONS");
        assert_eq!(input.origin, HeaderInput::Many);
        assert_eq!(input.request_method, HeaderInput::One(b"PUT"));
        assert_eq!(input.request_private_network, HeaderInput::One(b"true"));
        assert_eq!(&input.lines[..input.line_count], [&b"x-a"[..], b"x-b"]);
        assert!(input.overflow);
        let many_lines = [&b"\x00\x00GET\nx\nPUT\n"[..], &b"\nh".repeat(MAX_ACRH_LINES + 3)].concat();
        let input = FuzzInput::parse(&many_lines).unwrap();
        assert_eq!((input.line_count, input.overflow), (MAX_ACRH_LINES + 1, true));
        assert!(FuzzInput::parse(b"\x00").is_none());
    }
}
