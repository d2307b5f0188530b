//! Micro-benchmarks of `CorsPolicy::decide` alone (see BENCHMARKS.md).
//!
//! ```text
//! cargo bench -p cors-core --bench decide
//! ```
//!
//! For repeatable instruction counts, run one scenario a fixed number of
//! times under callgrind instead of criterion (see BENCHMARKS.md):
//!
//! ```text
//! CORS_BENCH_ONLY=decide/allowed_actual CORS_BENCH_ITERS=100000 \
//!     valgrind --tool=callgrind target/release/deps/decide-<hash>
//! ```

#[path = "../../cors-actix/benches/common/keys.rs"]
mod keys;

use cors_core::{CorsPolicy, Decision, PolicyBuilder, RequestParts};
use criterion::{criterion_group, Criterion, Throughput};
use std::hint::black_box;

const APP: &[u8] = b"https://app.example";
const EVIL: &[u8] = b"https://evil.example";
const TWO_HEADERS: [&[u8]; 1] = [b"content-type, x-request-id"];

/// The policy of the middleware benches.
fn api_policy() -> CorsPolicy {
    keys::builder().build().expect("valid policy")
}

/// `n` exact origins of equal length (`https://app00000.example`, ...), so
/// the looked-up origin hashes the same number of bytes whatever `n`.
fn exact_origins(n: usize) -> CorsPolicy {
    let origins: Vec<String> = (0..n).map(exact_origin).collect();
    CorsPolicy::builder().origins(&origins).build().expect("valid policy")
}

fn exact_origin(i: usize) -> String {
    format!("https://app{i:05}.example")
}

fn pattern_policy() -> CorsPolicy {
    CorsPolicy::builder().origins(["https://*.example.com", "http://localhost:*"]).build().expect("valid policy")
}

/// Hostile `Access-Control-Request-Headers` values.
struct Hostile {
    /// 4,000 commas: under the byte cap, so the element cap must stop it.
    commas_4k: Vec<u8>,
    /// 8,192 commas: over the byte cap.
    commas_8k: Vec<u8>,
    /// 8 KiB of valid, comma-separated header names: over the byte cap.
    names_8k: Vec<u8>,
    /// The most work a request within every cap can ask for: 64 allowed
    /// names (the element cap), about 1 KiB.
    max_within_caps: Vec<u8>,
}

impl Hostile {
    fn new() -> Self {
        let mut names_8k = Vec::new();
        let mut i = 0;
        while names_8k.len() < 8192 {
            names_8k.extend_from_slice(format!("x-custom-header-{i}, ").as_bytes());
            i += 1;
        }
        names_8k.truncate(8192);
        let max_within_caps = vec!["x-request-id"; 64].join(", ").into_bytes();
        Hostile { commas_4k: vec![b','; 4000], commas_8k: vec![b','; 8192], names_8k, max_within_caps }
    }
}

fn preflight<'a>(origin: &'a [u8], headers: &'a [&'a [u8]]) -> RequestParts<'a> {
    RequestParts::new(b"OPTIONS").origin(origin).request_method(b"PUT").request_headers(headers)
}

/// A scenario: its name and a closure deciding one request.
type Scenario = (&'static str, Box<dyn Fn() -> Decision>);

/// The scenarios (only the one named `only`, when given: building the
/// 10,000-origin policy takes a while).
fn scenarios(only: Option<&str>) -> Vec<Scenario> {
    let want = |name: &str| match only {
        None => true,
        Some(o) => o == name,
    };
    let api = api_policy();
    let hostile = Hostile::new();
    let mut out: Vec<Scenario> = Vec::new();

    let p = api.clone();
    out.push((
        "allowed_actual",
        Box::new(move || black_box(&p).decide(black_box(&RequestParts::new(b"GET").origin(APP)))),
    ));
    let p = api.clone();
    out.push((
        "preflight_two_headers",
        Box::new(move || black_box(&p).decide(black_box(&preflight(APP, &TWO_HEADERS)))),
    ));
    let p = api.clone();
    out.push((
        "disallowed_actual",
        Box::new(move || black_box(&p).decide(black_box(&RequestParts::new(b"GET").origin(EVIL)))),
    ));
    let p = api.clone();
    out.push(("not_cors", Box::new(move || black_box(&p).decide(black_box(&RequestParts::new(b"GET"))))));

    let mut sized = std::collections::HashMap::new();
    let mut policy_of = |n: usize| sized.entry(n).or_insert_with(|| exact_origins(n)).clone();
    let lookups =
        [("exact_lookup_1", 1), ("exact_lookup_4", 4), ("exact_lookup_100", 100), ("exact_lookup_10000", 10_000)];
    for (name, n) in lookups {
        if !want(name) {
            continue;
        }
        let p = policy_of(n);
        // the last origin of the list: the worst case for a short list,
        // which is scanned (all the bench's origins have the same length)
        let hit = exact_origin(n - 1).into_bytes();
        out.push((name, Box::new(move || black_box(&p).decide(black_box(&RequestParts::new(b"GET").origin(&hit))))));
    }
    for (name, n) in [("exact_miss_1", 1), ("exact_miss_4", 4), ("exact_miss_10000", 10_000)] {
        if !want(name) {
            continue;
        }
        let p = policy_of(n);
        let miss = exact_origin(99_999).into_bytes();
        out.push((name, Box::new(move || black_box(&p).decide(black_box(&RequestParts::new(b"GET").origin(&miss))))));
    }

    let p = pattern_policy();
    out.push((
        "pattern_match",
        Box::new(move || {
            black_box(&p).decide(black_box(&RequestParts::new(b"GET").origin(b"https://a.b.example.com")))
        }),
    ));
    let p = pattern_policy();
    out.push((
        "pattern_miss",
        Box::new(move || {
            black_box(&p).decide(black_box(&RequestParts::new(b"GET").origin(b"https://evilexample.com")))
        }),
    ));

    for (name, value) in [
        ("acrh_hostile_commas_4k", hostile.commas_4k),
        ("acrh_hostile_commas_8k", hostile.commas_8k),
        ("acrh_hostile_names_8k", hostile.names_8k),
        ("acrh_max_within_caps", hostile.max_within_caps),
    ] {
        let p = api.clone();
        out.push((
            name,
            Box::new(move || {
                let lines: [&[u8]; 1] = [&value];
                black_box(&p).decide(black_box(&preflight(APP, &lines)))
            }),
        ));
    }
    out.retain(|(name, _)| want(name));
    out
}

fn bench_decide(c: &mut Criterion) {
    let mut group = c.benchmark_group("decide");
    group.throughput(Throughput::Elements(1));
    for (name, f) in scenarios(None) {
        group.bench_function(name, |b| b.iter(&f));
    }
    group.finish();
}

/// Checks each scenario takes the path its name says, so a bench never
/// measures the wrong thing silently.
fn sanity() {
    for (name, f) in scenarios(None) {
        let d = f();
        let ok = match name {
            "allowed_actual" | "exact_lookup_1" | "exact_lookup_4" | "exact_lookup_100" | "exact_lookup_10000"
            | "pattern_match" => {
                matches!(d, Decision::ActualAllowed(_))
            }
            "preflight_two_headers" => matches!(d, Decision::PreflightAccepted(p) if p.allow_headers),
            "disallowed_actual" | "exact_miss_1" | "exact_miss_4" | "exact_miss_10000" | "pattern_miss" => {
                matches!(d, Decision::ActualDisallowed { .. })
            }
            "not_cors" => matches!(d, Decision::NotCors(_)),
            "acrh_max_within_caps" => matches!(d, Decision::PreflightAccepted(_)),
            _ => matches!(d, Decision::PreflightRejected(..)),
        };
        assert!(ok, "scenario {name} decided {d:?}");
    }
}

/// `CORS_BENCH_ONLY=decide/<scenario> CORS_BENCH_ITERS=<n>`: runs one
/// scenario `n` times without criterion, for callgrind.
fn fixed_count_run() -> bool {
    let (Ok(only), Ok(iters)) = (std::env::var("CORS_BENCH_ONLY"), std::env::var("CORS_BENCH_ITERS")) else {
        return false;
    };
    let iters: u64 = iters.parse().expect("CORS_BENCH_ITERS is a number");
    let name = only.strip_prefix("decide/").unwrap_or(&only);
    let (_, f) = scenarios(Some(name)).pop().unwrap_or_else(|| panic!("no scenario {name}"));
    for _ in 0..iters {
        black_box(f());
    }
    true
}

criterion_group!(benches, bench_decide);

fn main() {
    if fixed_count_run() {
        return;
    }
    sanity();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
