//! The real-browser cases: each states what every engine must decide —
//! one expected verdict, the Fetch standard's, unless the case lists an
//! engine that decides otherwise (with the standard's text in a comment).

use super::engines::Engine;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Case {
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<&'static str>,
    pub credentials: bool,
    /// The page can read the response (in every engine not listed in
    /// `engines`): the Fetch standard's verdict.
    pub allowed: bool,
    /// Engines whose verdict departs from the standard's, with theirs.
    #[serde(skip)]
    pub engines: Vec<(Engine, bool)>,
    /// The status the page sees, when allowed.
    pub status: u16,
    /// Response headers the page must be able to read.
    pub readable: Vec<&'static str>,
    /// Response headers the page must not be able to read.
    pub unreadable: Vec<&'static str>,
}

fn case(name: &'static str, method: &'static str, path: &'static str, allowed: bool) -> Case {
    Case {
        name,
        method,
        path,
        headers: Vec::new(),
        body: None,
        credentials: false,
        allowed,
        engines: Vec::new(),
        status: 200,
        readable: Vec::new(),
        unreadable: Vec::new(),
    }
}

impl Case {
    /// Whether the page can read the response in `engine`.
    pub fn allowed_in(&self, engine: Engine) -> bool {
        self.engines.iter().find(|(e, _)| *e == engine).map_or(self.allowed, |(_, allowed)| *allowed)
    }
    /// `engine` departs from the standard here: the page can read the
    /// response there when `allowed`.
    fn except(mut self, engine: Engine, allowed: bool) -> Self {
        self.engines.push((engine, allowed));
        self
    }
    fn headers(mut self, lines: impl IntoIterator<Item = (&'static str, String)>) -> Self {
        self.headers.extend(lines);
        self
    }
    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    fn body(mut self, body: &'static str) -> Self {
        self.body = Some(body);
        self
    }
    fn credentials(mut self) -> Self {
        self.credentials = true;
        self
    }
    fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
    fn reads(mut self, name: &'static str) -> Self {
        self.readable.push(name);
        self
    }
    fn hides(mut self, name: &'static str) -> Self {
        self.unreadable.push(name);
        self
    }
}

const JSON: &str = "application/json";

pub fn all() -> Vec<Case> {
    vec![
        // simple requests
        case("simple GET, origins = *", "GET", "/public", true).reads("x-request-id").hides("x-hidden"),
        case("simple GET, origins = *, safelisted accept", "GET", "/public", true).header("accept", JSON),
        case("simple GET, content-language", "GET", "/public", true).header("content-language", "en-US"),
        case("GET with a custom header to a route without allow_headers", "GET", "/public", false)
            .header("x-request-id", "1"),
        case("simple GET, origins = *, credentials include", "GET", "/public", false).credentials(),
        case("simple POST text/plain, global default", "POST", "/submit", true)
            .header("content-type", "text/plain")
            .body("hi")
            .reads("x-request-id"),
        case("simple POST form, global default", "POST", "/submit", true)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("a=1"),
        case("POST JSON to the global default (no allow_headers)", "POST", "/submit", false)
            .header("content-type", JSON)
            .body("{}"),
        case("POST with a 129-byte accept is not simple", "POST", "/submit", false)
            .header("accept", "a".repeat(129))
            .body("x"),
        case("POST text/plain with credentials, no ACAC", "POST", "/submit", false)
            .header("content-type", "text/plain")
            .body("hi")
            .credentials(),
        case("GET unannotated route, global default", "GET", "/health", true).reads("x-request-id").hides("x-hidden"),
        case("unknown path: global 404 is readable", "GET", "/nowhere", true).status(404),
        // CORS-safelisted request-header edges
        case("GET with a single range is simple", "GET", "/public", true).header("range", "bytes=0-1"),
        case("GET with a suffix range is not simple", "GET", "/public", false).header("range", "bytes=-5"),
        case("accept with a CORS-unsafe byte is not simple", "GET", "/public", false).header("accept", "\"x\""),
        case("accept-language list with q-values is simple", "GET", "/public", true)
            .header("accept-language", "en-US,en;q=0.9"),
        case("content-language with `_` is not simple", "GET", "/public", false).header("content-language", "en_US"),
        case("quoted charset in text/plain is not simple", "POST", "/submit", false)
            .header("content-type", "text/plain; charset=\"utf-8\"")
            .body("hi"),
        case("text/plain with a charset is simple", "POST", "/submit", true)
            .header("content-type", "text/plain;charset=utf-8")
            .body("hi"),
        // A header the script sets twice is two lines of the header list:
        // Fetch, "CORS-unsafe request-header names": "For each header of
        // headers: If header is not a CORS-safelisted request-header, then
        // append header's name to unsafeNames. Otherwise, append header's
        // name to potentiallyUnsafeNames and increase safelistValueSize by
        // header's value's length." and "If safelistValueSize is greater
        // than 1024, then for each name of potentiallyUnsafeNames, append
        // name to unsafeNames."; a CORS-safelisted request-header starts
        // with "If value's length is greater than 128, then return false."
        // Chromium and WebKit check each name's lines joined with `, `
        // instead; Firefox checks each line but has no 1024-byte limit.
        case("two 62-byte accept lines, 126 bytes joined: simple", "POST", "/submit", true)
            .header("accept", "a".repeat(62))
            .header("accept", "b".repeat(62))
            .body("x"),
        case("two 64-byte accept lines, 130 bytes joined", "POST", "/submit", true)
            .header("accept", "a".repeat(64))
            .header("accept", "b".repeat(64))
            .body("x")
            .except(Engine::Chromium, false)
            .except(Engine::WebKit, false),
        case("three 100-byte safelisted headers, one line each", "POST", "/submit", true)
            .header("accept", "a".repeat(100))
            .header("content-language", "b".repeat(100))
            .header("accept-language", "c".repeat(100))
            .body("x"),
        case("eight 128-byte accept lines: 1024 bytes, simple", "POST", "/submit", true)
            .headers((0..8).map(|_| ("accept", "a".repeat(128))))
            .body("x")
            .except(Engine::Chromium, false)
            .except(Engine::WebKit, false),
        case("nine 128-byte accept lines: over 1024 bytes", "POST", "/submit", false)
            .headers((0..9).map(|_| ("accept", "a".repeat(128))))
            .body("x")
            .except(Engine::Firefox, true),
        case("lower-case put is normalized to PUT", "put", "/orders", true).header("content-type", JSON).body("{}"),
        // preflighted
        case("PUT JSON, credentials", "PUT", "/orders", true)
            .header("content-type", JSON)
            .body("{}")
            .credentials()
            .reads("x-request-id")
            .hides("x-hidden"),
        case("PUT JSON, no credentials", "PUT", "/orders", true).header("content-type", JSON).body("{}"),
        case("PUT with listed custom header", "PUT", "/orders", true).header("x-request-id", "abc"),
        case("PUT with listed header in upper case", "PUT", "/orders", true).header("X-Request-ID", "abc"),
        case("PUT with an unlisted header", "PUT", "/orders", false).header("x-unknown", "1"),
        case("PUT with authorization, not listed", "PUT", "/orders", false).header("authorization", "Bearer t"),
        case("DELETE on the same path, other policy", "DELETE", "/orders", false),
        case("PATCH upper case", "PATCH", "/items", true),
        case("patch lower case is another method", "patch", "/items", false),
        case("PATCH JSON", "PATCH", "/items", true).header("content-type", JSON).body("{}"),
        case("POST with any header, allow_headers = *", "POST", "/wild", true).header("x-anything", "1"),
        case("POST JSON, allow_headers = *", "POST", "/wild", true).header("content-type", JSON).body("{}"),
        case("authorization is never covered by *", "POST", "/wild", false).header("authorization", "Bearer t"),
        case("OPTIONS from a script needs a preflight the global refuses", "OPTIONS", "/health", false),
        case("PUT to a path only the global answers", "PUT", "/health", false),
        // origins
        case("subdomain pattern does not match the page", "GET", "/partners", false),
        case("reject = true: disallowed origin gets 403", "GET", "/admin", false),
        case("off route under a global policy", "GET", "/internal", false),
        // credentials
        case("credentials with a mirrored origin and ACAC", "GET", "/me", true).credentials().reads("x-request-id"),
        case("credentials omitted on a credentialed route", "GET", "/me", true),
        case("credentials on a route without ACAC", "GET", "/nocred", false).credentials(),
        // expose_headers is inherited from the global policy
        case("no credentials on a route without ACAC", "GET", "/nocred", true).reads("x-request-id").hides("x-hidden"),
        // scopes
        case("scoped route with its header", "GET", "/api/things", true).header("x-api-key", "k"),
        case("scoped route with another header", "GET", "/api/things", false).header("x-other", "k"),
        case("scoped route, simple GET", "GET", "/api/things", true),
        // a policy for a whole scope (`CorsScope`), on routes without one of their own
        case("CorsScope: PUT JSON with credentials", "PUT", "/team/notes", true)
            .header("content-type", JSON)
            .body("{}")
            .credentials()
            .reads("x-request-id"),
        case("CorsScope: DELETE is not among its methods", "DELETE", "/team/notes", false),
        case("CorsScope: a 500 from inside is readable", "GET", "/team/fail", true).credentials().status(500),
        case("CorsScope: its origins leave the page out", "GET", "/vendor/stock", false),
        // errors
        case("handler 500 is readable", "GET", "/fail/500", true).status(500).reads("x-request-id"),
        case("JSON extractor failure is readable", "POST", "/json", true)
            .header("content-type", JSON)
            .body("{not json")
            .status(400),
        case("valid JSON body", "POST", "/json", true).header("content-type", JSON).body("{\"quantity\": 1}"),
        // max_age
        case("max_age = 600, first preflight", "PUT", "/cached", true).header("content-type", JSON).body("{}"),
        case("max_age = 600, second call", "PUT", "/cached", true).header("content-type", JSON).body("{}"),
    ]
}
