//! Starts the app under test and a page server on loopback, drives headless
//! Chromium to the page, and collects the results the page POSTs back.

use super::app;
use super::cases::Case;
use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::Value;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// An origin the in-process model uses for the page: same shape as the
/// real page's `http://127.0.0.1:<port>`.
pub const PAGE_ORIGIN_PLACEHOLDER: &str = "http://127.0.0.1:4000";

/// The longest a whole run may take before the test fails.
const TIMEOUT: Duration = Duration::from_secs(120);

fn required() -> bool {
    std::env::var("CORS_ACTIX_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Finds a Chromium binary, or explains loudly why the test is skipped
/// (and fails when a browser is required).
pub fn find_chromium() -> Option<PathBuf> {
    let candidates = std::env::var("CHROMIUM")
        .into_iter()
        .chain(["chromium", "chromium-headless-shell", "chromium-browser", "google-chrome"].map(String::from));
    for name in candidates {
        let path = PathBuf::from(&name);
        if path.is_absolute() && path.exists() {
            return Some(path);
        }
        if let Some(dir) = std::env::var_os("PATH") {
            if let Some(found) = std::env::split_paths(&dir).map(|d| d.join(&name)).find(|p| p.exists()) {
                return Some(found);
            }
        }
    }
    let msg = "no Chromium found (set $CHROMIUM or `apt-get install chromium`)";
    if required() {
        panic!("{msg}, and CORS_ACTIX_REQUIRE_BROWSER=1 requires the real-browser tests to run");
    }
    eprintln!("\n!!!!!!!!\n!!! SKIPPING the real-browser tests: {msg}\n!!!!!!!!\n");
    None
}

/// Kills Chromium and removes its profile when dropped, even on panic.
struct ChromiumProcess {
    child: Child,
    profile: PathBuf,
}

impl Drop for ChromiumProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

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

/// Runs every case in Chromium and returns the page's results, in order.
pub async fn run_in_chromium(chromium: &std::path::Path, cases: &[Case]) -> Vec<Value> {
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

    let profile = std::env::temp_dir().join(format!(
        "cors-actix-chromium-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    ));
    let log_path = profile.with_extension("log");
    let log = std::fs::File::create(&log_path).expect("chromium log file");
    let child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(&page_url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {chromium:?}: {e}"));
    let process = ChromiumProcess { child, profile };

    let started = Instant::now();
    let body = loop {
        if let Some(body) = results.lock().unwrap().take() {
            break body;
        }
        if started.elapsed() > TIMEOUT {
            drop(process);
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("Chromium did not report results within {TIMEOUT:?} from {page_url}; its log:\n{log}");
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    };
    drop(process);
    let _ = std::fs::remove_file(&log_path);
    api_handle.stop(true).await;
    page_handle.stop(true).await;
    let parsed: Value = serde_json::from_str(&body).expect("the page posts JSON");
    let list = parsed.as_array().expect("the page posts a list").clone();
    assert_eq!(list.len(), cases.len(), "one result per case");
    list
}
