//! Run a whole browser exchange against an actix app in-process.
//!
//! [`Browser`] does what a browser does for a cross-origin `fetch()`: it
//! decides whether the request needs a preflight, sends the preflight if
//! so and checks the answer, sends the actual request and runs the CORS
//! check on the response — all by the Fetch standard's rules, modelled in cors-core's browser model. The result is a
//! [`Verdict`] you can assert on in a plain unit test.
//!
//! ```
//! use actix_web::{http::Method, test, App, HttpResponse};
//! use cors_actix::{test::Browser, Cors, CorsPolicy, CorsResource};
//!
//! # actix_web::rt::System::new().block_on(async {
//! let global = CorsPolicy::builder().origins(["https://app.example.com"]).build().unwrap();
//! let orders = CorsPolicy::builder()
//!     .allow_headers(["content-type"])
//!     .expose_headers(["x-request-id"])
//!     .credentials(true)
//!     .build_spec()
//!     .unwrap();
//! let app = test::init_service(App::new().wrap(Cors::new(global)).service(
//!     CorsResource::new("/orders", orders)
//!         .put(|| async { HttpResponse::Ok().insert_header(("x-request-id", "7")).finish() }),
//! ))
//! .await;
//!
//! let verdict = Browser::new("https://app.example.com")
//!     .fetch(Method::PUT, "/orders")
//!     .header("content-type", "application/json")
//!     .credentials(true)
//!     .send(&app)
//!     .await;
//! assert!(verdict.is_allowed(), "{verdict}");
//! assert!(verdict.preflighted());
//! assert_eq!(verdict.readable_header("x-request-id"), Some("7"));
//!
//! let verdict = Browser::new("https://evil.example").fetch(Method::PUT, "/orders").send(&app).await;
//! assert!(!verdict.is_allowed());
//! # });
//! ```

use actix_http::Request;
use actix_service::Service;
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::{test, Error};
/// Whose rules a [`Browser`] follows; see [`Browser::engine`].
pub use cors_core::browser::Engine;
/// Where and why the browser blocked an exchange; see [`Verdict::blocked`].
pub use cors_core::browser::{Blocked, Phase, Step};
use cors_core::browser::{BrowserRequest, Credentials, Exchange, ExchangeSteps, Header, OutgoingRequest, Response};
use std::fmt;

/// A browser tab whose page has the given origin.
#[derive(Clone, Debug)]
pub struct Browser {
    origin: String,
    engine: Engine,
}

impl Browser {
    /// A page at `origin`, serialized as browsers send it
    /// (`https://app.example.com`, `http://localhost:3000`, `null`),
    /// following the Fetch standard's rules.
    pub fn new(origin: impl Into<String>) -> Self {
        Browser { origin: origin.into(), engine: Engine::Standard }
    }

    /// Follows `engine`'s rules where it departs from the Fetch standard
    /// (the default). The project's real-browser suite checks that each
    /// engine's model agrees with that engine on every case.
    ///
    /// ```
    /// use actix_web::{test, App, HttpResponse};
    /// use cors_actix::test::{Browser, Engine};
    /// use cors_actix::{Cors, CorsPolicy};
    ///
    /// # actix_web::rt::System::new().block_on(async {
    /// let global = CorsPolicy::builder().origins(["https://app.example.com"]).build().unwrap();
    /// let app = test::init_service(
    ///     App::new().wrap(Cors::new(global)).route("/items", actix_web::web::get().to(HttpResponse::Ok)),
    /// )
    /// .await;
    /// // Two 64-byte Accept lines: each is CORS-safelisted, but not once
    /// // joined with `, ` (130 bytes), which is how Chromium checks them.
    /// let fetch = |browser: Browser| {
    ///     browser.fetch("GET", "/items").header("accept", "a".repeat(64)).header("accept", "b".repeat(64))
    /// };
    /// let standard = fetch(Browser::new("https://app.example.com")).send(&app).await;
    /// assert!(!standard.preflighted() && standard.is_allowed());
    /// let chromium = fetch(Browser::new("https://app.example.com").engine(Engine::Chromium)).send(&app).await;
    /// assert!(chromium.preflighted() && !chromium.is_allowed(), "{chromium}");
    /// # });
    /// ```
    pub fn engine(mut self, engine: Engine) -> Self {
        self.engine = engine;
        self
    }

    /// Starts a `fetch(path, { method })` from the page. The method is
    /// taken as the script wrote it: `"patch"` stays lower-case, as in
    /// browsers.
    pub fn fetch(&self, method: impl AsRef<str>, path: impl Into<String>) -> Fetch {
        Fetch { request: BrowserRequest::new(self.origin.clone(), method.as_ref(), path).engine(self.engine) }
    }
}

/// A `fetch()` being prepared; see [`Browser::fetch`].
#[derive(Clone, Debug)]
#[must_use = "a fetch does nothing until `send` is awaited"]
pub struct Fetch {
    request: BrowserRequest,
}

impl Fetch {
    /// Adds a request header the script sets.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.request = self.request.body(body);
        self
    }

    /// `credentials: "include"` (`true`) or `"omit"` (`false`, the default
    /// for a cross-origin request here).
    pub fn credentials(mut self, include: bool) -> Self {
        self.request = self.request.credentials(if include { Credentials::Include } else { Credentials::Omit });
        self
    }

    /// The target is on a more private network than the page: the browser
    /// sends a Private Network Access preflight.
    pub fn private_network(mut self, more_private: bool) -> Self {
        self.request = self.request.private_network(more_private);
        self
    }

    /// Runs the exchange against `app` (from `actix_web::test::init_service`).
    pub async fn send<S, B>(self, app: &S) -> Verdict
    where
        S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
        B: MessageBody,
    {
        let mut steps = ExchangeSteps::start(&self.request);
        while let Some(sent) = steps.next_request() {
            let response = send_to_app(app, sent).await;
            steps.receive(response);
        }
        Verdict { exchange: steps.finish() }
    }
}

/// Sends one request to the app and turns its answer into the model's
/// `Response`. An `Err` from the app is rendered as actix's server would.
async fn send_to_app<S, B>(app: &S, sent: &OutgoingRequest) -> Response
where
    S: Service<Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    use actix_web::http::{header, Method};
    // A method the model accepted is a token, which `Method` accepts too.
    let method = Method::from_bytes(sent.method().as_bytes()).unwrap_or(Method::GET);
    let mut req = test::TestRequest::default().method(method).uri(sent.url());
    for h in sent.headers() {
        if let (Ok(name), Ok(value)) =
            (header::HeaderName::from_bytes(h.name.as_bytes()), header::HeaderValue::from_bytes(&h.value))
        {
            req = req.append_header((name, value));
        }
    }
    if !sent.body().is_empty() {
        req = req.set_payload(sent.body().to_vec());
    }
    let req = req.to_request();
    let (status, headers, body) = match app.call(req).await {
        Ok(res) => {
            let status = res.status().as_u16();
            let headers = model_headers(res.headers());
            let body = actix_web::body::to_bytes(res.into_body()).await.map(|b| b.to_vec()).unwrap_or_default();
            (status, headers, body)
        }
        Err(err) => {
            let res = err.error_response();
            let status = res.status().as_u16();
            let headers = model_headers(res.headers());
            let body = actix_web::body::to_bytes(res.into_body()).await.map(|b| b.to_vec()).unwrap_or_default();
            (status, headers, body)
        }
    };
    Response { status, headers, body }
}

fn model_headers(map: &actix_web::http::header::HeaderMap) -> Vec<Header> {
    map.iter().map(|(k, v)| Header::new(k.as_str(), v.as_bytes())).collect()
}

/// What the browser concluded, with every step it took.
///
/// `Display` prints the whole exchange: the classification and why, each
/// request and response with their headers, and the verdict with the step
/// that blocked it — use it as the assertion message.
#[derive(Clone, Debug)]
pub struct Verdict {
    exchange: Exchange,
}

impl Verdict {
    /// The page can read the response.
    pub fn is_allowed(&self) -> bool {
        self.exchange.is_allowed()
    }

    /// Why and where the browser blocked the exchange, if it did.
    pub fn blocked(&self) -> Option<&Blocked> {
        self.exchange.outcome.blocked()
    }

    /// A preflight was sent.
    pub fn preflighted(&self) -> bool {
        self.exchange.preflight.is_some()
    }

    /// The status the page sees (`None` when blocked).
    pub fn status(&self) -> Option<u16> {
        self.exchange.response().map(|r| r.status)
    }

    /// A response header's value, if the page may read it (CORS-safelisted
    /// response headers and exposed ones; `None` when blocked).
    pub fn readable_header(&self, name: &str) -> Option<&str> {
        if !self.exchange.outcome.can_read(name) {
            return None;
        }
        let response = self.exchange.response()?;
        let header = response.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name))?;
        std::str::from_utf8(&header.value).ok()
    }

    /// The response body the page reads (`None` when blocked).
    pub fn body(&self) -> Option<&[u8]> {
        self.exchange.response().map(|r| r.body.as_slice())
    }

    /// The actual request was sent (a refused preflight stops the browser
    /// before it).
    pub fn actual_sent(&self) -> bool {
        self.exchange.actual.is_some()
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.exchange.fmt(f)
    }
}
