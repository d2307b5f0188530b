//! A real `HttpServer` on an ephemeral port of 127.0.0.1 for tests, and a
//! raw HTTP/1.1 client: what a browser or an attacker sends, with no
//! client library normalizing it.

use actix_web::dev::ServerHandle;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A server on an ephemeral port of 127.0.0.1, in its own thread.
pub struct Server {
    pub addr: SocketAddr,
    pub handle: ServerHandle,
    pub thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// One raw HTTP/1.1 exchange; returns the status and the headers
/// (lower-case names).
pub fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>) {
    let (status, headers, _) = exchange(addr, method, path, headers);
    (status, headers)
}

/// [`send`], with the body as received (chunk sizes included when the
/// response is chunked).
pub fn exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // One exchange per connection, unless the caller asks for another
    // `connection` (a WebSocket upgrade; the server then closes it).
    let close =
        if headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("connection")) { "" } else { "connection: close\r\n" };
    let mut req = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\n{close}");
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str("content-length: 0\r\n\r\n");
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    // Read to the end, except after `101 Switching Protocols`: the
    // connection then belongs to the new protocol and stays open.
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).expect("read the response");
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&chunk[..n]);
        if raw.starts_with(b"HTTP/1.1 101") && raw.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// Starts `actix_web::HttpServer::new($factory)` with two workers in its own thread
/// and returns a [`Server`] that stops it when dropped.
macro_rules! serve {
    ($factory:expr) => {{
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = actix_web::HttpServer::new($factory).workers(2).bind(("127.0.0.1", 0))?;
                let addr = server.addrs()[0];
                let server = server.run();
                tx.send((addr, server.handle())).unwrap();
                server.await
            })
        });
        let (addr, handle) = rx.recv().expect("the server thread started");
        Server { addr, handle, thread: Some(thread) }
    }};
}
