//! The browser side of CORS: what a browser decides before and after
//! talking to the server, following the Fetch standard ("CORS check",
//! "CORS-preflight fetch").
//!
//! The pieces follow the CORS workflow and can be used one by one, one step
//! at a time through [`ExchangeSteps`] (which an async test helper drives
//! with its own I/O), or all at once through [`simulate`]:
//!
//! 1. [`classify_request`] (or [`classify`]): simple, or needs a preflight,
//!    and why ([`Classification`]).
//! 2. [`build_preflight`]: the `OPTIONS` request the browser sends.
//! 3. [`check_preflight`]: the checks on its response.
//! 4. [`build_actual`]: the actual request.
//! 5. [`check_actual`]: the CORS check on its response and the headers the
//!    page may read ([`readable_headers`]).
//!
//! Every refusal is a [`Blocked`] naming the [`Phase`], the [`Step`] and a
//! reason quoting what the server sent.
//!
//! Framework-neutral: headers are plain [`Header`] lines. Not modelled:
//! redirects, the preflight cache, cookies themselves (only whether they
//! would be sent), and same-origin requests (every request is taken as
//! cross-origin).
//!
//! ```
//! use cors_core::browser::{simulate, BrowserRequest, Credentials, OutgoingRequest, Response, Step};
//!
//! // The server answers with a wildcard origin, which is refused once the
//! // page asks for credentials.
//! let server = |_: &OutgoingRequest| Response::new(200).header("Access-Control-Allow-Origin", "*");
//! let page = BrowserRequest::new("https://app.example", "GET", "/me");
//! assert!(simulate(&page, server).is_allowed());
//!
//! let with_cookies = page.credentials(Credentials::Include);
//! let exchange = simulate(&with_cookies, server);
//! let blocked = exchange.outcome.blocked().unwrap();
//! assert_eq!(blocked.step, Step::CorsCheck);
//! assert!(blocked.reason.starts_with("Access-Control-Allow-Origin is `*`"));
//! ```

mod check;
mod classify;
mod engine;
mod exchange;
mod message;
mod preflight;
mod safelist;
mod verdict;

pub use check::{
    check_actual, cors_check, is_safelisted_response_header, readable_headers, SAFELISTED_RESPONSE_HEADERS,
};
pub use classify::{classify, classify_request, normalize_method, Classification};
pub use engine::Engine;
pub use exchange::{build_actual, simulate, Exchange, ExchangeSteps, Leg};
pub use message::{BrowserRequest, Credentials, Header, OutgoingRequest, Response};
pub use preflight::{build_preflight, check_preflight, NON_WILDCARD_REQUEST_HEADER};
pub use safelist::{
    cors_unsafe_request_header_names, is_cors_unsafe_request_header_byte, is_safelisted_request_header,
    MAX_SAFELISTED_TOTAL_LEN, MAX_SAFELISTED_VALUE_LEN, SIMPLE_CONTENT_TYPES,
};
pub use verdict::{Blocked, BrowserOutcome, Phase, Step};
