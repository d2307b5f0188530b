//! Starts the playground binary (`cargo run --example playground`), checks
//! both its addresses answer and what its console says, and — where Chromium
//! is installed — that each scenario button produces the verdict the page
//! promises and that the page shows each step the way it claims to.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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

/// A minimal HTTP/1.1 exchange over loopback: (status, raw headers, body).
fn http(url: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let authority = url.trim_start_matches("http://");
    let port = authority.rsplit(':').next().unwrap();
    let mut stream = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_owned())
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
    assert!(head.contains(&format!("access-control-allow-origin: {page}")), "{head}");
    let (status, head, _) = http(
        &api,
        "OPTIONS",
        "/orders",
        &[("Origin", "https://evil.example"), ("Access-Control-Request-Method", "PUT")],
    );
    assert_eq!(status, 403);
    assert!(head.contains("x-cors-rejection: origin-not-allowed"), "the playground turns debug reasons on: {head}");
}

fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-headless-shell", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.exists()));
    if found.is_none() {
        if std::env::var("CORS_ACTIX_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("no Chromium found and CORS_ACTIX_REQUIRE_BROWSER=1");
        }
        eprintln!("\n!!! SKIPPING the playground's browser check: no Chromium found\n");
    }
    found
}

/// Loads `<page>/<fragment>` in headless Chromium and returns the DOM once
/// the page's scripts are done.
fn dump_dom(chromium: &Path, page: &str, fragment: &str) -> String {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let n = RUNS.fetch_add(1, Ordering::Relaxed);
    let profile = std::env::temp_dir().join(format!("cors-actix-playground-{}-{n}", std::process::id()));
    let started = Instant::now();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{page}/{fragment}"))
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("run chromium");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(started.elapsed() < Duration::from_secs(60), "chromium took too long on {fragment}");
    String::from_utf8_lossy(&out.stdout).into_owned()
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

/// Loads the page with `#run=<id>` and returns the DOM.
fn run_scenario_dom(chromium: &Path, page: &str, id: &str) -> String {
    dump_dom(chromium, page, &format!("#run={id}"))
}

/// Loads the page with `#run=<id>` and returns the verdict element's
/// `data-outcome` and `data-expect`.
fn run_scenario(chromium: &Path, page: &str, id: &str) -> (String, String) {
    let dom = run_scenario_dom(chromium, page, id);
    let verdict = element(&dom, "div", "id=\"verdict\"");
    (attr(verdict, "data-outcome"), attr(verdict, "data-expect"))
}

#[test]
fn playground_scenarios_produce_their_promised_verdicts_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let Playground { page, running: _running, .. } = start();
    let ids = [
        "simple-public",
        "global-default",
        "preflight-credentials",
        "header-not-allowed",
        "error-readable",
        "disallowed-origin",
        "reject",
        "off",
        "patch-upper",
        "patch-lower",
        "pna",
    ];
    let mut wrong = Vec::new();
    for id in ids {
        let (outcome, expect) = run_scenario(&chromium, &page, id);
        if outcome.is_empty() || outcome != expect {
            wrong.push(format!("{id}: page promised {expect:?}, Chromium produced {outcome:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
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
fn each_step_is_coloured_by_its_own_check_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let Playground { page, running: _running, .. } = start();

    // `#[cors(off)]`: the server answers 200 without any CORS header, so the
    // browser's CORS check on the response fails, and step 6 says why.
    let dom = run_scenario_dom(&chromium, &page, "off");
    let actual = step(&dom, "actual-response");
    assert_eq!(actual.state, "failed", "off: step 6 is failed: {}", actual.text);
    assert!(
        actual.text.contains("Access-Control-Allow-Origin is missing"),
        "off: step 6 names the missing ACAO: {}",
        actual.text
    );
    assert_eq!(step(&dom, "verdict").state, "failed");

    // Allowed: both responses pass their checks.
    let dom = run_scenario_dom(&chromium, &page, "simple-public");
    let actual = step(&dom, "actual-response");
    assert_eq!(actual.state, "passed", "simple-public: step 6 is passed: {}", actual.text);
    assert!(!actual.html.contains("class=\"reason"), "no refusal on an allowed response: {}", actual.text);
    assert_eq!(step(&dom, "preflight-response").state, "skipped");

    let dom = run_scenario_dom(&chromium, &page, "preflight-credentials");
    for id in ["preflight-response", "actual-response", "verdict"] {
        let s = step(&dom, id);
        assert_eq!(s.state, "passed", "preflight-credentials: {id} is passed: {}", s.text);
    }

    // A preflight the server refuses: step 4 fails with the browser's check.
    let dom = run_scenario_dom(&chromium, &page, "header-not-allowed");
    let pre = step(&dom, "preflight-response");
    assert_eq!(pre.state, "failed", "header-not-allowed: step 4 is failed: {}", pre.text);
    assert!(pre.text.contains("fails:"), "header-not-allowed: step 4 says which check fails: {}", pre.text);
    assert_eq!(step(&dom, "actual-request").state, "skipped");
}

#[test]
fn step_two_states_the_decision_once_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let Playground { page, running: _running, .. } = start();
    let simple = step(&run_scenario_dom(&chromium, &page, "simple-public"), "classify");
    assert_eq!(simple.text.to_lowercase().matches("simple request").count(), 1, "{}", simple.text);
    let preflighted = step(&run_scenario_dom(&chromium, &page, "preflight-credentials"), "classify");
    assert!(preflighted.text.contains("Needs a preflight: method PUT is not CORS-safelisted"), "{}", preflighted.text);
    assert_eq!(
        preflighted.text.to_lowercase().matches("preflight").count(),
        2,
        "title and decision: {}",
        preflighted.text
    );
}

#[test]
fn browser_noise_headers_are_collapsed_and_cors_headers_first_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let Playground { page, running: _running, .. } = start();
    let dom = run_scenario_dom(&chromium, &page, "preflight-credentials");
    for id in ["preflight-request", "actual-request"] {
        let s = step(&dom, id);
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
}

#[test]
fn the_policy_table_hides_the_internal_routes_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let Playground { page, running: _running, .. } = start();
    let dom = dump_dom(&chromium, &page, "");
    let table = text(element(&dom, "section", "id=\"routes\""));
    for shown in ["global", "/public", "public_data", "/internal/metrics", "/orders"] {
        assert!(table.contains(shown), "{shown} listed: {table}");
    }
    assert!(!table.contains("/__"), "no /__ route listed: {table}");
}

#[test]
fn the_selected_scenario_is_highlighted_and_the_result_says_if_it_matched_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let Playground { page, running: _running, .. } = start();
    let dom = run_scenario_dom(&chromium, &page, "off");
    for id in ["off", "simple-public", "reject"] {
        let button = element(&dom, "button", &format!("id=\"run-{id}\""));
        let selected = attr(button, "class").split(' ').any(|c| c == "selected");
        assert_eq!(selected, id == "off", "{id}: highlighted only when selected: {button}");
        assert_eq!(attr(button, "aria-pressed"), if id == "off" { "true" } else { "false" }, "{button}");
    }
    let verdict = element(&dom, "div", "id=\"verdict\"");
    assert_eq!(attr(verdict, "data-matched"), "yes", "{verdict}");
    assert!(text(verdict).contains("as this scenario expects (blocked)"), "{}", text(verdict));

    // The same scenario with the opposite expectation shows the mismatch.
    let dom = dump_dom(&chromium, &page, "#run=off&expect=allowed");
    let verdict = element(&dom, "div", "id=\"verdict\"");
    assert_eq!(attr(verdict, "data-matched"), "no", "{verdict}");
    assert!(text(verdict).contains("NOT as this scenario expects: expected allowed, got blocked"), "{}", text(verdict));
}

#[test]
fn patch_and_lower_case_patch_are_explained_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let Playground { page, running: _running, .. } = start();
    let dom = run_scenario_dom(&chromium, &page, "patch-lower");
    let hint = text(element(&dom, "p", "id=\"method-hint\""));
    for word in ["DELETE, GET, HEAD, OPTIONS, POST and PUT", "patch stays patch", "listing PATCH does not allow it"] {
        assert!(hint.contains(word), "the method menu explains PATCH vs patch ({word}): {hint}");
    }
    // The browser really sends `patch` as written, and the page says so.
    let pre = step(&dom, "preflight-request");
    assert!(pre.text.contains("access-control-request-method patch"), "sent as written: {}", pre.text);
    let classify = step(&dom, "classify");
    assert!(classify.text.contains("\"patch\" goes out exactly as written"), "{}", classify.text);
    assert!(classify.text.contains("a policy listing PATCH does not allow patch"), "{}", classify.text);
    assert_eq!(attr(element(&dom, "div", "id=\"verdict\""), "data-outcome"), "blocked");

    let dom = run_scenario_dom(&chromium, &page, "patch-upper");
    assert_eq!(attr(element(&dom, "div", "id=\"verdict\""), "data-outcome"), "allowed");
    assert!(step(&dom, "preflight-request").text.contains("access-control-request-method PATCH"));
    assert!(!step(&dom, "classify").html.contains("method-note"), "no note for PATCH");
}
