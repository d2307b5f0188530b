//! Heap allocations per request through the middleware:
//! ours against `actix-cors` 0.7 on equivalent policies, and no middleware
//! at all, for each scenario of the benchmarks.
//!
//! A counting global allocator counts the allocations of the current thread
//! only (the harness's other threads cannot disturb it). Each app is an
//! initialized `actix_web::test` service, warmed up first; each request is
//! built before counting starts, and the count covers the call, the await
//! and dropping the response. Everything runs on one `actix_rt` system on
//! this thread.
//!
//! What is asserted is only what is robust across actix versions, as
//! differences against the same app without middleware: our middleware
//! adds no allocation to an allowed, preflight or non-CORS request (so it
//! allocates no more than `actix-cors` there, which is asserted too), and
//! at most the 2 of the typed `Rejection` it stores in the response's
//! extensions to a disallowed one (`actix-cors` adds 1 there: see
//! BENCHMARKS.md). The numbers are printed
//! (`cargo test --test alloc_middleware -- --nocapture`) and copied into
//! BENCHMARKS.md.
//!
//! Routes with their own policy (`CorsResource`, `#[cors]`) are held to
//! the same rule against the same routes without CORS: a route costs no
//! allocation either, under a global `Cors` or alone.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::init_service;
use actix_web::App;
use std::hint::black_box;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
#[path = "../cors-actix/benches/common/equivalent.rs"]
mod equivalent;
#[path = "../cors-actix/benches/common/scenario.rs"]
mod scenario;
use counting_alloc::{allocations, CountingAllocator};
use equivalent::{items, ok, ours, own_policy_routes, own_route, plain_routes, theirs};
use scenario::{request, Scenario, SCENARIOS};

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

/// Calls before counting (pools, lazily built state).
const WARM_UP: usize = 64;
/// Calls counted.
const COUNTED: usize = 64;

/// Allocations per request: warmed up, then the fewest and the most over
/// `COUNTED` calls (they agree once pools are warm).
async fn per_request<S, R, B>(app: &S, make: impl Fn() -> R) -> (u64, u64)
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    for _ in 0..WARM_UP {
        drop(black_box(app.call(make()).await.unwrap_or_else(|e| panic!("service failed: {e}"))));
    }
    let (mut min, mut max) = (u64::MAX, 0);
    for _ in 0..COUNTED {
        let req = make();
        let before = allocations();
        let res = app.call(req).await.unwrap_or_else(|e| panic!("service failed: {e}"));
        drop(black_box(res));
        let n = allocations() - before;
        min = min.min(n);
        max = max.max(n);
    }
    (min, max)
}

/// One row of the printed table.
struct Row {
    scenario: Scenario,
    mode: &'static str,
    min: u64,
    max: u64,
}

async fn measure<S, R, B>(
    rows: &mut Vec<Row>,
    mode: &'static str,
    app: &S,
    path: &'static str,
    make: fn(Scenario, &str) -> R,
) where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    for s in SCENARIOS {
        let (min, max) = per_request(app, || make(s, path)).await;
        rows.push(Row { scenario: s, mode, min, max });
    }
}

fn get(rows: &[Row], s: Scenario, mode: &str) -> u64 {
    rows.iter().find(|r| r.scenario == s && r.mode == mode).map(|r| r.max).expect("measured")
}

#[test]
fn middleware_allocations_per_request() {
    // A sanity check of the counter itself.
    let before = allocations();
    black_box(Vec::<u8>::with_capacity(black_box(16)));
    assert!(allocations() > before, "the counting allocator missed an allocation");

    let rt = actix_rt::System::new();
    let mut rows = Vec::new();
    let make = |s: Scenario, path: &str| request(s, path).to_request();
    rt.block_on(async {
        let none = init_service(items(App::new(), ok)).await;
        measure(&mut rows, "none", &none, "/items", make).await;
        let ours_app = init_service(items(App::new(), ok).wrap(ours())).await;
        measure(&mut rows, "ours", &ours_app, "/items", make).await;
        let theirs_app = init_service(items(App::new(), ok).wrap(theirs())).await;
        measure(&mut rows, "actix-cors", &theirs_app, "/items", make).await;

        // Routes with their own policy, against the same routes without
        // CORS.
        let plain = init_service(plain_routes(App::new())).await;
        measure(&mut rows, "none, /route", &plain, "/route", make).await;
        measure(&mut rows, "none, /macro", &plain, "/macro", make).await;
        let mixed = init_service(own_policy_routes(App::new()).wrap(ours())).await;
        measure(&mut rows, "ours, global path (app with per-route policies)", &mixed, "/items", make).await;
        measure(&mut rows, "ours, CorsResource under global", &mixed, "/route", make).await;
        measure(&mut rows, "ours, #[cors] under global", &mixed, "/macro", make).await;
        let alone = init_service(App::new().service(own_route())).await;
        measure(&mut rows, "ours, CorsResource alone", &alone, "/route", make).await;
    });

    println!("allocations per request (min..max over {COUNTED} calls after {WARM_UP} warm-up calls):");
    let baseline = |mode: &str| match mode {
        m if m.contains("CorsResource") => "none, /route",
        m if m.contains("#[cors]") => "none, /macro",
        _ => "none",
    };
    for r in &rows {
        let base = get(&rows, r.scenario, baseline(r.mode));
        let span = if r.min == r.max { format!("{}", r.max) } else { format!("{}..{}", r.min, r.max) };
        println!(
            "  {:<18} {:<50} {:>6}  (middleware: {:+})",
            format!("{:?}", r.scenario),
            r.mode,
            span,
            r.max as i64 - base as i64
        );
    }

    // What our global middleware may add to a request's allocations, over
    // the same app without it (both warm): nothing, except on a disallowed
    // actual request, whose typed `Rejection` goes into the response's
    // extensions (a map and a box, 2 allocations) for outer middleware.
    let budget = |s: Scenario| match s {
        Scenario::ActualDisallowed => 2,
        _ => 0,
    };
    for s in SCENARIOS {
        let (none, ours, theirs) = (get(&rows, s, "none"), get(&rows, s, "ours"), get(&rows, s, "actix-cors"));
        assert!(
            ours <= none + budget(s),
            "{s:?}: ours allocates {ours} times per request, {} more than without middleware (budget {})",
            ours as i64 - none as i64,
            budget(s)
        );
        if s != Scenario::ActualDisallowed {
            assert!(ours <= theirs, "{s:?}: ours allocates {ours} times per request, actix-cors {theirs}");
        }
        for mode in [
            "ours, global path (app with per-route policies)",
            "ours, CorsResource under global",
            "ours, #[cors] under global",
            "ours, CorsResource alone",
        ] {
            let (base, n) = (get(&rows, s, baseline(mode)), get(&rows, s, mode));
            assert!(
                n <= base + budget(s),
                "{s:?}: {mode} allocates {n} times per request, the same route without CORS {base}"
            );
        }
    }
}
