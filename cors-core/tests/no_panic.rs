//! Hostile input never panics: `decide` always returns an outcome for any
//! bytes in any CORS-relevant header, and every validation entry point
//! (`PolicyConfig::check`, `parse_origin`, the builder, `from_spec`)
//! returns errors as values for any string, including non-ASCII and control
//! characters.
//!
//! The inputs come from a small deterministic PRNG (no dependency, same
//! sequence on every run), mixing fully random bytes with fragments of real
//! origins and header values so the generated inputs also reach deep paths.
//! Besides not panicking, each outcome is checked against invariants that
//! must hold for every input.

use cors_core::{parse_origin, ParsedOrigin};
use cors_core::{CorsPolicy, Decision, HeaderInput, OriginEntry, PolicyConfig, PolicySpec, RequestParts};
use std::panic::{catch_unwind, AssertUnwindSafe};

#[path = "support/invariants.rs"]
mod invariants;
#[path = "support/random.rs"]
mod random;
use random::*;

/// Decides, catching a panic to report the input that caused it, then checks
/// the invariants every outcome must satisfy (`support/invariants.rs`),
/// writing its headers as the middleware does.
fn decide_checked(name: &str, policy: &CorsPolicy, req: &RequestParts<'_>) -> Decision {
    let decision = catch_unwind(AssertUnwindSafe(|| policy.decide(req)))
        .unwrap_or_else(|_| panic!("decide panicked for policy {name} on {req:?}"));
    let checked = catch_unwind(AssertUnwindSafe(|| invariants::check(policy, req, &decision)))
        .unwrap_or_else(|_| panic!("writing the headers panicked for policy {name} on {decision:?}"));
    if let Err(broken) = checked {
        panic!("policy {name}: {broken}");
    }
    decision
}

/// Decides `iterations` random requests; returns how often each kind of
/// outcome occurred (NotCors, PreflightAccepted, PreflightRejected,
/// ActualAllowed, ActualDisallowed), so tests can check the inputs reach
/// every path.
fn fuzz_decide(name: &str, policy: &CorsPolicy, rng: &mut Rng, iterations: usize) -> [usize; 5] {
    let mut seen = [0; 5];
    for _ in 0..iterations {
        let owned = Owned::random(rng);
        let lines: Vec<&[u8]> = owned.lines.iter().map(Vec::as_slice).collect();
        let req = RequestParts {
            method: &owned.method,
            origin: header_input(rng, &owned.origin),
            request_method: header_input(rng, &owned.request_method),
            request_headers: &lines,
            request_headers_overflow: rng.chance(20),
            request_private_network: if rng.chance(2) {
                HeaderInput::Absent
            } else {
                header_input(rng, &owned.private_network)
            },
            same_origin: rng.chance(8),
            view: None,
        };
        let slot = match decide_checked(name, policy, &req) {
            Decision::NotCors(_) => 0,
            Decision::PreflightAccepted(_) => 1,
            Decision::PreflightRejected(..) => 2,
            Decision::ActualAllowed(_) => 3,
            Decision::ActualDisallowed { .. } => 4,
        };
        seen[slot] += 1;
    }
    seen
}

fn policy_shapes() -> Vec<(&'static str, CorsPolicy)> {
    let b = CorsPolicy::builder;
    let shapes = [
        ("any", b().origins(["*"])),
        ("any with wildcards", b().origins(["*"]).methods(["*"]).allow_headers(["*"]).expose_headers(["*"])),
        ("list", b().origins(["https://app.example", "http://127.0.0.1:8080", "http://[::1]:3000", "null"])),
        (
            "patterns",
            b().origins(["https://*.example.com", "http://localhost:*", "https://*.a.example:8443", "http://[::1]:*"]),
        ),
        (
            "credentials",
            b().origins(["https://app.example", "https://*.example.com"])
                .credentials(true)
                .methods(["GET", "PUT", "patch"])
                .allow_headers(["content-type", "authorization"])
                .expose_headers(["x-request-id"])
                .max_age(600),
        ),
        ("pna", b().origins(["https://app.example"]).private_network(true).allow_headers(["x-a"])),
        ("reject", b().origins(["https://app.example"]).reject(true)),
        ("reflect", b().dangerously_reflect_any_origin().credentials(true)),
        ("off", b().off()),
    ];
    let mut out: Vec<_> = shapes.into_iter().map(|(n, b)| (n, b.build().expect(n))).collect();
    let route = CorsPolicy::builder().origins(["https://app.example"]).build_spec().unwrap();
    out.push(("route methods", CorsPolicy::from_spec(route, Some(&["DELETE", "PURGE"])).unwrap()));
    out
}

#[test]
fn decide_never_panics_on_random_headers() {
    let mut rng = Rng(0x00C0_75AC_7100);
    for (name, policy) in policy_shapes() {
        let seen = fuzz_decide(name, &policy, &mut rng, 4_000);
        if policy.is_off() {
            assert!(seen[0] > 0 && seen[2] > 0 && seen[1] + seen[3] + seen[4] == 0, "{name}: {seen:?}");
        } else {
            assert!(seen.iter().all(|n| *n > 0), "{name}: the inputs miss an outcome: {seen:?}");
        }
    }
}

#[test]
fn decide_never_panics_on_a_random_origin_against_a_valid_one() {
    // near misses of allowed origins: one byte replaced, inserted or removed
    let mut rng = Rng(7);
    let allowed: &[&[u8]] =
        &[b"https://app.example", b"https://a.b.example.com", b"http://localhost:3000", b"http://[::1]:3000", b"null"];
    for (name, policy) in policy_shapes() {
        for _ in 0..2_000 {
            let mut origin = rng.pick(allowed).to_vec();
            let at = rng.below(origin.len() + 1);
            match rng.below(3) {
                0 if at < origin.len() => origin[at] = rng.next() as u8,
                1 => origin.insert(at, rng.next() as u8),
                _ if at < origin.len() => {
                    origin.remove(at);
                }
                _ => {}
            }
            decide_checked(name, &policy, &RequestParts::new(b"GET").origin(&origin));
            decide_checked(name, &policy, &RequestParts::new(b"OPTIONS").origin(&origin).request_method(b"PUT"));
        }
    }
}

#[test]
fn parse_origin_never_panics_and_round_trips() {
    let mut rng = Rng(42);
    let mut accepted = 0;
    for i in 0..30_000 {
        let input = if i % 2 == 0 { random_string(&mut rng) } else { origin_like(&mut rng) };
        let parsed =
            catch_unwind(|| parse_origin(&input)).unwrap_or_else(|_| panic!("parse_origin({input:?}) panicked"));
        match parsed {
            Ok(ParsedOrigin::Any) => assert_eq!(input, "*"),
            Ok(ParsedOrigin::Entry(entry)) => {
                accepted += 1;
                let text = entry.to_string();
                assert_eq!(parse_origin(&text), Ok(ParsedOrigin::Entry(entry.clone())), "{input:?}");
                if let OriginEntry::Exact(exact) = &entry {
                    assert_eq!(exact, &input);
                    let policy = CorsPolicy::builder().origins([&input]).build().expect("accepted origin builds");
                    assert!(policy.allows_origin(input.as_bytes()), "{input:?} does not match itself");
                }
            }
            Err(e) => assert!(!e.message.is_empty() && !e.hint.is_empty(), "{input:?}: {e:?}"),
        }
    }
    assert!(accepted > 1_000, "too few generated origins are valid ({accepted}): the round trip is barely tested");
}

#[test]
fn raw_policy_check_never_panics() {
    let mut rng = Rng(1234);
    let mut valid = 0;
    for _ in 0..10_000 {
        let raw = random_raw_policy(&mut rng);
        let checked = catch_unwind(|| raw.check()).unwrap_or_else(|_| panic!("check panicked on {raw:?}"));
        match checked {
            Err(e) => {
                assert!(!e.problems().is_empty());
                assert!(e.to_string().starts_with("invalid CORS policy"), "{raw:?}");
            }
            Ok(spec) => {
                valid += 1;
                compile_checked(&raw, spec, &mut rng);
            }
        }
    }
    assert!(valid > 200, "too few generated policies are valid ({valid}): compiling them is barely tested");
}

/// A spec that passed `check` compiles (or is refused as a value), merges,
/// renders and decides without panicking.
fn compile_checked(raw: &PolicyConfig, spec: PolicySpec, rng: &mut Rng) {
    let route_methods = ["GET", "PURGE"];
    let result = catch_unwind(AssertUnwindSafe(|| {
        let _ = PolicyConfig::from_spec(&spec).check_route(&route_methods);
        let _ = spec.merged_over(&PolicySpec::EMPTY).check();
        (CorsPolicy::from_spec(spec.clone(), None), CorsPolicy::from_spec(spec.clone(), Some(&route_methods)))
    }));
    let (global, route) = result.unwrap_or_else(|_| panic!("compiling panicked on {raw:?}"));
    for policy in [global, route].into_iter().flatten() {
        let _ = policy.to_string();
        fuzz_decide("random valid policy", &policy, rng, 20);
    }
}

#[test]
fn the_builder_never_panics() {
    let mut rng = Rng(99);
    for _ in 0..10_000 {
        let raw = random_raw_policy(&mut rng);
        let outcome = catch_unwind(|| {
            let mut b = CorsPolicy::builder();
            if let Some(o) = &raw.origins {
                b = b.origins(o);
            }
            if let Some(m) = &raw.methods {
                b = b.methods(m);
            }
            if let Some(h) = &raw.allow_headers {
                b = b.allow_headers(h);
            }
            if let Some(h) = &raw.expose_headers {
                b = b.expose_headers(h);
            }
            if let Some(c) = raw.credentials {
                b = b.credentials(c);
            }
            if let Some(age) = raw.max_age {
                b = b.max_age(age);
            }
            if let Some(p) = raw.private_network {
                b = b.private_network(p);
            }
            if let Some(r) = raw.reject {
                b = b.reject(r);
            }
            if raw.off {
                b = b.off();
            }
            if raw.reflect_any_origin {
                b = b.dangerously_reflect_any_origin();
            }
            let _ = b.build_spec();
            b.build().map(|p| p.to_string()).map_err(|e| e.to_string())
        });
        assert!(outcome.is_ok(), "the builder panicked on {raw:?}");
    }
}

#[test]
fn merged_random_specs_never_panic() {
    let mut rng = Rng(5);
    let mut specs = Vec::new();
    while specs.len() < 200 {
        if let Ok(spec) = random_raw_policy(&mut rng).check() {
            specs.push(spec);
        }
    }
    for route in &specs {
        for global in specs.iter().take(50) {
            let merged = route.merged_over(global);
            let outcome =
                catch_unwind(|| (merged.check().is_ok(), CorsPolicy::from_spec(merged.clone(), None).is_ok()));
            let (check_ok, build_ok) =
                outcome.unwrap_or_else(|_| panic!("merging panicked: {route:?} over {global:?}"));
            assert_eq!(check_ok, build_ok, "{merged:?}");
        }
    }
}
