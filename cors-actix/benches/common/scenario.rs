//! The four requests the benchmarks and the allocation test
//! (`tests/alloc_middleware.rs`) send, written once. Includers also include
//! `equivalent.rs` as a sibling module named `equivalent`.

use super::equivalent::APP;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::Method;
use actix_web::test::TestRequest;

pub const EVIL: &str = "https://evil.example";

/// The scenarios. Header values are static, so cloning them (both
/// middlewares clone the `Origin`) costs what it costs on a real server,
/// where they share the read buffer: it allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// (a) GET from an allowed origin.
    ActualAllowed,
    /// (b) preflight for PUT with two requested headers.
    Preflight,
    /// (c) GET from a disallowed origin.
    ActualDisallowed,
    /// (d) GET without `Origin`.
    NotCors,
}

pub const SCENARIOS: [Scenario; 4] =
    [Scenario::ActualAllowed, Scenario::Preflight, Scenario::ActualDisallowed, Scenario::NotCors];

impl Scenario {
    /// The criterion group name (`CORS_BENCH_ONLY=<name>/<mode>`).
    #[allow(dead_code)] // used by the benches, not by tests/alloc_middleware.rs
    pub fn name(self, prefix: &str) -> String {
        let base = match self {
            Scenario::ActualAllowed => "actual_allowed",
            Scenario::Preflight => "preflight",
            Scenario::ActualDisallowed => "actual_disallowed",
            Scenario::NotCors => "not_cors",
        };
        format!("{prefix}{base}")
    }
}

/// The request a scenario sends to `path`.
pub fn request(s: Scenario, path: &str) -> TestRequest {
    let origin = |o: &'static str| (header::ORIGIN, HeaderValue::from_static(o));
    match s {
        Scenario::ActualAllowed => TestRequest::get().uri(path).insert_header(origin(APP)),
        Scenario::Preflight => TestRequest::default()
            .method(Method::OPTIONS)
            .uri(path)
            .insert_header(origin(APP))
            .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, HeaderValue::from_static("PUT")))
            .insert_header((
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_static("content-type, x-request-id"),
            )),
        Scenario::ActualDisallowed => TestRequest::get().uri(path).insert_header(origin(EVIL)),
        Scenario::NotCors => TestRequest::get().uri(path),
    }
}
