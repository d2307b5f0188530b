//! Starts the app under test and a page server on loopback, sends one
//! engine to the page, and collects the results the page POSTs back.

use super::app;
use super::cases::Case;
use super::engines::{self, Found};
use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::Value;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
    let api_server = HttpServer::new(app::app).workers(1).listen(api_listener).expect("listen api").run();
    let api_handle = api_server.handle();
    actix_web::rt::spawn(api_server);

    let results: Arc<Mutex<Option<String>>> = Arc::default();
    let sink = results.clone();
    let html = page_html(&api, cases);
    let page_listener = TcpListener::bind("127.0.0.1:0").expect("bind page");
    let page_url = format!("http://127.0.0.1:{}/", page_listener.local_addr().unwrap().port());
    let page_server = HttpServer::new(move || {
        let html = html.clone();
        let sink = sink.clone();
        App::new()
            .app_data(web::PayloadConfig::new(1 << 20))
            .route(
                "/",
                web::get().to(move || {
                    let html = html.clone();
                    async move { HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html) }
                }),
            )
            .route(
                "/results",
                web::post().to(move |body: String| {
                    *sink.lock().unwrap() = Some(body);
                    async { HttpResponse::NoContent().finish() }
                }),
            )
    })
    .workers(1)
    .listen(page_listener)
    .expect("listen page")
    .run();
    let page_handle = page_server.handle();
    actix_web::rt::spawn(page_server);
    // Let both servers start accepting before the engine connects.
    actix_web::rt::time::sleep(Duration::from_millis(20)).await;

    let started = Instant::now();
    let url = page_url.clone();
    // Launching blocks (WebDriver waits for the page to load): off this runtime,
    // which keeps serving meanwhile.
    let launched = actix_web::rt::task::spawn_blocking(move || engines::launch(&found, &url))
        .await
        .map_err(|e| format!("{engine}: the launcher panicked: {e}"))?;
    let outcome = match launched {
        Err(e) => Err(e),
        Ok(launched) => loop {
            let posted = results.lock().unwrap().take();
            if let Some(body) = posted {
                let version = launched.version.clone();
                // Ends the browser (and its session) before the servers stop.
                actix_web::rt::task::spawn_blocking(move || drop(launched)).await.ok();
                break Ok((version, body));
            }
            if started.elapsed() > TIMEOUT {
                let log = launched.log();
                actix_web::rt::task::spawn_blocking(move || drop(launched)).await.ok();
                break Err(format!(
                    "{engine} did not report results within {TIMEOUT:?} from {page_url}; its log:\n{log}"
                ));
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        },
    };
    let elapsed = started.elapsed();
    api_handle.stop(true).await;
    page_handle.stop(true).await;
    let (version, body) = outcome?;
    let parsed: Value = serde_json::from_str(&body).map_err(|e| format!("{engine}: the page posted no JSON: {e}"))?;
    let results = parsed.as_array().ok_or_else(|| format!("{engine}: the page posted no list"))?.clone();
    if results.len() != cases.len() {
        return Err(format!("{engine}: {} results for {} cases", results.len(), cases.len()));
    }
    Ok(Run { version, results, elapsed })
}
