//! What the middleware benches share: the scenarios and their requests
//! (`scenario.rs`), the policy and the compared apps (`equivalent.rs`), the
//! response checks and the criterion / fixed-count (callgrind) driver.

use actix_rt::SystemRunner;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header;
use criterion::{Criterion, Throughput};
use std::cell::RefCell;
use std::hint::black_box;
use std::time::{Duration, Instant};

pub mod equivalent;
pub mod scenario;
pub use scenario::{request, Scenario, SCENARIOS};

/// Requests built ahead of each timed batch.
const BATCH: u64 = 256;

/// Calls `app` `iters` times, timing only the calls.
async fn timed_calls<S, R, B>(app: &S, make: impl Fn() -> R, iters: u64) -> Duration
where
    S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let mut batch = Vec::with_capacity(BATCH as usize);
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(BATCH);
        batch.extend((0..n).map(|_| make()));
        let start = Instant::now();
        for req in batch.drain(..) {
            let res = app.call(req).await.unwrap_or_else(|e| panic!("service failed: {e}"));
            drop(black_box(res));
        }
        total += start.elapsed();
        left -= n;
    }
    total
}

/// Checks the response is what the scenario expects of the mode, so a
/// bench never silently measures a 404 or a refused request. Without CORS a
/// preflight finds no route (404); actix-cors answers it 200, we answer 204.
fn check<B>(mode: &str, s: Scenario, res: &ServiceResponse<B>) {
    let status = res.status().as_u16();
    let acao = res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    let want_status = match (mode, s) {
        (m, Scenario::Preflight) if m.starts_with("none") => 404,
        (m, Scenario::Preflight) if m.starts_with("actix-cors") => 200,
        (_, Scenario::Preflight) => 204,
        _ => 200,
    };
    assert_eq!(status, want_status, "{mode} {s:?}");
    let want_acao = !mode.starts_with("none") && matches!(s, Scenario::ActualAllowed | Scenario::Preflight);
    assert_eq!(acao.is_some(), want_acao, "{mode} {s:?}: ACAO {acao:?}");
}

/// `CORS_BENCH_ONLY=<scenario>/<mode> CORS_BENCH_ITERS=<n>`: run that one
/// case `n` times without criterion, for callgrind (see BENCHMARKS.md).
pub fn fixed_from_env() -> Fixed {
    match (std::env::var("CORS_BENCH_ONLY"), std::env::var("CORS_BENCH_ITERS")) {
        (Ok(only), Ok(iters)) => Some((only, iters.parse::<u64>().expect("CORS_BENCH_ITERS is a number"))),
        _ => None,
    }
}

pub type Fixed = Option<(String, u64)>;

/// `(mode - base) / (reference - reference_base)`, from one run.
#[derive(Clone, Copy, Debug)]
pub struct Ratio {
    pub mode: &'static str,
    pub base: &'static str,
    pub reference: &'static str,
    pub reference_base: &'static str,
}

/// Runs cases under criterion, or one case a fixed number of times for
/// callgrind when `CORS_BENCH_ONLY`/`CORS_BENCH_ITERS` are set.
pub struct Bench {
    pub criterion: Criterion,
    pub rt: SystemRunner,
    pub fixed: Fixed,
    /// Prepended to the scenario names (`route_actual_allowed`).
    pub prefix: &'static str,
    /// (scenario, mode, median ns per request over criterion's samples)
    results: Vec<(String, String, f64)>,
    /// The overhead ratios the summary prints; see [`Bench::ratios`].
    ratios: Vec<Ratio>,
}

impl Bench {
    pub fn new(prefix: &'static str) -> Self {
        Bench {
            criterion: Criterion::default().configure_from_args(),
            rt: actix_rt::System::new(),
            fixed: fixed_from_env(),
            prefix,
            results: Vec::new(),
            ratios: Vec::new(),
        }
    }

    /// Overhead ratios to print in the summary: `(mode, reference)` prints
    /// mode's overhead over `none` divided by the reference's.
    pub fn ratios(mut self, pairs: &[(&'static str, &'static str)]) -> Self {
        self.ratios.extend(pairs.iter().map(|&(mode, reference)| Ratio {
            mode,
            base: "none",
            reference,
            reference_base: "none",
        }));
        self
    }

    /// Overhead ratios whose modes have their own baselines (a route
    /// measured against the same route without CORS).
    #[allow(dead_code)] // used by per_route.rs, not middleware.rs
    pub fn ratios_over(mut self, ratios: &[Ratio]) -> Self {
        self.ratios.extend_from_slice(ratios);
        self
    }

    /// Runs one (scenario, mode) case. `make` builds the scenario's request
    /// (`request(s, path).to_request()`: the type is actix-http's, which
    /// actix-web does not re-export).
    pub fn case<S, R, B>(&mut self, s: Scenario, mode: &str, app: &S, make: impl Fn() -> R + Copy)
    where
        S: Service<R, Response = ServiceResponse<B>, Error = actix_web::Error>,
    {
        let name = s.name(self.prefix);
        let rt = &self.rt;
        let res = rt.block_on(app.call(make())).unwrap_or_else(|e| panic!("service failed: {e}"));
        check(mode, s, &res);
        drop(res);
        match &self.fixed {
            Some((only, iters)) if *only == format!("{name}/{mode}") => {
                rt.block_on(timed_calls(app, make, *iters));
            }
            Some(_) => {}
            None => {
                // Every timed call's ns per request, criterion's warm-up
                // included (its calls are few next to the samples'); the
                // summary takes their median.
                let per_request = RefCell::new(Vec::new());
                let mut group = self.criterion.benchmark_group(name.clone());
                group.throughput(Throughput::Elements(1));
                group.bench_function(mode, |b| {
                    b.iter_custom(|iters| {
                        let elapsed = rt.block_on(timed_calls(app, make, iters));
                        per_request.borrow_mut().push(elapsed.as_nanos() as f64 / iters.max(1) as f64);
                        elapsed
                    })
                });
                group.finish();
                let mut all = per_request.into_inner();
                all.sort_by(f64::total_cmp);
                if let Some(median) = all.get(all.len() / 2) {
                    self.results.push((name, mode.to_owned(), *median));
                }
            }
        }
    }

    /// Prints criterion's summary and ours: per scenario, each mode's ns
    /// per request, its overhead over `none` from the same run, and the
    /// requested overhead ratios (not in fixed-count mode).
    pub fn finish(self) {
        if self.fixed.is_some() {
            return;
        }
        self.criterion.final_summary();
        println!("\n{:<28} {:<12} {:>10} {:>10}", "scenario", "mode", "ns/req", "overhead");
        let mut scenarios: Vec<&str> = self.results.iter().map(|(s, ..)| s.as_str()).collect();
        scenarios.dedup();
        for scenario in scenarios {
            let of = |mode: &str| self.results.iter().find(|(s, m, _)| s == scenario && m == mode).map(|(.., ns)| *ns);
            let none = of("none");
            for (_, mode, ns) in self.results.iter().filter(|(s, ..)| s == scenario) {
                let overhead = match none {
                    Some(base) if mode != "none" => format!("{:+.1}", ns - base),
                    _ => String::new(),
                };
                println!("{scenario:<28} {mode:<12} {ns:>10.1} {overhead:>10}");
            }
            for r in &self.ratios {
                if let (Some(m), Some(mb), Some(x), Some(xb)) =
                    (of(r.mode), of(r.base), of(r.reference), of(r.reference_base))
                {
                    println!("{:<28} overhead {}/{}: {:.2}", "", r.mode, r.reference, (m - mb) / (x - xb));
                }
            }
        }
    }
}
