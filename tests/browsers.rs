//! Real-browser conformance (the browser's CORS check) in three engines:
//! headless Chromium, Firefox and WebKit each run a page on
//! `http://127.0.0.1:<a>` whose `fetch()` calls reach the app under test on
//! `http://localhost:<b>`, and report what each call could see. One table of
//! cases (`browser/cases.rs`), one harness (`browser/harness.rs`, collecting
//! through `browser/report.rs`), one launcher (`browser/engines.rs`); the in-process model
//! (`cors_actix::test::Browser`) must agree with every engine on every case.
//!
//! The engines run side by side, once per test binary; each has a test of
//! its own that passes or fails on its results. The suite prints a table of
//! every case's verdict per engine, with the engines' versions and times.
//!
//! An engine that is not installed is skipped with a loud message — unless
//! `CORS_ACTIX_REQUIRE_BROWSER=1` (set by `.ci/run`), where each missing
//! engine fails its test. See `browser/engines.rs` for where each is looked
//! up.

#[path = "browser/app.rs"]
mod app;
#[path = "browser/cases.rs"]
mod cases;
#[path = "browser/engines.rs"]
#[macro_use]
mod engines;
#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/report.rs"]
mod report;

use cases::Case;
use cors_actix::test::{Browser, Engine as Rules, Verdict};
use engines::Engine;
use serde_json::Value;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::OnceLock;
use std::time::Duration;

/// What the page reported for one case.
#[derive(Debug)]
struct Seen {
    allowed: bool,
    status: Option<u16>,
    readable: Vec<String>,
    error: Option<String>,
}

impl Seen {
    fn reads(&self, name: &str) -> bool {
        self.readable.iter().any(|r| r.eq_ignore_ascii_case(name))
    }
}

fn parse(result: &Value) -> Seen {
    Seen {
        allowed: result["ok"].as_bool().unwrap_or(false),
        status: result["status"].as_u64().map(|s| s as u16),
        readable: result["headers"]
            .as_array()
            .map(|a| a.iter().filter_map(|h| h.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        error: result["error"].as_str().map(str::to_owned),
    }
}

fn word(allowed: bool) -> &'static str {
    if allowed {
        "allowed"
    } else {
        "blocked"
    }
}

/// Every way `seen` differs from what `case` expects of `engine`.
fn mismatches(case: &Case, engine: Engine, seen: &Seen) -> Vec<String> {
    let mut out = Vec::new();
    let allowed = case.allowed_in(engine);
    if seen.allowed != allowed {
        out.push(format!(
            "expected {}, {engine} said {}{}",
            word(allowed),
            word(seen.allowed),
            seen.error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default()
        ));
        return out;
    }
    if allowed && seen.status != Some(case.status) {
        out.push(format!("expected status {}, saw {:?}", case.status, seen.status));
    }
    for h in &case.readable {
        if !seen.reads(h) {
            out.push(format!("`{h}` should be readable, readable were {:?}", seen.readable));
        }
    }
    for h in &case.unreadable {
        if seen.reads(h) {
            out.push(format!("`{h}` should be hidden from the page"));
        }
    }
    out
}

/// Every way the model's verdict differs from what `engine` did: the
/// verdict, the status, and the readability of the headers the case names.
fn model_mismatches(case: &Case, engine: Engine, seen: &Seen, verdict: &Verdict) -> Vec<String> {
    let mut out = Vec::new();
    if verdict.is_allowed() != seen.allowed {
        out.push(format!("model says {}, {engine} says {}", word(verdict.is_allowed()), word(seen.allowed)));
        return out;
    }
    if seen.allowed && verdict.status() != seen.status {
        out.push(format!("model sees status {:?}, {engine} {:?}", verdict.status(), seen.status));
    }
    for h in case.readable.iter().chain(&case.unreadable) {
        let model = verdict.readable_header(h).is_some();
        if model != seen.reads(h) {
            out.push(format!("model: `{h}` readable = {model}, {engine}: {}", seen.reads(h)));
        }
    }
    out
}

/// One engine's part of the suite.
enum Outcome {
    /// Not installed: why.
    Missing(String),
    /// Installed, but produced no results: why.
    Failed(String),
    Ran {
        version: String,
        elapsed: Duration,
        seen: Vec<Seen>,
        /// Disagreements with the case table.
        wrong: Vec<String>,
        /// Disagreements with the in-process model.
        model: Vec<String>,
    },
}

struct Suite {
    cases: Vec<Case>,
    outcomes: Vec<(Engine, Outcome)>,
}

impl Suite {
    fn outcome(&self, engine: Engine) -> &Outcome {
        &self.outcomes.iter().find(|(e, _)| *e == engine).expect("every engine has an outcome").1
    }
}

/// Runs every engine once per test binary (side by side, each on its own
/// thread and servers), checks each against the table and the model, and
/// prints the table.
fn suite() -> &'static Suite {
    static SUITE: OnceLock<Suite> = OnceLock::new();
    SUITE.get_or_init(|| {
        let cases = cases::all();
        let runs: Vec<_> = Engine::ALL
            .map(|engine| {
                let cases = cases.clone();
                let thread = std::thread::spawn(move || {
                    let found = engines::find(engine).map_err(Outcome::Missing)?;
                    harness::run_in(&found, &cases).map_err(Outcome::Failed)
                });
                (engine, thread)
            })
            .into_iter()
            .map(|(engine, thread)| {
                let run = thread.join().unwrap_or_else(|panic| {
                    let why = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    Err(Outcome::Failed(format!("{engine}'s run panicked: {why}")))
                });
                (engine, run)
            })
            .collect();
        let outcomes = runs
            .into_iter()
            .map(|(engine, run)| {
                let outcome = match run {
                    Err(outcome) => outcome,
                    Ok(run) => {
                        let verdicts = model_verdicts(&cases, rules(engine));
                        let seen: Vec<Seen> = run.results.iter().map(parse).collect();
                        let mut wrong = Vec::new();
                        let mut model = Vec::new();
                        for (i, case) in cases.iter().enumerate() {
                            for m in mismatches(case, engine, &seen[i]) {
                                wrong.push(format!("{i:>2} {:<58} {m}", case.name));
                            }
                            for m in model_mismatches(case, engine, &seen[i], &verdicts[i]) {
                                model.push(format!("{i:>2} {:<58} {m}\n{}", case.name, verdicts[i]));
                            }
                        }
                        Outcome::Ran { version: run.version, elapsed: run.elapsed, seen, wrong, model }
                    }
                };
                (engine, outcome)
            })
            .collect();
        let suite = Suite { cases, outcomes };
        print_table(&suite, &model_verdicts(&suite.cases, Rules::Standard));
        suite
    })
}

/// The rules the in-process model follows for `engine`.
fn rules(engine: Engine) -> Rules {
    match engine {
        Engine::Chromium => Rules::Chromium,
        Engine::Firefox => Rules::Firefox,
        Engine::WebKit => Rules::WebKit,
    }
}

/// The in-process model's verdict on every case, by `rules`.
fn model_verdicts(cases: &[Case], rules: Rules) -> Vec<Verdict> {
    actix_web::rt::System::new().block_on(async {
        let app = actix_web::test::init_service(actix_web::App::new().wrap(app::cors()).configure(app::services)).await;
        let mut verdicts = Vec::with_capacity(cases.len());
        for case in cases {
            let browser = Browser::new(harness::PAGE_ORIGIN_PLACEHOLDER).engine(rules);
            let mut fetch = browser.fetch(case.method, case.path);
            for (name, value) in &case.headers {
                fetch = fetch.header(*name, value.as_bytes());
            }
            if let Some(body) = case.body {
                fetch = fetch.body(body);
            }
            verdicts.push(fetch.credentials(case.credentials).send(&app).await);
        }
        verdicts
    })
}

/// Case × engine verdicts, with the engines' versions and times, next to
/// the model's verdict by the standard's rules. Written to the process's
/// standard error directly, so `cargo test` shows it without `--nocapture`.
fn print_table(suite: &Suite, standard: &[Verdict]) {
    let mut out = String::from("\nreal-browser suite:\n");
    for (engine, outcome) in &suite.outcomes {
        let line = match outcome {
            Outcome::Missing(why) => format!("SKIPPED: {why}"),
            Outcome::Failed(why) => format!("FAILED: {}", why.lines().next().unwrap_or_default()),
            Outcome::Ran { version, elapsed, .. } => format!("{version} ({:.1} s)", elapsed.as_secs_f64()),
        };
        out.push_str(&format!("  {:<9} {line}\n", engine.name()));
    }
    out.push_str(&format!("\n {:>2} {:<58} {:<8}", "#", "case", "standard"));
    for (engine, _) in &suite.outcomes {
        out.push_str(&format!(" {:<9}", engine.name()));
    }
    out.push('\n');
    for (i, case) in suite.cases.iter().enumerate() {
        out.push_str(&format!(" {i:>2} {:<58} {:<8}", case.name, word(standard[i].is_allowed())));
        for (engine, outcome) in &suite.outcomes {
            let cell = match outcome {
                Outcome::Ran { seen, .. } => {
                    let ok = mismatches(case, *engine, &seen[i]).is_empty();
                    let own = if case.allowed_in(*engine) == case.allowed { "" } else { " *" };
                    format!("{}{}", word(seen[i].allowed), if ok { own } else { " !" })
                }
                _ => "-".to_owned(),
            };
            out.push_str(&format!(" {cell:<9}"));
        }
        out.push('\n');
    }
    out.push_str(
        "(standard: the in-process model by the Fetch standard's rules; `*`: the engine departs from the \
         standard there, as the case table expects; `!`: not what the case table expects of that engine)\n",
    );
    let _ = std::io::stderr().lock().write_all(out.as_bytes());
}

/// One engine's test: skipped (or failed, when required) when the engine
/// is missing; otherwise its verdicts must match the table and the model.
fn check(engine: Engine) {
    let suite = suite();
    assert_eq!(app::ADMIN_RUNS.load(Ordering::SeqCst), 0, "reject = true ran the handler");
    match suite.outcome(engine) {
        Outcome::Missing(why) => engines::skip_or_fail(engine, why),
        Outcome::Failed(why) => panic!("{why}"),
        Outcome::Ran { wrong, model, .. } => {
            assert!(suite.cases.len() >= 40, "the suite promises at least 40 cases");
            assert!(wrong.is_empty(), "{engine} disagreed with the expected verdicts:\n{}", wrong.join("\n"));
            assert!(model.is_empty(), "the in-process Browser model disagreed with {engine}:\n{}", model.join("\n"));
        }
    }
}

/// The model by the standard's rules (what `Browser::new` follows) gives
/// every case the table's standard verdict — no browser needed.
#[test]
fn the_model_by_the_standard_agrees_with_every_case() {
    let cases = cases::all();
    let verdicts = model_verdicts(&cases, Rules::Standard);
    let wrong: Vec<String> = cases
        .iter()
        .zip(&verdicts)
        .enumerate()
        .filter(|(_, (case, verdict))| verdict.is_allowed() != case.allowed)
        .map(|(i, (case, verdict))| format!("{i:>2} {:<58} expected {}\n{verdict}", case.name, word(case.allowed)))
        .collect();
    assert!(wrong.is_empty(), "the model by the standard's rules disagreed with the table:\n{}", wrong.join("\n"));
}

per_engine!(check => chromium_agrees_with_every_case, firefox_agrees_with_every_case, webkit_agrees_with_every_case);
