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
use actix_web::{App, HttpServer};

#[path = "../cors-actix/benches/common/equivalent.rs"]
mod equivalent;
use equivalent::{floor, items, ok, ours, theirs};

// The `/items` of mode `routes`: `#[cors]` handlers with the global policy's keys.
equivalent::annotated!(get, "/items", get_items);
equivalent::annotated!(put, "/items", put_items);

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
        ($app:expr) => {
            HttpServer::new(|| $app).workers(workers).bind(("127.0.0.1", port))?.run().await
        };
    }
    match mode {
        Mode::None => serve!(items(App::new(), ok)),
        Mode::Floor => serve!(items(App::new(), floor)),
        Mode::Ours => serve!(items(App::new(), ok).wrap(ours())),
        Mode::ActixCors => serve!(items(App::new(), ok).wrap(theirs())),
        Mode::Routes => serve!(App::new().wrap(ours()).service(get_items).service(put_items)),
    }
}
