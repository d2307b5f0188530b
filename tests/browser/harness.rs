//! Starts the app under test and a page server on loopback, sends one
//! engine to the page, and collects the results the page POSTs back (the
//! page server and the wait are `browser/report.rs`).

use super::app;
use super::cases::Case;
use super::engines::Found;
use super::report::{self, Collector, Report};
use actix_web::{App, HttpServer};
use serde_json::Value;
use std::net::TcpListener;
use std::time::Duration;

/// An origin the in-process model uses for the page: same shape as the
/// real page's `http://127.0.0.1:<port>`.
pub const PAGE_ORIGIN_PLACEHOLDER: &str = "http://127.0.0.1:4000";

/// The longest one engine's run may take, start-up included, before it
/// counts as failed.
const TIMEOUT: Duration = Duration::from_secs(120);

fn page_html(api: &str, cases: &[Case]) -> String {
    let cases = serde_json::to_string(cases).expect("cases serialize");
    PAGE.replace("__API__", api).replace("__CASES__", &cases)
}

const PAGE: &str = r#"<!doctype html><meta charset="utf-8"><title>cors-actix browser tests</title>
<body><pre id="log">running</pre><script>
const API = "__API__";
const CASES = __CASES__;
async function runCase(c, i) {
  const init = { method: c.method, headers: c.headers, mode: "cors", cache: "no-store",
                 credentials: c.credentials ? "include" : "omit" };
  if (c.body !== null) init.body = c.body;
  // A unique URL per case so no preflight cache entry is ever reused.
  const url = API + c.path + (c.path.includes("?") ? "&" : "?") + "case=" + i + "&r=" + Math.random();
  try {
    const res = await fetch(url, init);
    const headers = []; for (const [k] of res.headers) headers.push(k);
    await res.text();
    return { ok: true, status: res.status, headers };
  } catch (e) {
    return { ok: false, error: String(e) };
  }
}
(async () => {
  const results = [];
  for (let i = 0; i < CASES.length; i++) results.push(await runCase(CASES[i], i));
  await fetch("/results", { method: "POST", body: JSON.stringify(results) });
  document.getElementById("log").textContent = "done";
})();
</script>"#;

/// One engine's run of every case.
pub struct Run {
    /// The engine's version, as it reports it.
    pub version: String,
    /// The page's result per case, in order.
    pub results: Vec<Value>,
    /// From launching the engine to its results.
    pub elapsed: Duration,
}

/// Runs every case in `found`'s engine, on a runtime of its own (so engines
/// can run side by side on their own threads). `Err` says why there are no
/// results: the engine did not start, or did not report within the
/// timeout (its log included).
pub fn run_in(found: &Found, cases: &[Case]) -> Result<Run, String> {
    actix_web::rt::System::new().block_on(run(found.clone(), cases))
}

async fn run(found: Found, cases: &[Case]) -> Result<Run, String> {
    let engine = found.engine;
    let api_listener = TcpListener::bind("127.0.0.1:0").expect("bind api");
    let api = format!("http://localhost:{}", api_listener.local_addr().unwrap().port());
    let api_server = HttpServer::new(|| App::new().wrap(app::cors()).configure(app::services))
        .workers(1)
        .listen(api_listener)
        .expect("listen api")
        .run();
    let api_handle = report::in_background(api_server);

    // The page and its `/results` share one loopback server (and origin).
    let collector = Collector::start(Some(page_html(&api, cases))).await;
    let outcome = collector.collect(found, collector.url("/"), TIMEOUT).await;
    api_handle.stop(true).await;
    collector.stop().await;
    let Report { version, body, elapsed } = outcome?;
    let parsed: Value = serde_json::from_str(&body).map_err(|e| format!("{engine}: the page posted no JSON: {e}"))?;
    let results = parsed.as_array().ok_or_else(|| format!("{engine}: the page posted no list"))?.clone();
    if results.len() != cases.len() {
        return Err(format!("{engine}: {} results for {} cases", results.len(), cases.len()));
    }
    Ok(Run { version, results, elapsed })
}
