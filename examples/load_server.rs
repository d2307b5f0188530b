//! The server `scripts/load.sh` measures with wrk: one trivial route under
//! no CORS middleware, ours, or `actix-cors` 0.7, on equivalent policies.
//!
//! ```text
//! cargo run --release --example load_server -- ours 18081
//! ```
//!
//! Arguments: the mode (`none` | `floor` | `ours` | `routes` | `actix-cors`), the port
//! (on 127.0.0.1 only), and optionally the number of workers (default 1, so
//! a 2-core machine keeps a core for wrk).
//!
//! `routes` serves `/items` from `#[cors]` handlers (the same keys as the
//! global policy) under a global `Cors`.
//!
//! `floor` has no middleware: its handler compares the `Origin` and writes
//! the headers both middlewares write for an allowed actual request (ACAO,
//! ACAC, ACEH, `Vary`). It is what writing and sending those headers costs,
//! whatever the layer that writes them.
use actix_web::http::header::{self, HeaderValue};
use actix_web::{get, put, web, App, HttpRequest, HttpResponse, HttpServer};
use cors_actix::{cors, Cors};

#[path = "../cors-actix/benches/common/equivalent.rs"]
mod equivalent;
use equivalent::{ok, theirs, ADMIN, APP};

const ORIGINS: [&str; 2] = [APP, ADMIN];

async fn floor(req: HttpRequest) -> HttpResponse {
    let mut res = HttpResponse::Ok().body("ok");
    let headers = res.headers_mut();
    match req.headers().get(header::ORIGIN) {
        Some(origin) if ORIGINS.iter().any(|o| origin == o) => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
            headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("x-request-id"));
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        Some(_) => headers.append(header::VARY, HeaderValue::from_static("Origin")),
        None => {}
    }
    res
}

fn ours() -> Cors {
    Cors::new(equivalent::builder().build().expect("valid policy"))
}

#[cors(
    origins = ["https://app.example", "https://admin.example"],
    methods = [GET, POST, PUT],
    allow_headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[get("/items")]
async fn get_items() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

#[cors(
    origins = ["https://app.example", "https://admin.example"],
    methods = [GET, POST, PUT],
    allow_headers = ["content-type", "x-request-id"],
    expose_headers = ["x-request-id"],
    credentials,
    max_age = 600,
)]
#[put("/items")]
async fn put_items() -> HttpResponse {
    HttpResponse::Ok().body("ok")
}

#[derive(Clone, Copy)]
enum Mode {
    None,
    Floor,
    Ours,
    Routes,
    ActixCors,
}

fn usage() -> std::io::Error {
    std::io::Error::other("usage: load_server <none|floor|ours|routes|actix-cors> <port> [workers]")
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = match args.first().map(String::as_str) {
        Some("none") => Mode::None,
        Some("floor") => Mode::Floor,
        Some("ours") => Mode::Ours,
        Some("routes") => Mode::Routes,
        Some("actix-cors") => Mode::ActixCors,
        _ => return Err(usage()),
    };
    let port: u16 = args.get(1).and_then(|p| p.parse().ok()).ok_or_else(usage)?;
    let workers: usize = args.get(2).map_or(Ok(1), |w| w.parse()).map_err(|_| usage())?;
    println!("load_server: {} on http://127.0.0.1:{port} ({workers} worker(s))", args[0]);
    // Each mode builds its own app type: no pass-through layer in the
    // chain when a middleware is off.
    macro_rules! serve {
        ($handler:expr $(, $wrap:expr)?) => {
            HttpServer::new(|| {
                App::new()
                    $(.wrap($wrap))?
                    .route("/items", web::get().to($handler))
                    .route("/items", web::put().to($handler))
            })
            .workers(workers)
            .bind(("127.0.0.1", port))?
            .run()
            .await
        };
    }
    match mode {
        Mode::None => serve!(ok),
        Mode::Floor => serve!(floor),
        Mode::Ours => serve!(ok, ours()),
        Mode::ActixCors => serve!(ok, theirs()),
        Mode::Routes => {
            HttpServer::new(|| App::new().wrap(ours()).service(get_items).service(put_items))
                .workers(workers)
                .bind(("127.0.0.1", port))?
                .run()
                .await
        }
    }
}
