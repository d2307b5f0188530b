//! A whole browser exchange (steps 2 to 7 of the CORS workflow), driven
//! through a caller's `send` function so it works with any server: an
//! in-process app, a recorded fixture, or a real socket.

use super::check::check_actual;
use super::classify::{classify_request, Classification};
use super::engine::Engine;
use super::message::{show, BrowserRequest, Header, OutgoingRequest, Response};
use super::preflight::{build_preflight, check_preflight};
use super::verdict::BrowserOutcome;
use std::fmt;

/// The actual request a browser sends: the normalized method, the script's
/// headers (normalized, forbidden ones dropped) plus `Origin`, the body,
/// and credentials when the mode is `include`.
///
/// ```
/// use cors_core::browser::{build_actual, classify_request, BrowserRequest};
///
/// let req = BrowserRequest::new("https://app.example", "delete", "/orders/1").header("Cookie", "x=y");
/// let actual = build_actual(&req, &classify_request(&req)?);
/// assert_eq!(actual.method(), "DELETE");
/// assert_eq!(actual.get("origin").unwrap(), b"https://app.example");
/// assert_eq!(actual.get("cookie"), None);
/// # Ok::<(), cors_core::browser::Blocked>(())
/// ```
pub fn build_actual(request: &BrowserRequest, classification: &Classification) -> OutgoingRequest {
    let mut headers = classification.headers.clone();
    headers.push(Header::new("origin", request.origin.as_str()));
    OutgoingRequest {
        preflight: false,
        method: classification.method.clone(),
        url: request.url.clone(),
        headers,
        body: request.body.clone(),
        with_credentials: request.credentials.is_include(),
    }
}

/// One round trip: what the browser sent and what came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leg {
    /// The request sent.
    pub request: OutgoingRequest,
    /// The response received.
    pub response: Response,
}

/// The record of a whole exchange, for assertions and for showing a
/// developer every step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    /// The page's request.
    pub request: BrowserRequest,
    /// The browser's decision; `None` when `fetch()` refused the request.
    pub classification: Option<Classification>,
    /// The preflight and its response, when one was sent.
    pub preflight: Option<Leg>,
    /// The actual request and its response, when it was sent.
    pub actual: Option<Leg>,
    /// What the page gets.
    pub outcome: BrowserOutcome,
}

impl Exchange {
    /// Whether the page gets the response.
    pub fn is_allowed(&self) -> bool {
        self.outcome.is_allowed()
    }

    /// The actual response, if the page may see it.
    pub fn response(&self) -> Option<&Response> {
        self.actual.as_ref().filter(|_| self.is_allowed()).map(|leg| &leg.response)
    }
}

/// A whole exchange one step at a time, without I/O: it says which
/// request the browser sends next, takes the response, and ends with the
/// [`Exchange`]. [`simulate`] and `cors_actix::test::Browser` loop over it,
/// each with its own way of sending.
///
/// The steps are the Fetch standard's: classify the request (simple, or
/// needs a "CORS-preflight fetch"), send the preflight and check its
/// response, send the actual request and run the "CORS check" on its
/// response. A refused step ends the exchange.
///
/// ```
/// use cors_core::browser::{BrowserRequest, ExchangeSteps, Response};
///
/// let put = BrowserRequest::new("https://app.example", "PUT", "/orders");
/// let mut steps = ExchangeSteps::start(&put);
/// assert!(steps.next_request().unwrap().is_preflight());
/// steps.receive(Response::new(403));
/// assert!(steps.next_request().is_none(), "a refused preflight ends the exchange");
/// let exchange = steps.finish();
/// assert!(!exchange.is_allowed() && exchange.actual.is_none());
/// ```
#[derive(Clone, Debug)]
pub struct ExchangeSteps {
    exchange: Exchange,
    pending: Option<OutgoingRequest>,
}

impl ExchangeSteps {
    /// Classifies the page's request; the first request to send is the
    /// preflight when one is needed, else the actual request, and none
    /// when `fetch()` refuses the request.
    pub fn start(request: &BrowserRequest) -> Self {
        let mut exchange = Exchange {
            request: request.clone(),
            classification: None,
            preflight: None,
            actual: None,
            outcome: BrowserOutcome::Allowed { readable: Vec::new() },
        };
        let pending = match classify_request(request) {
            Ok(classification) => {
                let first = if classification.needs_preflight {
                    build_preflight(request, &classification)
                } else {
                    build_actual(request, &classification)
                };
                exchange.classification = Some(classification);
                Some(first)
            }
            Err(blocked) => {
                exchange.outcome = BrowserOutcome::Blocked(blocked);
                None
            }
        };
        ExchangeSteps { exchange, pending }
    }

    /// The request the browser sends now; `None` once the exchange is over.
    pub fn next_request(&self) -> Option<&OutgoingRequest> {
        self.pending.as_ref()
    }

    /// The server's response to [`next_request`](Self::next_request):
    /// checks it, records the round trip, and moves on (to the actual
    /// request after an accepted preflight, else to the end). Ignored when
    /// no request is waiting for a response.
    pub fn receive(&mut self, response: Response) {
        let (Some(sent), Some(classification)) = (self.pending.take(), self.exchange.classification.as_ref()) else {
            return;
        };
        let request = &self.exchange.request;
        if sent.preflight {
            let checked = check_preflight(request, classification, &response);
            match checked {
                Ok(()) => self.pending = Some(build_actual(request, classification)),
                Err(blocked) => self.exchange.outcome = BrowserOutcome::Blocked(blocked),
            }
            self.exchange.preflight = Some(Leg { request: sent, response });
        } else {
            self.exchange.outcome = match check_actual(request, &response) {
                Ok(readable) => BrowserOutcome::Allowed { readable },
                Err(blocked) => BrowserOutcome::Blocked(blocked),
            };
            self.exchange.actual = Some(Leg { request: sent, response });
        }
    }

    /// The record of the exchange. Called before the exchange is over, it
    /// holds the steps taken so far.
    pub fn finish(self) -> Exchange {
        self.exchange
    }
}

/// Runs a whole exchange as a browser would, sending each request through
/// `send` (a loop over [`ExchangeSteps`]): classify the request, send the
/// preflight when one is needed and check its response, then send the
/// actual request and check that response. Every request sent and response
/// received is recorded.
///
/// `send` receives each request the browser puts on the wire (see
/// [`OutgoingRequest::is_preflight`]) and returns the server's response.
///
/// ```
/// use cors_core::browser::{simulate, BrowserRequest, Response, Step};
///
/// // A server that answers preflights for PUT from one origin.
/// let server = |req: &cors_core::browser::OutgoingRequest| {
///     let origin = req.get("origin").unwrap_or_default();
///     if origin != b"https://app.example" {
///         return Response::new(403);
///     }
///     let res = Response::new(if req.is_preflight() { 204 } else { 200 })
///         .header("Access-Control-Allow-Origin", origin)
///         .header("Vary", "Origin");
///     if req.is_preflight() {
///         res.header("Access-Control-Allow-Methods", "PUT").header("Access-Control-Allow-Headers", "content-type")
///     } else {
///         res.header("Content-Type", "application/json")
///     }
/// };
///
/// let put = BrowserRequest::new("https://app.example", "PUT", "/orders")
///     .header("Content-Type", "application/json");
/// let exchange = simulate(&put, server);
/// assert!(exchange.is_allowed(), "{exchange}");
/// assert!(exchange.preflight.is_some());
/// assert!(exchange.outcome.can_read("content-type"));
///
/// let evil = BrowserRequest::new("https://evil.example", "PUT", "/orders");
/// let exchange = simulate(&evil, server);
/// assert_eq!(exchange.outcome.blocked().unwrap().step, Step::CorsCheck);
/// assert!(exchange.actual.is_none());
/// ```
pub fn simulate<F>(request: &BrowserRequest, mut send: F) -> Exchange
where
    F: FnMut(&OutgoingRequest) -> Response,
{
    let mut steps = ExchangeSteps::start(request);
    while let Some(sent) = steps.next_request() {
        let response = send(sent);
        steps.receive(response);
    }
    steps.finish()
}

fn write_headers(f: &mut fmt::Formatter<'_>, headers: &[Header]) -> fmt::Result {
    for h in headers {
        writeln!(f, "    {}: {}", h.name, show(&h.value))?;
    }
    Ok(())
}

fn write_leg(f: &mut fmt::Formatter<'_>, label: &str, leg: &Leg) -> fmt::Result {
    writeln!(f, "{label} -> {} {}", leg.request.method, leg.request.url)?;
    write_headers(f, &leg.request.headers)?;
    writeln!(f, "{label} <- {}", leg.response.status)?;
    write_headers(f, &leg.response.headers)
}

/// A transcript: the page's request, the browser's decision, each request
/// and response with their headers, and the verdict.
impl fmt::Display for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.request;
        write!(f, "page {} calls {} {} (credentials: {})", r.origin, r.method, r.url, r.credentials)?;
        if r.engine != Engine::Standard {
            write!(f, ", by {}'s rules", r.engine)?;
        }
        writeln!(f)?;
        if let Some(c) = &self.classification {
            let decision = if c.needs_preflight { "preflight first" } else { "send as is" };
            writeln!(f, "browser: {decision}: {}", c.reason())?;
            if !c.dropped_header_names.is_empty() {
                writeln!(f, "browser: dropped forbidden headers: {}", c.dropped_header_names.join(", "))?;
            }
        }
        if let Some(leg) = &self.preflight {
            write_leg(f, "preflight", leg)?;
        }
        if let Some(leg) = &self.actual {
            write_leg(f, "actual", leg)?;
        }
        write!(f, "verdict: {}", self.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::{Credentials, Phase, Step};

    const PAGE: &str = "https://app.example";

    /// A server that allows `PAGE` with credentials, PUT and x-request-id.
    fn server(req: &OutgoingRequest) -> Response {
        let res = Response::new(if req.is_preflight() { 204 } else { 201 })
            .header("Access-Control-Allow-Origin", PAGE)
            .header("Access-Control-Allow-Credentials", "true");
        if req.is_preflight() {
            res.header("Access-Control-Allow-Methods", "PUT").header("Access-Control-Allow-Headers", "x-request-id")
        } else {
            res.header("X-Request-Id", "7").header("Access-Control-Expose-Headers", "x-request-id")
        }
    }

    #[test]
    fn a_simple_request_is_sent_once_without_preflight() {
        let req = BrowserRequest::new(PAGE, "GET", "/items").header("Accept", "application/json");
        let mut sent = Vec::new();
        let ex = simulate(&req, |r| {
            sent.push(r.clone());
            server(r)
        });
        assert_eq!(sent.len(), 1);
        assert!(!sent[0].is_preflight() && sent[0].get("origin").unwrap() == PAGE.as_bytes());
        assert!(ex.preflight.is_none() && ex.is_allowed());
        assert_eq!(ex.outcome.readable().unwrap(), ["x-request-id"]);
        assert_eq!(ex.response().unwrap().status, 201);
    }

    #[test]
    fn a_preflighted_request_records_both_legs() {
        let req = BrowserRequest::new(PAGE, "put", "/orders").header("X-Request-Id", "1").body("{}");
        let ex = simulate(&req, server);
        let preflight = ex.preflight.as_ref().unwrap();
        let actual = ex.actual.as_ref().unwrap();
        assert_eq!(preflight.request.method, "OPTIONS");
        assert_eq!(preflight.response.status, 204);
        assert_eq!((actual.request.method.as_str(), actual.request.body.as_slice()), ("PUT", &b"{}"[..]));
        assert!(ex.is_allowed(), "{ex}");
    }

    #[test]
    fn a_failed_preflight_stops_before_the_actual_request() {
        let req = BrowserRequest::new(PAGE, "DELETE", "/orders/1");
        let mut calls = 0;
        let ex = simulate(&req, |r| {
            calls += 1;
            server(r)
        });
        assert_eq!(calls, 1);
        assert!(ex.actual.is_none() && ex.response().is_none());
        let blocked = ex.outcome.blocked().unwrap();
        assert_eq!((blocked.phase, blocked.step), (Phase::Preflight, Step::Method));
        assert_eq!(blocked.reason, "method DELETE is not in Access-Control-Allow-Methods `PUT`");
    }

    #[test]
    fn a_response_without_cors_headers_is_hidden_from_the_page() {
        let req = BrowserRequest::new(PAGE, "GET", "/");
        let ex = simulate(&req, |_| Response::new(200).header("Content-Type", "text/plain"));
        let blocked = ex.outcome.blocked().unwrap();
        assert_eq!((blocked.phase, blocked.step), (Phase::Actual, Step::CorsCheck));
        assert!(ex.actual.is_some() && ex.response().is_none());
    }

    #[test]
    fn a_request_fetch_refuses_sends_nothing() {
        let req = BrowserRequest::new(PAGE, "TRACE", "/");
        let ex = simulate(&req, |_| panic!("nothing may be sent"));
        assert!(ex.classification.is_none());
        assert_eq!(ex.outcome.blocked().unwrap().phase, Phase::Request);
    }

    #[test]
    fn credentials_go_with_the_actual_request_only() {
        let req = BrowserRequest::new(PAGE, "PUT", "/").credentials(Credentials::Include);
        let ex = simulate(&req, server);
        assert!(!ex.preflight.as_ref().unwrap().request.with_credentials());
        assert!(ex.actual.as_ref().unwrap().request.with_credentials());
        assert!(ex.is_allowed(), "{ex}");
    }

    #[test]
    fn a_private_network_target_gets_a_preflight_even_for_get() {
        let req = BrowserRequest::new(PAGE, "GET", "/").private_network(true);
        let ex = simulate(&req, server);
        let pf = &ex.preflight.as_ref().unwrap().request;
        assert_eq!(pf.get("access-control-request-private-network").unwrap(), b"true");
        assert_eq!(ex.outcome.blocked().unwrap().step, Step::PrivateNetwork);
    }

    #[test]
    fn a_script_cannot_make_its_options_request_look_like_a_preflight() {
        // `Access-Control-Request-Method` is a forbidden request-header: the
        // script's line is dropped, so only the preflight carries one.
        let req = BrowserRequest::new(PAGE, "OPTIONS", "/").header("Access-Control-Request-Method", "PUT");
        // `server`, with OPTIONS allowed next to PUT.
        let ex = simulate(&req, |sent| {
            let res = server(sent);
            if sent.is_preflight() {
                res.header("Access-Control-Allow-Methods", "OPTIONS")
            } else {
                res
            }
        });
        let preflight = &ex.preflight.as_ref().expect("OPTIONS is not a safelisted method").request;
        assert!(preflight.is_preflight());
        assert_eq!(preflight.get("access-control-request-method").unwrap(), b"OPTIONS");
        let actual = &ex.actual.as_ref().expect("the preflight is accepted").request;
        assert!(!actual.is_preflight(), "{actual:?}");
        assert_eq!((actual.method(), actual.get("access-control-request-method")), ("OPTIONS", None));
        assert!(ex.is_allowed(), "{ex}");
    }

    #[test]
    fn the_steps_go_preflight_then_actual_then_end() {
        let req = BrowserRequest::new(PAGE, "PUT", "/orders").header("X-Request-Id", "1");
        let mut steps = ExchangeSteps::start(&req);
        let preflight = steps.next_request().unwrap().clone();
        assert!(preflight.is_preflight());
        steps.receive(server(&preflight));
        let actual = steps.next_request().unwrap().clone();
        assert!(!actual.is_preflight() && actual.method() == "PUT");
        steps.receive(server(&actual));
        assert!(steps.next_request().is_none());
        // a response nobody asked for changes nothing
        steps.receive(Response::new(500));
        let ex = steps.finish();
        assert_eq!(ex.actual.as_ref().unwrap().response.status, 201);
        assert_eq!(ex, simulate(&req, server));
    }

    #[test]
    fn the_transcript_shows_every_step() {
        let req = BrowserRequest::new(PAGE, "PUT", "/orders").header("X-Request-Id", "1");
        let text = simulate(&req, server).to_string();
        for part in [
            "page https://app.example calls PUT /orders (credentials: same-origin)",
            "browser: preflight first: method PUT is not CORS-safelisted",
            "preflight -> OPTIONS /orders",
            "    access-control-request-headers: x-request-id",
            "preflight <- 204",
            "actual -> PUT /orders",
            "actual <- 201",
            "verdict: allowed; the page can read: x-request-id",
        ] {
            assert!(text.contains(part), "missing {part:?} in\n{text}");
        }
    }
}
