//! The decision path makes no heap allocation, whatever the request
//! and however many origins the policy lists.
//!
//! A counting global allocator (`support/counting_alloc.rs`) counts the
//! allocations of the current thread only. Each policy and request is built
//! before counting starts; only the call to `decide` is measured.

use cors_core::{CorsPolicy, Decision, RequestParts};
use std::hint::black_box;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::{allocations_during, CountingAllocator};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Decides `req` under `policy`, asserting no allocation and returning the
/// decision so the caller can check it was the intended path.
#[track_caller]
fn decide_without_allocating(policy: &CorsPolicy, req: &RequestParts<'_>) -> Decision {
    // warm-up: nothing lazily initialised on the first call may hide here
    black_box(policy.decide(black_box(req)));
    let (decision, count) = allocations_during(|| black_box(black_box(policy).decide(black_box(req))));
    assert_eq!(count, 0, "decide allocated {count} time(s) for {req:?} -> {decision:?}");
    decision
}

fn api_policy() -> CorsPolicy {
    CorsPolicy::builder()
        .origins(["https://app.example", "https://*.example.com", "http://localhost:*"])
        .methods(["GET", "POST", "PUT", "DELETE"])
        .allow_headers(["content-type", "x-request-id"])
        .expose_headers(["x-request-id"])
        .credentials(true)
        .max_age(600)
        .private_network(true)
        .build()
        .expect("valid policy")
}

#[test]
fn the_counter_sees_allocations_in_the_measured_region() {
    let ((), count) = allocations_during(|| {
        let v: Vec<u8> = Vec::with_capacity(black_box(16));
        black_box(v);
    });
    assert!(count >= 1, "the counting allocator missed an allocation");
    let (s, count) = allocations_during(|| black_box(String::from("allocates")));
    assert!(count >= 1, "the counting allocator missed an allocation");
    drop(s);
    let ((), count) = allocations_during(|| {
        black_box(1 + 1);
    });
    assert_eq!(count, 0);
}

#[test]
fn allowed_actual_request_does_not_allocate() {
    let policy = api_policy();
    let req = RequestParts::new(b"POST").origin(b"https://app.example");
    assert!(matches!(decide_without_allocating(&policy, &req), Decision::ActualAllowed(_)));
}

#[test]
fn disallowed_actual_request_does_not_allocate() {
    let policy = api_policy();
    let req = RequestParts::new(b"POST").origin(b"https://evil.example");
    assert!(matches!(decide_without_allocating(&policy, &req), Decision::ActualDisallowed { .. }));
    let reject = CorsPolicy::builder().origins(["https://app.example"]).reject(true).build().unwrap();
    assert!(matches!(decide_without_allocating(&reject, &req), Decision::ActualDisallowed { reject: true, .. }));
}

#[test]
fn accepted_preflight_with_two_requested_headers_does_not_allocate() {
    let policy = api_policy();
    let lines: [&[u8]; 1] = [b"Content-Type, X-Request-ID"];
    let req = RequestParts::new(b"OPTIONS")
        .origin(b"https://app.example")
        .request_method(b"PUT")
        .request_headers(&lines)
        .request_private_network(b"true");
    let Decision::PreflightAccepted(plan) = decide_without_allocating(&policy, &req) else {
        panic!("preflight was not accepted")
    };
    assert!(plan.allow_headers && plan.allow_methods && plan.allow_private_network);
    // the same two headers over two lines
    let lines: [&[u8]; 2] = [b"content-type", b"x-request-id"];
    let req = req.request_headers(&lines);
    assert!(matches!(decide_without_allocating(&policy, &req), Decision::PreflightAccepted(_)));
}

#[test]
fn rejected_preflights_do_not_allocate() {
    let policy = api_policy();
    let base = RequestParts::new(b"OPTIONS").origin(b"https://app.example").request_method(b"PUT");
    let bad_header: [&[u8]; 1] = [b"content-type, x-secret"];
    let too_many = [&b"x"[..]; 9];
    let cases = [
        RequestParts::new(b"OPTIONS").origin(b"https://evil.example").request_method(b"PUT"),
        base.request_method(b"PATCH"),
        base.request_headers(&bad_header),
        base.request_headers(&too_many),
        base.request_method(b"P U T"),
        base.request_private_network(b"yes"),
    ];
    for req in &cases {
        assert!(matches!(decide_without_allocating(&policy, req), Decision::PreflightRejected(..)), "{req:?}");
    }
}

#[test]
fn non_cors_request_does_not_allocate() {
    let any = CorsPolicy::builder().origins(["*"]).build().unwrap();
    let req = RequestParts::new(b"GET");
    assert!(matches!(decide_without_allocating(&api_policy(), &req), Decision::NotCors(_)));
    assert!(matches!(decide_without_allocating(&any, &req), Decision::NotCors(_)));
}

#[test]
fn pattern_matched_origins_do_not_allocate() {
    let policy = api_policy();
    for origin in [&b"https://a.b.example.com"[..], b"http://localhost:3000", b"https://evilexample.com"] {
        let req = RequestParts::new(b"GET").origin(origin);
        let decision = decide_without_allocating(&policy, &req);
        assert_eq!(decision.rejection().is_none(), origin != b"https://evilexample.com");
    }
}

#[test]
fn a_ten_thousand_origin_exact_list_lookup_does_not_allocate() {
    let origins: Vec<String> = (0..10_000).map(|i| format!("https://app{i}.example")).collect();
    let policy = CorsPolicy::builder().origins(&origins).build().unwrap();
    for (origin, allowed) in [(&b"https://app9876.example"[..], true), (b"https://app10000.example", false)] {
        let req = RequestParts::new(b"GET").origin(origin);
        let decision = decide_without_allocating(&policy, &req);
        assert_eq!(matches!(decision, Decision::ActualAllowed(_)), allowed);
        let pre = RequestParts::new(b"OPTIONS").origin(origin).request_method(b"GET");
        decide_without_allocating(&policy, &pre);
    }
}
