//! Real-browser conformance (the browser's CORS check): headless Chromium runs a page
//! on `http://127.0.0.1:<a>` whose `fetch()` calls reach the app under test
//! on `http://localhost:<b>`, and reports what each call could see.
//!
//! Chromium is looked up as `$CHROMIUM`, `chromium`, `chromium-headless-shell`,
//! `chromium-browser` or `google-chrome`. Without one the test is skipped
//! with a loud message — unless `CORS_ACTIX_REQUIRE_BROWSER=1` (set by
//! `.ci/run`), where a missing browser fails the test.

#[path = "chromium/app.rs"]
mod app;
#[path = "chromium/cases.rs"]
mod cases;
#[path = "chromium/harness.rs"]
mod harness;

use cases::Case;
use cors_actix::test::Browser;
use serde_json::Value;

/// What the page reported for one case.
#[derive(Debug)]
struct Seen {
    allowed: bool,
    status: Option<u16>,
    readable: Vec<String>,
    error: Option<String>,
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

/// Every way `seen` differs from what `case` expects.
fn mismatches(case: &Case, seen: &Seen) -> Vec<String> {
    let mut out = Vec::new();
    if seen.allowed != case.allowed {
        out.push(format!(
            "expected {}, Chromium said {}{}",
            if case.allowed { "allowed" } else { "blocked" },
            if seen.allowed { "allowed" } else { "blocked" },
            seen.error.as_deref().map(|e| format!(" ({e})")).unwrap_or_default()
        ));
        return out;
    }
    if case.allowed && seen.status != case.status {
        out.push(format!("expected status {:?}, saw {:?}", case.status, seen.status));
    }
    for h in &case.readable {
        if !seen.readable.iter().any(|r| r.eq_ignore_ascii_case(h)) {
            out.push(format!("`{h}` should be readable, readable were {:?}", seen.readable));
        }
    }
    for h in &case.unreadable {
        if seen.readable.iter().any(|r| r.eq_ignore_ascii_case(h)) {
            out.push(format!("`{h}` should be hidden from the page"));
        }
    }
    out
}

#[actix_web::test]
async fn chromium_agrees_with_every_case() {
    let Some(chromium) = harness::find_chromium() else { return };
    let cases = cases::all();
    assert!(cases.len() >= 40, "the suite promises at least 40 cases");
    let results = harness::run_in_chromium(&chromium, &cases).await;

    // The in-process model must agree with the real browser.
    let app = actix_web::test::init_service(app::app()).await;
    let mut table = Vec::new();
    let mut disagreements = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let seen = parse(&results[i]);
        for m in mismatches(case, &seen) {
            table.push(format!("{:>2} {:<58} {m}", i, case.name));
        }
        let mut fetch = Browser::new(harness::PAGE_ORIGIN_PLACEHOLDER).fetch(case.method, case.path);
        for (name, value) in &case.headers {
            fetch = fetch.header(*name, value.as_bytes());
        }
        if let Some(body) = case.body {
            fetch = fetch.body(body);
        }
        let verdict = fetch.credentials(case.credentials).send(&app).await;
        if verdict.is_allowed() != seen.allowed {
            disagreements.push(format!(
                "{:>2} {:<58} model says {}, Chromium says {}\n{verdict}",
                i,
                case.name,
                if verdict.is_allowed() { "allowed" } else { "blocked" },
                if seen.allowed { "allowed" } else { "blocked" }
            ));
        }
    }
    assert_eq!(app::ADMIN_RUNS.load(std::sync::atomic::Ordering::SeqCst), 0, "reject = true ran the handler");
    println!("{} cases run in {chromium:?}", cases.len());
    assert!(table.is_empty(), "Chromium disagreed with the expected verdicts:\n{}", table.join("\n"));
    assert!(
        disagreements.is_empty(),
        "the in-process Browser model disagreed with Chromium:\n{}",
        disagreements.join("\n")
    );
}
