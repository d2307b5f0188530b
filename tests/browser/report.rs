//! The receiving end of a self-reporting page: a loopback server that takes
//! the one report the page POSTs (and, when asked, serves the page itself),
//! and the wait for that report once an engine is sent to the page.
//!
//! Used by the real-browser suite (`browser/harness.rs`, which serves its
//! page from here) and by the playground's browser check
//! (`tests/playground.rs`, whose page the playground serves: it POSTs to
//! [`Collector::url`] of `/results`, another loopback origin).

use super::engines::{self, Found};
use actix_web::dev::{Server, ServerHandle};
use actix_web::{web, App, HttpResponse, HttpServer};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Runs `server` on the current actix runtime; its handle stops it.
pub fn in_background(server: Server) -> ServerHandle {
    let handle = server.handle();
    actix_web::rt::spawn(server);
    handle
}

/// The largest report a page may POST.
const MAX_REPORT: usize = 16 << 20;

/// A running collection server on `127.0.0.1`.
pub struct Collector {
    base: String,
    handle: ServerHandle,
    posted: Arc<Mutex<Option<String>>>,
}

/// What one engine reported.
pub struct Report {
    /// The engine's version, as it reports it.
    pub version: String,
    /// The body the page POSTed to `/results`.
    pub body: String,
    /// From launching the engine to its report.
    pub elapsed: Duration,
}

impl Collector {
    /// Starts the server on a free loopback port, on the current actix
    /// runtime: `POST /results` takes the report; `GET /` serves `page`
    /// when there is one.
    pub async fn start(page: Option<String>) -> Collector {
        let posted: Arc<Mutex<Option<String>>> = Arc::default();
        let sink = posted.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the collection server");
        let base = format!("http://127.0.0.1:{}", listener.local_addr().expect("its address").port());
        let server = HttpServer::new(move || {
            let sink = sink.clone();
            let mut app = App::new().app_data(web::PayloadConfig::new(MAX_REPORT)).route(
                "/results",
                web::post().to(move |body: String| {
                    *sink.lock().unwrap() = Some(body);
                    async { HttpResponse::NoContent().finish() }
                }),
            );
            if let Some(html) = page.clone() {
                app = app.route(
                    "/",
                    web::get().to(move || {
                        let html = html.clone();
                        async move { HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html) }
                    }),
                );
            }
            app
        })
        .workers(1)
        .listen(listener)
        .expect("listen on the collection server")
        .run();
        let handle = in_background(server);
        // Let it start accepting before an engine connects.
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        Collector { base, handle, posted }
    }

    /// The absolute URL of `path` on this server (`/` for the page,
    /// `/results` for the report).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends `found`'s engine to `url` and waits for the page's report, at
    /// most `timeout` from the launch. The engine is stopped before this
    /// returns. `Err` when it did not start or did not report in time (its
    /// log included).
    pub async fn collect(&self, found: Found, url: String, timeout: Duration) -> Result<Report, String> {
        let engine = found.engine;
        let started = Instant::now();
        let target = url.clone();
        // Launching blocks (WebDriver waits for the page to load): off this
        // runtime, which keeps serving meanwhile.
        let launched = actix_web::rt::task::spawn_blocking(move || engines::launch(&found, &target))
            .await
            .map_err(|e| format!("{engine}: the launcher panicked: {e}"))??;
        loop {
            let posted = self.posted.lock().unwrap().take();
            if let Some(body) = posted {
                let version = launched.version.clone();
                // Ends the browser (and its session) before the caller stops the servers.
                actix_web::rt::task::spawn_blocking(move || drop(launched)).await.ok();
                return Ok(Report { version, body, elapsed: started.elapsed() });
            }
            if started.elapsed() > timeout {
                let log = launched.log();
                actix_web::rt::task::spawn_blocking(move || drop(launched)).await.ok();
                return Err(format!("{engine} did not report within {timeout:?} from {url}; its log:\n{log}"));
            }
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Stops the server.
    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}
