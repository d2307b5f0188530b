//! The cors-actix playground: a page on one origin calling an API on another,
//! showing the seven steps of the CORS workflow for every request.
//!
//! ```text
//! cargo run --example playground                      # page :8080, API :8081
//! cargo run --example playground -- --page-port 9000 --api-port 9001
//! PLAYGROUND_PAGE_PORT=0 PLAYGROUND_API_PORT=0 cargo run --example playground   # any free ports
//! ```
//!
//! The page is served from `http://127.0.0.1:<page>` and the API from
//! `http://localhost:<api>`: two different origins, so every call is a
//! cross-origin request the browser checks.

mod api;
mod recorder;

use actix_web::{web, App, HttpResponse, HttpServer};
use std::net::TcpListener;

const PAGE: &str = include_str!("page.html");
/// The page's scenarios, which it fetches on load from its own origin.
const SCENARIOS: &str = include_str!("scenarios.json");

/// Reads `--name value` from the arguments, else the environment variable,
/// else the default.
fn port(args: &[String], flag: &str, env: &str, default: u16) -> Result<u16, String> {
    let from_flag = args.iter().position(|a| a == flag).map(|i| args.get(i + 1).cloned().unwrap_or_default());
    let raw = from_flag.or_else(|| std::env::var(env).ok());
    match raw {
        None => Ok(default),
        Some(s) => s.parse().map_err(|_| format!("{flag} / {env}: `{s}` is not a port number")),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    // `RUST_LOG=cors_actix=debug` shows every refusal with its reason.
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let args: Vec<String> = std::env::args().collect();
    let ports = port(&args, "--page-port", "PLAYGROUND_PAGE_PORT", 8080)
        .and_then(|p| Ok((p, port(&args, "--api-port", "PLAYGROUND_API_PORT", 8081)?)));
    let (page_port, api_port) = match ports {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    // Bind first so port 0 resolves to real ports we can print and inject.
    let page_listener = TcpListener::bind(("127.0.0.1", page_port))?;
    let api_listener = TcpListener::bind(("127.0.0.1", api_port))?;
    let page_addr = page_listener.local_addr()?;
    let api_base = format!("http://localhost:{}", api_listener.local_addr()?.port());
    let page_origin = format!("http://127.0.0.1:{}", page_addr.port());

    let recorder = web::Data::new(recorder::Recorder::default());
    let api = HttpServer::new(move || api::app(recorder.clone())).workers(1).listen(api_listener)?.run();

    let page_html = PAGE.replace("__API_BASE__", &api_base);
    let page = HttpServer::new(move || {
        let html = page_html.clone();
        App::new()
            .route(
                "/",
                web::get().to(move || {
                    let html = html.clone();
                    async move { HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html) }
                }),
            )
            .route(
                "/scenarios.json",
                web::get().to(|| async { HttpResponse::Ok().content_type("application/json").body(SCENARIOS) }),
            )
    })
    .workers(1)
    .listen(page_listener)?
    .run();

    // The addresses come last, so they are what is on screen once it starts.
    println!("cors-actix playground");
    println!("Routes and their effective policies (also as JSON at {api_base}/__routes):");
    // The page's own `/__…` endpoints are left out, as on the page.
    for route in cors_actix::routes(Some(&api::global_policy())).into_iter().filter(|r| !r.path.starts_with("/__")) {
        println!("  {route}");
    }
    println!("Listening (Ctrl-C to stop):");
    println!("  page: {page_origin}/   <- open this in a browser");
    println!("  api:  {api_base}/   (another origin: every call is cross-origin)");
    futures_util::future::try_join(api, page).await.map(drop)
}
