//! Starts the playground binary (`cargo run --example playground`), checks
//! both its addresses answer and what its console says, and — in each
//! browser engine installed (Chromium, Firefox, WebKit: the engines of
//! `tests/browsers.rs`, found and launched by `browser/engines.rs`) — that
//! the page offers exactly the scenarios of `examples/playground/scenarios.json`
//! (which the page fetches on load), in that order, that each produces the
//! verdict the file expects, and that the page shows each step the way it
//! claims to.
//!
//! The browser check sends each engine to the page with
//! `?report=<loopback URL>`: the page then runs every scenario itself and
//! POSTs what it showed after each run (see `page.html`) to a collection
//! server of the test (`browser/report.rs`). The engines run side by side,
//! once per test binary, and the suite prints each scenario's verdict and
//! steps per engine. An engine that is not installed is skipped with a loud
//! message, unless `CORS_ACTIX_REQUIRE_BROWSER=1` (set by `.ci/run`) makes
//! it a failure.

#[path = "browser/engines.rs"]
#[macro_use]
mod engines;
#[path = "browser/report.rs"]
mod report;
#[path = "support/server.rs"]
#[allow(dead_code, unused_macros)] // the client only
mod server;

use engines::{Engine, Found};
use report::Collector;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::Duration;

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `examples/playground/scenarios.json`, the scenarios the page fetches and
/// offers, parsed once: a list of objects.
fn scenarios_json() -> &'static [Value] {
    static LIST: OnceLock<Vec<Value>> = OnceLock::new();
    LIST.get_or_init(|| {
        let text = include_str!("../examples/playground/scenarios.json");
        serde_json::from_str(text).expect("scenarios.json is a JSON array")
    })
}

/// One scenario of `scenarios.json`: its id and the verdict it expects.
struct Scenario {
    id: String,
    expect: String,
}

/// The scenarios of `scenarios.json`, in order.
fn scenarios() -> &'static [Scenario] {
    static SCENARIOS: OnceLock<Vec<Scenario>> = OnceLock::new();
    SCENARIOS.get_or_init(|| {
        scenarios_json()
            .iter()
            .map(|s| {
                let field = |name: &str| s[name].as_str().unwrap_or_else(|| panic!("a scenario without {name}: {s}"));
                Scenario { id: field("id").to_owned(), expect: field("expect").to_owned() }
            })
            .collect()
    })
}

/// The ids of `scenarios.json`, in order.
fn scenario_ids() -> Vec<String> {
    scenarios().iter().map(|s| s.id.clone()).collect()
}

#[test]
fn scenarios_json_lists_distinct_ids_each_expecting_a_verdict() {
    let ids = scenario_ids();
    assert!(!ids.is_empty(), "scenarios.json lists no scenario");
    for (i, id) in ids.iter().enumerate() {
        assert!(!ids[..i].contains(id), "scenario {id} listed twice");
    }
    for s in scenarios_json() {
        for name in ["id", "title", "sub", "method", "path", "credentials", "expect"] {
            assert!(s[name].is_string(), "{}: {name} is a string: {s}", s["id"]);
        }
        assert!(s["headers"].is_array(), "{}: headers is a list: {s}", s["id"]);
        assert!(
            matches!(s["expect"].as_str(), Some("allowed" | "blocked")),
            "{}: expects allowed or blocked: {s}",
            s["id"]
        );
    }
}

fn playground_binary() -> PathBuf {
    // tests run from target/<profile>/deps; cargo builds examples next to it
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(|d| d.parent()).unwrap();
    let bin = profile_dir.join("examples").join(format!("playground{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{bin:?} missing: `cargo test` builds examples; run `cargo build --example playground`");
    // `cargo test --test playground` does not rebuild the example: refuse to
    // test a binary older than its sources.
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).unwrap();
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join("playground");
    for source in std::fs::read_dir(&sources).unwrap() {
        let source = source.unwrap().path();
        assert!(
            modified(&source) <= modified(&bin),
            "{bin:?} is older than {source:?}: run `cargo build --example playground` (or `cargo test`, which builds \
             examples)"
        );
    }
    bin
}

/// A running playground.
struct Playground {
    running: Running,
    page: String,
    api: String,
    /// The console lines up to and including both addresses.
    console: Vec<String>,
    /// Collects whatever the console prints after the addresses.
    rest: JoinHandle<Vec<String>>,
}

/// Starts the playground on free ports and reads its console until it has
/// printed both addresses.
fn start() -> Playground {
    let mut child = Command::new(playground_binary())
        .env("PLAYGROUND_PAGE_PORT", "0")
        .env("PLAYGROUND_API_PORT", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start playground");
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let (mut page, mut api) = (None, None);
    let mut console = Vec::new();
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref().take(100) {
        let line = line.unwrap();
        let url =
            line.split_whitespace().find(|w| w.starts_with("http://")).map(|u| u.trim_end_matches('/').to_owned());
        if line.trim_start().starts_with("page:") {
            page = url;
        } else if line.trim_start().starts_with("api:") {
            api = url;
        }
        console.push(line);
        if page.is_some() && api.is_some() {
            break;
        }
    }
    // Keep draining stdout so the playground never writes to a closed pipe.
    let rest = std::thread::spawn(move || lines.map_while(Result::ok).collect());
    Playground {
        running,
        page: page.expect("playground printed its page address"),
        api: api.expect("playground printed its API address"),
        console,
        rest,
    }
}

/// One exchange with the playground at `url` (`http://host:port`) over
/// loopback: the status, the headers (lower-case names) and the body.
fn http(url: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, String) {
    let port = url.rsplit(':').next().and_then(|p| p.parse::<u16>().ok()).expect("the address has a port");
    server::exchange(([127, 0, 0, 1], port).into(), method, path, headers)
}

#[test]
fn playground_serves_the_page_and_the_api() {
    let Playground { page, api, running: _running, .. } = start();
    assert!(page.starts_with("http://127.0.0.1:"), "{page}");
    assert!(api.starts_with("http://localhost:"), "{api}");

    let (status, _, body) = http(&page, "GET", "/", &[]);
    assert_eq!(status, 200);
    assert!(body.contains("cors-actix playground"));
    assert!(body.contains(&api), "the page knows the API's address");

    // The scenarios the page fetches, from its own origin: the file as is.
    let (status, head, body) = http(&page, "GET", "/scenarios.json", &[]);
    assert_eq!(status, 200);
    assert_eq!(server::header(&head, "content-type"), Some("application/json"), "{head:?}");
    let served: Value = serde_json::from_str(&body).expect("/scenarios.json is JSON");
    assert_eq!(served.as_array().map(Vec::as_slice), Some(scenarios_json()), "/scenarios.json is scenarios.json");

    let (status, _, body) = http(&api, "GET", "/__routes", &[("Origin", &page)]);
    assert_eq!(status, 200);
    let routes: serde_json::Value = serde_json::from_str(body.trim()).unwrap_or_else(|_| {
        // chunked encoding: take the JSON between the first `{` and the last `}`
        let start = body.find('{').unwrap();
        let end = body.rfind('}').unwrap();
        serde_json::from_str(&body[start..=end]).unwrap()
    });
    let handlers: Vec<&str> =
        routes["routes"].as_array().unwrap().iter().filter_map(|r| r["handler"].as_str()).collect();
    for h in ["public_data", "update_order", "metrics", "printer_status"] {
        assert!(handlers.contains(&h), "{h} missing from /__routes: {handlers:?}");
    }

    let (status, head, _) = http(
        &api,
        "OPTIONS",
        "/orders",
        &[
            ("Origin", &page),
            ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    );
    assert_eq!(status, 204);
    assert_eq!(server::header(&head, "access-control-allow-origin"), Some(page.as_str()), "{head:?}");
    let (status, head, _) = http(
        &api,
        "OPTIONS",
        "/orders",
        &[("Origin", "https://evil.example"), ("Access-Control-Request-Method", "PUT")],
    );
    assert_eq!(status, 403);
    assert_eq!(
        server::header(&head, "x-cors-rejection"),
        Some("origin-not-allowed"),
        "the playground turns debug reasons on: {head:?}"
    );
}

/// The value of attribute `name` in an element's opening tag.
fn attr(tag: &str, name: &str) -> String {
    let open = tag.split('>').next().unwrap_or("");
    open.split(&format!(" {name}=\"")).nth(1).and_then(|s| s.split('"').next()).unwrap_or("").to_owned()
}

/// The element whose opening `<tag` holds `marker`, up to its first
/// `</tag>` (enough for the page's `<li>`, `<section>` and `<button>`s,
/// which do not nest in themselves).
fn element<'a>(dom: &'a str, tag: &str, marker: &str) -> &'a str {
    let Some(at) = dom.find(marker) else { return "" };
    let start = dom[..at].rfind(&format!("<{tag}")).unwrap_or(at);
    let close = format!("</{tag}>");
    let end = dom[start..].find(&close).map_or(dom.len(), |e| start + e + close.len());
    &dom[start..end]
}

/// The text of some HTML: tags dropped, a space where an element other than
/// `<code>` or `<b>` starts or ends (table cells, spans, divs).
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let name: String =
            rest[lt + 1..end].trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if name != "code" && name != "b" {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    let out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One of the seven steps the page shows, by its `data-step`.
struct StepView {
    state: String,
    html: String,
    text: String,
}

fn step(dom: &str, id: &str) -> StepView {
    let html = element(dom, "li", &format!("data-step=\"{id}\"")).to_owned();
    assert!(!html.is_empty(), "step {id} missing from the page:\n{dom}");
    StepView { state: attr(&html, "class"), text: text(&html), html }
}

/// The header names of the rows of `html`'s tables, in order.
fn header_names(html: &str) -> Vec<String> {
    html.split("<tr")
        .skip(1)
        .map(|row| text(row.split_once('>').map_or("", |(_, cells)| cells).split("</td>").next().unwrap_or("")))
        .collect()
}

/// The longest one engine's run of every scenario may take, start-up
/// included, before it counts as failed (only to avoid a hang).
const TIMEOUT: Duration = Duration::from_secs(120);

/// The seven steps the page shows, in order, by their `data-step`.
const STEPS: [&str; 7] =
    ["call", "classify", "preflight-request", "preflight-response", "actual-request", "actual-response", "verdict"];

/// What one engine's page showed: `<main>`'s HTML after each run, by the
/// run's fragment (`""` on load, `run=<id>`, `run=off&expect=allowed`).
struct Shown {
    version: String,
    user_agent: String,
    elapsed: Duration,
    runs: Vec<(String, String)>,
}

impl Shown {
    /// The page after `run` (a `#…` fragment the page also takes by hand).
    fn dom(&self, run: &str) -> &str {
        let found = self.runs.iter().find(|(r, _)| r == run);
        &found.unwrap_or_else(|| panic!("the page reported no run {run:?}")).1
    }

    /// The page after running scenario `id` with its own expectation.
    fn scenario(&self, id: &str) -> &str {
        self.dom(&format!("run={id}"))
    }

    /// The ids of the scenario buttons the page shows on load.
    fn scenario_ids(&self) -> Vec<String> {
        self.dom("").split(" id=\"run-").skip(1).filter_map(|s| s.split('"').next()).map(str::to_owned).collect()
    }
}

/// One engine's part of the browser check.
enum Outcome {
    /// Not installed: why.
    Missing(String),
    /// Installed, but the page reported nothing usable: why.
    Failed(String),
    Ran(Shown),
}

/// The runs the page reports: on load, each scenario, and "off" with the
/// opposite expectation.
fn parse_report(engine: Engine, body: &str) -> Result<(String, Vec<(String, String)>), String> {
    let report: Value = serde_json::from_str(body).map_err(|e| format!("{engine}: the page posted no JSON: {e}"))?;
    let mut runs = Vec::new();
    for run in report["runs"].as_array().ok_or_else(|| format!("{engine}: no runs in the report"))? {
        let name = run["run"].as_str().unwrap_or("?").to_owned();
        match (run["html"].as_str(), run["error"].as_str()) {
            (Some(html), _) => runs.push((name, html.to_owned())),
            (None, error) => return Err(format!("{engine}: run {name:?} failed on the page: {error:?}")),
        }
    }
    Ok((report["userAgent"].as_str().unwrap_or_default().to_owned(), runs))
}

/// Sends `found`'s engine to the playground's page in report mode and
/// collects what it showed, on a runtime of its own.
fn run_in(found: Found, page: &str) -> Result<Shown, String> {
    let engine = found.engine;
    let report = actix_web::rt::System::new().block_on(async {
        let collector = Collector::start(None).await;
        let url = format!("{page}/?report={}", collector.url("/results"));
        let report = collector.collect(found, url, TIMEOUT).await;
        collector.stop().await;
        report
    })?;
    let (user_agent, runs) = parse_report(engine, &report.body)?;
    let shown = Shown { version: report.version, user_agent, elapsed: report.elapsed, runs };
    for id in shown.scenario_ids().into_iter().chain(scenario_ids()) {
        if !shown.runs.iter().any(|(r, _)| *r == format!("run={id}")) {
            return Err(format!("{engine}: the page did not report scenario {id}"));
        }
    }
    Ok(shown)
}

/// Runs the page in every engine once per test binary (side by side, each
/// on its own thread and collection server, all on one playground), then
/// stops the playground and prints the table.
fn suite() -> &'static [(Engine, Outcome)] {
    static SUITE: OnceLock<Vec<(Engine, Outcome)>> = OnceLock::new();
    SUITE.get_or_init(|| {
        let playground = start();
        let threads: Vec<_> = Engine::ALL
            .map(|engine| {
                let page = playground.page.clone();
                let thread = std::thread::spawn(move || match engines::find(engine) {
                    Err(why) => Outcome::Missing(why),
                    Ok(found) => run_in(found, &page).map_or_else(Outcome::Failed, Outcome::Ran),
                });
                (engine, thread)
            })
            .into();
        let outcomes: Vec<_> = threads
            .into_iter()
            .map(|(engine, thread)| {
                let outcome = thread.join().unwrap_or_else(|panic| {
                    Outcome::Failed(format!("{engine}'s run panicked: {}", panic_message(panic.as_ref())))
                });
                (engine, outcome)
            })
            .collect();
        drop(playground);
        print_table(&outcomes);
        outcomes
    })
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// One letter per step's state: `P`assed, `F`ailed, `-` skipped, `?` other.
fn step_states(dom: &str) -> String {
    STEPS
        .iter()
        .map(|id| match step(dom, id).state.as_str() {
            "passed" => 'P',
            "failed" => 'F',
            "skipped" => '-',
            _ => '?',
        })
        .collect()
}

/// The verdict element's `data-outcome` and `data-expect`.
fn verdict_of(dom: &str) -> (String, String) {
    let verdict = element(dom, "div", "id=\"verdict\"");
    (attr(verdict, "data-outcome"), attr(verdict, "data-expect"))
}

/// Scenario × engine: the verdict and the state of each step. Written to
/// the process's standard error directly, so `cargo test` shows it without
/// `--nocapture`.
fn print_table(outcomes: &[(Engine, Outcome)]) {
    let mut out = String::from("\nplayground browser check:\n");
    for (engine, outcome) in outcomes {
        let line = match outcome {
            Outcome::Missing(why) => format!("SKIPPED: {why}"),
            Outcome::Failed(why) => format!("FAILED: {}", why.lines().next().unwrap_or_default()),
            Outcome::Ran(shown) => {
                format!("{} ({:.1} s): {}", shown.version, shown.elapsed.as_secs_f64(), shown.user_agent)
            }
        };
        out.push_str(&format!("  {:<9} {line}\n", engine.name()));
    }
    out.push_str(&format!("\n  {:<22} {:<8}", "scenario", "expects"));
    for (engine, _) in outcomes {
        out.push_str(&format!(" {:<17}", engine.name()));
    }
    out.push('\n');
    for Scenario { id, expect } in scenarios() {
        let mut cells = String::new();
        for (_, outcome) in outcomes {
            let cell = match outcome {
                // A scenario the page did not run is left for the tests to report.
                Outcome::Ran(shown) if shown.runs.iter().any(|(r, _)| *r == format!("run={id}")) => {
                    let dom = shown.scenario(id);
                    let got = verdict_of(dom).0;
                    format!("{got} {}{}", step_states(dom), if got == *expect { "" } else { " !" })
                }
                Outcome::Ran(_) => "not run".to_owned(),
                _ => "-".to_owned(),
            };
            cells.push_str(&format!(" {cell:<17}"));
        }
        out.push_str(&format!("  {id:<22} {expect:<8}{cells}\n"));
    }
    out.push_str(
        "(the verdict, then the seven steps: P passed, F failed, - skipped, ? unchecked; `!`: not the verdict \
         scenarios.json expects)\n",
    );
    let _ = std::io::stderr().lock().write_all(out.as_bytes());
}

/// Runs `check` on what each engine that ran showed; fails with every
/// engine's failure (an engine that is missing or failed is reported by
/// its own test, `playground_runs_in_<engine>`).
fn in_each_engine(check: impl Fn(Engine, &Shown)) {
    let mut failed = Vec::new();
    let mut ran = 0;
    for (engine, outcome) in suite() {
        if let Outcome::Ran(shown) = outcome {
            ran += 1;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(*engine, shown))) {
                failed.push(format!("{engine}: {}", panic_message(panic.as_ref())));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    if ran == 0 {
        eprintln!("(no browser engine ran this check: see playground_runs_in_<engine>)");
    }
}

/// One engine's own test: skipped (or failed, when required) when the
/// engine is missing; otherwise the page must have reported every run.
fn runs_in(engine: Engine) {
    match &suite().iter().find(|(e, _)| *e == engine).expect("every engine has an outcome").1 {
        Outcome::Missing(why) => engines::skip_or_fail(engine, why),
        Outcome::Failed(why) => panic!("{why}"),
        Outcome::Ran(shown) => {
            assert_eq!(
                shown.scenario_ids(),
                scenario_ids(),
                "{engine}: the page shows exactly the scenarios of scenarios.json, in order"
            );
            shown.dom("run=off&expect=allowed");
        }
    }
}

per_engine!(runs_in => playground_runs_in_chromium, playground_runs_in_firefox, playground_runs_in_webkit);

#[test]
fn playground_scenarios_produce_the_verdicts_their_file_expects() {
    in_each_engine(|engine, shown| {
        let mut wrong = Vec::new();
        for Scenario { id, expect } in scenarios() {
            let (outcome, shown_expect) = verdict_of(shown.scenario(id));
            if outcome.is_empty() || outcome != *expect {
                wrong.push(format!("{id}: scenarios.json expects {expect:?}, {engine} produced {outcome:?}"));
            }
            if shown_expect != *expect {
                wrong.push(format!(
                    "{id}: scenarios.json expects {expect:?}, the page said it expects {shown_expect:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    });
}

#[test]
fn console_lists_the_routes_then_ends_with_the_addresses() {
    let Playground { running, console, rest, .. } = start();
    let route = console.iter().position(|l| l.contains("public_data")).unwrap_or_else(|| {
        panic!("the route list (with public_data) comes before the addresses:\n{}", console.join("\n"))
    });
    let page = console.iter().position(|l| l.trim_start().starts_with("page:")).unwrap();
    assert!(route < page, "routes before addresses:\n{}", console.join("\n"));
    assert!(!console.iter().any(|l| l.contains(" /__")), "no internal route listed:\n{}", console.join("\n"));
    // Nothing after the addresses: stop the playground and read the rest.
    drop(running);
    let rest = rest.join().unwrap();
    assert!(rest.is_empty(), "the addresses are the last lines, but then came:\n{}", rest.join("\n"));
}

#[test]
fn each_step_is_coloured_by_its_own_check() {
    in_each_engine(|_, shown| {
        // `#[cors(off)]`: the server answers 200 without any CORS header, so the
        // browser's CORS check on the response fails, and step 6 says why.
        let dom = shown.scenario("off");
        let actual = step(dom, "actual-response");
        assert_eq!(actual.state, "failed", "off: step 6 is failed: {}", actual.text);
        assert!(
            actual.text.contains("Access-Control-Allow-Origin is missing"),
            "off: step 6 names the missing ACAO: {}",
            actual.text
        );
        assert_eq!(step(dom, "verdict").state, "failed");

        // Allowed: both responses pass their checks.
        let dom = shown.scenario("simple-public");
        let actual = step(dom, "actual-response");
        assert_eq!(actual.state, "passed", "simple-public: step 6 is passed: {}", actual.text);
        assert!(!actual.html.contains("class=\"reason"), "no refusal on an allowed response: {}", actual.text);
        assert_eq!(step(dom, "preflight-response").state, "skipped");

        let dom = shown.scenario("preflight-credentials");
        for id in ["preflight-response", "actual-response", "verdict"] {
            let s = step(dom, id);
            assert_eq!(s.state, "passed", "preflight-credentials: {id} is passed: {}", s.text);
        }

        // A preflight the server refuses: step 4 fails with the browser's check.
        let dom = shown.scenario("header-not-allowed");
        let pre = step(dom, "preflight-response");
        assert_eq!(pre.state, "failed", "header-not-allowed: step 4 is failed: {}", pre.text);
        assert!(pre.text.contains("fails:"), "header-not-allowed: step 4 says which check fails: {}", pre.text);
        assert_eq!(step(dom, "actual-request").state, "skipped");
    });
}

#[test]
fn step_two_states_the_decision_once() {
    in_each_engine(|_, shown| {
        let simple = step(shown.scenario("simple-public"), "classify");
        assert_eq!(simple.text.to_lowercase().matches("simple request").count(), 1, "{}", simple.text);
        let preflighted = step(shown.scenario("preflight-credentials"), "classify");
        assert!(
            preflighted.text.contains("Needs a preflight: method PUT is not CORS-safelisted"),
            "{}",
            preflighted.text
        );
        assert_eq!(
            preflighted.text.to_lowercase().matches("preflight").count(),
            2,
            "title and decision: {}",
            preflighted.text
        );
    });
}

#[test]
fn browser_noise_headers_are_collapsed_and_cors_headers_first() {
    in_each_engine(|_, shown| {
        let dom = shown.scenario("preflight-credentials");
        for id in ["preflight-request", "actual-request"] {
            let s = step(dom, id);
            let (shown, collapsed) =
                s.html.split_once("<details").unwrap_or_else(|| panic!("{id}: no <details>: {}", s.html));
            assert!(!collapsed.split('>').next().unwrap_or("").contains("open"), "{id}: collapsed by default");
            let shown = header_names(shown);
            let collapsed = header_names(collapsed);
            assert_eq!(shown.first().map(String::as_str), Some("origin"), "{id}: origin first: {shown:?}");
            for noise in ["user-agent", "sec-fetch-mode", "accept-encoding"] {
                assert!(collapsed.iter().any(|n| n == noise), "{id}: {noise} collapsed: {collapsed:?}");
                assert!(!shown.iter().any(|n| n == noise), "{id}: {noise} not shown: {shown:?}");
            }
            let is_cors = |n: &String| n == "origin" || n == "vary" || n.starts_with("access-control-");
            let first_other = shown.iter().position(|n| !is_cors(n)).unwrap_or(shown.len());
            assert!(
                shown[first_other..].iter().all(|n| !is_cors(n)),
                "{id}: every CORS header before the others: {shown:?}"
            );
            if id == "preflight-request" {
                assert!(shown.iter().any(|n| n == "access-control-request-method"), "{shown:?}");
            }
        }
    });
}

#[test]
fn the_policy_table_hides_the_internal_routes() {
    in_each_engine(|_, shown| {
        let dom = shown.dom("");
        let table = text(element(dom, "section", "id=\"routes\""));
        for shown in ["global", "/public", "public_data", "/internal/metrics", "/orders"] {
            assert!(table.contains(shown), "{shown} listed: {table}");
        }
        assert!(!table.contains("/__"), "no /__ route listed: {table}");
    });
}

#[test]
fn the_selected_scenario_is_highlighted_and_the_result_says_if_it_matched() {
    in_each_engine(|_, shown| {
        let dom = shown.scenario("off");
        for id in ["off", "simple-public", "reject"] {
            let button = element(dom, "button", &format!("id=\"run-{id}\""));
            let selected = attr(button, "class").split(' ').any(|c| c == "selected");
            assert_eq!(selected, id == "off", "{id}: highlighted only when selected: {button}");
            assert_eq!(attr(button, "aria-pressed"), if id == "off" { "true" } else { "false" }, "{button}");
        }
        let verdict = element(dom, "div", "id=\"verdict\"");
        assert_eq!(attr(verdict, "data-matched"), "yes", "{verdict}");
        assert!(text(verdict).contains("as this scenario expects (blocked)"), "{}", text(verdict));

        // The same scenario with the opposite expectation shows the mismatch.
        let dom = shown.dom("run=off&expect=allowed");
        let verdict = element(dom, "div", "id=\"verdict\"");
        assert_eq!(attr(verdict, "data-matched"), "no", "{verdict}");
        assert!(
            text(verdict).contains("NOT as this scenario expects: expected allowed, got blocked"),
            "{}",
            text(verdict)
        );
    });
}

#[test]
fn patch_and_lower_case_patch_are_explained() {
    in_each_engine(|_, shown| {
        let dom = shown.scenario("patch-lower");
        let hint = text(element(dom, "p", "id=\"method-hint\""));
        for word in ["DELETE, GET, HEAD, OPTIONS, POST and PUT", "patch stays patch", "listing PATCH does not allow it"]
        {
            assert!(hint.contains(word), "the method menu explains PATCH vs patch ({word}): {hint}");
        }
        // The browser really sends `patch` as written, and the page says so.
        let pre = step(dom, "preflight-request");
        assert!(pre.text.contains("access-control-request-method patch"), "sent as written: {}", pre.text);
        let classify = step(dom, "classify");
        assert!(classify.text.contains("\"patch\" goes out exactly as written"), "{}", classify.text);
        assert!(classify.text.contains("a policy listing PATCH does not allow patch"), "{}", classify.text);
        assert_eq!(attr(element(dom, "div", "id=\"verdict\""), "data-outcome"), "blocked");

        let dom = shown.scenario("patch-upper");
        assert_eq!(attr(element(dom, "div", "id=\"verdict\""), "data-outcome"), "allowed");
        assert!(step(dom, "preflight-request").text.contains("access-control-request-method PATCH"));
        assert!(!step(dom, "classify").html.contains("method-note"), "no note for PATCH");
    });
}

/// The headers each engine adds to every request of its own accord, as the
/// page shows them (folded away, see `BROWSER_NOISE` in `page.html`) on a
/// simple `GET` with `cache: "no-store"` and on the preflight of a `PUT`:
/// they differ by engine, so each engine's list is spelled out.
fn browser_added_headers(engine: Engine, preflight: bool) -> Vec<&'static str> {
    let mut names = vec!["accept", "accept-encoding", "accept-language", "connection", "host", "referer"];
    names.extend(["sec-fetch-dest", "sec-fetch-mode", "sec-fetch-site", "user-agent"]);
    match engine {
        // Client hints, on requests other than preflights.
        Engine::Chromium if !preflight => names.extend(["sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform"]),
        Engine::Chromium => {}
        // Firefox sends the `Priority` request header on every request.
        Engine::Firefox => names.push("priority"),
        Engine::WebKit => {}
    }
    // `cache: "no-store"` adds `Cache-Control` and `Pragma` to the request
    // (Fetch, "HTTP-network-or-cache fetch"). The preflight is a request of
    // its own (Fetch, "CORS-preflight fetch"): WebKit leaves them off it,
    // Chromium and Firefox send them there too.
    if !(engine == Engine::WebKit && preflight) {
        names.extend(["cache-control", "pragma"]);
    }
    names.sort_unstable();
    names
}

/// Headers that newer releases of an engine add and older ones do not, so
/// the test accepts them without requiring them. `Sec-Fetch-Storage-Access`
/// (Fetch Metadata's storage-access header) goes on cross-site requests of a
/// credentialed fetch, the preflight included, in Firefox ESR builds from
/// some release on; the builds this suite first ran on left it off.
const SENT_BY_SOME_RELEASES: [&str; 1] = ["sec-fetch-storage-access"];

#[test]
fn each_engine_adds_its_own_headers_and_the_page_folds_them_away() {
    in_each_engine(|engine, shown| {
        for (id, step_id, preflight) in
            [("simple-public", "actual-request", false), ("preflight-credentials", "preflight-request", true)]
        {
            let html = step(shown.scenario(id), step_id).html;
            let (listed, collapsed) =
                html.split_once("<details").unwrap_or_else(|| panic!("{id}: no <details>: {html}"));
            let mut collapsed = header_names(collapsed);
            let listed = header_names(listed);
            for name in SENT_BY_SOME_RELEASES {
                assert!(!listed.iter().any(|n| n == name), "{id} {step_id}: {name} is folded away when sent");
            }
            collapsed.retain(|n| !SENT_BY_SOME_RELEASES.contains(&n.as_str()));
            collapsed.sort_unstable();
            assert_eq!(collapsed, browser_added_headers(engine, preflight), "{id} {step_id}: the headers folded away");
        }
    });
}

/// What `fetch()` rejects with when the browser blocks a response: the
/// Fetch standard only says "a TypeError"; each engine words it its own way.
fn network_error(engine: Engine) -> &'static str {
    match engine {
        Engine::Chromium => "TypeError: Failed to fetch",
        Engine::Firefox => "TypeError: NetworkError when attempting to fetch resource.",
        Engine::WebKit => "TypeError: Load failed",
    }
}

#[test]
fn a_blocked_scenario_shows_the_engines_own_network_error() {
    in_each_engine(|engine, shown| {
        for id in scenario_ids() {
            let dom = shown.scenario(&id);
            if verdict_of(dom).0 != "blocked" {
                continue;
            }
            let verdict = step(dom, "verdict").text;
            let said = format!("fetch() rejected: {}", network_error(engine));
            assert!(verdict.contains(&said), "{id}: step 7 quotes {engine}'s rejection ({said}): {verdict}");
        }
    });
}

/// Apart from the two differences above (the headers an engine adds, the
/// wording of its network error), every engine gets the same verdict and
/// the same state of every step on every scenario.
#[test]
fn every_engine_shows_the_same_verdicts_and_steps() {
    let ran: Vec<(Engine, &Shown)> =
        suite().iter().filter_map(|(e, o)| if let Outcome::Ran(s) = o { Some((*e, s)) } else { None }).collect();
    let Some(((first, reference), others)) = ran.split_first() else { return };
    let mut differ = Vec::new();
    for id in scenario_ids() {
        let seen = |shown: &Shown| {
            let dom = shown.scenario(&id);
            (verdict_of(dom).0, step_states(dom))
        };
        for (engine, shown) in others {
            if seen(shown) != seen(reference) {
                differ.push(format!("{id}: {first} {:?}, {engine} {:?}", seen(reference), seen(shown)));
            }
        }
    }
    assert!(differ.is_empty(), "the engines differ:\n{}", differ.join("\n"));
}
