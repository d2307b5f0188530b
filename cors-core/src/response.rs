//! The one writer of a [`Plan`]'s headers onto a response, over a
//! [`HeaderSink`]: cors-actix's sink is actix's `HeaderMap` with the
//! policy's header values converted once; [`HeaderList`] is a plain list,
//! for tests and other adapters. Both go through [`Plan::write`], so what
//! the tests check is what the middleware writes.

use crate::decision::{AllowOrigin, Plan};
use crate::policy::{CorsPolicy, HeaderTexts};
use crate::vary::VarySet;

/// A CORS response header with the value the plan gives it. The sink
/// supplies the value: its own copy of the policy's texts (see
/// [`HeaderTexts`]), the request's `Origin`, or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CorsHeader {
    /// `Access-Control-Allow-Origin: *`
    AllowAnyOrigin,
    /// `Access-Control-Allow-Origin` with the request's own `Origin`.
    AllowRequestOrigin,
    /// `Access-Control-Allow-Credentials: true`
    AllowCredentials,
    /// `Access-Control-Allow-Methods` with [`HeaderTexts::allow_methods`].
    AllowMethods,
    /// `Access-Control-Allow-Headers` with [`HeaderTexts::allow_headers`].
    AllowHeaders,
    /// `Access-Control-Max-Age` with [`HeaderTexts::max_age`].
    MaxAge,
    /// `Access-Control-Allow-Private-Network: true`
    AllowPrivateNetwork,
    /// `Access-Control-Expose-Headers` with [`HeaderTexts::expose_headers`].
    ExposeHeaders,
}

impl CorsHeader {
    /// The header's name, lower case.
    pub const fn name(self) -> &'static str {
        match self {
            CorsHeader::AllowAnyOrigin | CorsHeader::AllowRequestOrigin => "access-control-allow-origin",
            CorsHeader::AllowCredentials => "access-control-allow-credentials",
            CorsHeader::AllowMethods => "access-control-allow-methods",
            CorsHeader::AllowHeaders => "access-control-allow-headers",
            CorsHeader::MaxAge => "access-control-max-age",
            CorsHeader::AllowPrivateNetwork => "access-control-allow-private-network",
            CorsHeader::ExposeHeaders => "access-control-expose-headers",
        }
    }

    /// The header's value from `texts`, for sinks that keep the policy's
    /// texts as they are; `origin` is the request's `Origin`.
    pub fn text<'a>(self, texts: &'a HeaderTexts, origin: &'a [u8]) -> Option<&'a [u8]> {
        match self {
            CorsHeader::AllowAnyOrigin => Some(b"*"),
            CorsHeader::AllowRequestOrigin => Some(origin),
            CorsHeader::AllowCredentials | CorsHeader::AllowPrivateNetwork => Some(b"true"),
            CorsHeader::AllowMethods => Some(texts.allow_methods.as_bytes()),
            CorsHeader::AllowHeaders => texts.allow_headers.as_deref().map(str::as_bytes),
            CorsHeader::MaxAge => texts.max_age.as_deref().map(str::as_bytes),
            CorsHeader::ExposeHeaders => texts.expose_headers.as_deref().map(str::as_bytes),
        }
    }
}

/// Whether `name` (lower case) is a response header the CORS layer owns
/// and so removes from a handler's response before writing its own.
fn is_owned_by_cors(name: &str) -> bool {
    name.starts_with("access-control-allow-")
        || name == "access-control-expose-headers"
        || name == "access-control-max-age"
}

/// Where [`Plan::write`] puts headers: a response's header map. It only
/// stores; every rule (what to remove, what to write, how `Vary` merges) is
/// in the writer.
pub trait HeaderSink {
    /// The names of the response's headers, lower case (repeated names may
    /// repeat).
    fn names(&self) -> impl Iterator<Item = &str>;
    /// Whether the response has no header at all (lets the writer skip
    /// looking for handler headers; sinks with a cheap count override it).
    fn is_empty(&self) -> bool {
        self.names().next().is_none()
    }
    /// Removes every line of header `name`.
    fn remove(&mut self, name: &str);
    /// Sets `header`, replacing any line of that name, with the value the
    /// sink holds for it; a sink without a value for it writes nothing.
    fn set(&mut self, header: CorsHeader);
    /// The response's `Vary` lines.
    fn vary_lines(&self) -> impl Iterator<Item = &[u8]>;
    /// Sets `Vary` to exactly `names` (the response had none).
    fn insert_vary(&mut self, names: VarySet);
    /// Replaces every `Vary` line with `line`, which lists the old lines'
    /// names followed by `added`.
    fn replace_vary(&mut self, line: &[u8], added: VarySet);
}

impl Plan {
    /// Writes the plan's headers onto a response. This layer owns the
    /// route's CORS, so it is the only writer of the `Access-Control-*`
    /// response headers: the handler's own are removed first (except under
    /// an `off` policy, which has no CORS of its own), so the response
    /// carries exactly the plan's — one `Access-Control-Allow-Origin` at
    /// most. `Vary` is merged with the handler's own into one line.
    ///
    /// Formats nothing and allocates nothing unless the handler set a
    /// CORS header or a `Vary` of its own.
    #[inline]
    pub fn write<S: HeaderSink>(&self, policy: &CorsPolicy, sink: &mut S) {
        if !policy.is_off() && !sink.is_empty() && sink.names().any(is_owned_by_cors) {
            remove_owned_headers(sink);
        }
        let texts = policy.header_texts();
        match self.allow_origin {
            AllowOrigin::Omit => {}
            AllowOrigin::Any => sink.set(CorsHeader::AllowAnyOrigin),
            AllowOrigin::Mirror => sink.set(CorsHeader::AllowRequestOrigin),
        }
        if self.allow_credentials {
            sink.set(CorsHeader::AllowCredentials);
        }
        if self.allow_methods {
            sink.set(CorsHeader::AllowMethods);
        }
        if self.allow_headers && texts.allow_headers.is_some() {
            sink.set(CorsHeader::AllowHeaders);
        }
        if self.max_age && texts.max_age.is_some() {
            sink.set(CorsHeader::MaxAge);
        }
        if self.expose_headers && texts.expose_headers.is_some() {
            sink.set(CorsHeader::ExposeHeaders);
        }
        if self.allow_private_network {
            sink.set(CorsHeader::AllowPrivateNetwork);
        }
        merge_vary(self.vary, sink);
    }

    /// The headers the plan writes on a response that has none, as
    /// (name, value) pairs: [`write`](Self::write) into a [`HeaderList`].
    /// `origin` is the request's `Origin`. Allocates.
    pub fn render(&self, policy: &CorsPolicy, origin: &[u8]) -> Vec<(&'static str, String)> {
        let mut list = HeaderList::new(policy.header_texts(), origin);
        self.write(policy, &mut list);
        list.into_entries()
    }
}

#[cold]
#[inline(never)]
fn remove_owned_headers<S: HeaderSink>(sink: &mut S) {
    let owned: Vec<String> = sink.names().filter(|n| is_owned_by_cors(n)).map(str::to_owned).collect();
    for name in owned {
        sink.remove(&name);
    }
}

#[inline]
fn merge_vary<S: HeaderSink>(wanted: VarySet, sink: &mut S) {
    if wanted.is_empty() {
        return;
    }
    // One pass over the lines (one header lookup) tells both what is
    // missing and whether there is a line to merge with.
    let mut had_vary = false;
    let missing = wanted.missing_from(sink.vary_lines().inspect(|_| had_vary = true));
    if missing.is_empty() {
        return;
    }
    if !had_vary {
        sink.insert_vary(missing);
        return;
    }
    // Two `Vary` lines mean the same as one merged line (RFC 9110, "Field
    // Order"), but some caches read only the first: write one.
    merge_vary_lines(missing, sink);
}

#[cold]
#[inline(never)]
fn merge_vary_lines<S: HeaderSink>(missing: VarySet, sink: &mut S) {
    let mut line: Vec<u8> = Vec::new();
    for value in sink.vary_lines().chain(std::iter::once(missing.as_str().as_bytes())) {
        let value = value.trim_ascii();
        if value.is_empty() {
            continue;
        }
        if !line.is_empty() {
            line.extend_from_slice(b", ");
        }
        line.extend_from_slice(value);
    }
    sink.replace_vary(&line, missing);
}

/// A response's headers as a plain list of (name, value) lines, in order,
/// names lower case; values come from a policy's [`HeaderTexts`] and the
/// request's `Origin`. What the tests write into, and a sink for adapters
/// that have no precomputed values of their own.
#[derive(Clone, Debug)]
pub struct HeaderList<'a> {
    texts: &'a HeaderTexts,
    origin: &'a [u8],
    entries: Vec<(&'static str, String)>,
}

impl<'a> HeaderList<'a> {
    /// An empty response, for a policy's `texts` and the request's `origin`.
    pub fn new(texts: &'a HeaderTexts, origin: &'a [u8]) -> Self {
        HeaderList { texts, origin, entries: Vec::new() }
    }

    /// Adds a line, as a handler would. `name` is in lower case, as
    /// actix's `HeaderMap` and HTTP/2 keep names.
    pub fn append(&mut self, name: &'static str, value: &str) {
        self.entries.push((name, value.to_owned()));
    }

    /// The lines.
    pub fn entries(&self) -> &[(&'static str, String)] {
        &self.entries
    }

    /// The lines, owned.
    pub fn into_entries(self) -> Vec<(&'static str, String)> {
        self.entries
    }

    fn put(&mut self, name: &'static str, value: &[u8]) {
        self.remove(name);
        self.entries.push((name, String::from_utf8_lossy(value).into_owned()));
    }
}

impl HeaderSink for HeaderList<'_> {
    fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(n, _)| *n)
    }

    fn remove(&mut self, name: &str) {
        self.entries.retain(|(n, _)| *n != name);
    }

    fn set(&mut self, header: CorsHeader) {
        if let Some(value) = header.text(self.texts, self.origin) {
            self.put(header.name(), value);
        }
    }

    fn vary_lines(&self) -> impl Iterator<Item = &[u8]> {
        self.entries.iter().filter(|(n, _)| *n == "vary").map(|(_, v)| v.as_bytes())
    }

    fn insert_vary(&mut self, names: VarySet) {
        self.put("vary", names.as_str().as_bytes());
    }

    fn replace_vary(&mut self, line: &[u8], _added: VarySet) {
        self.put("vary", line);
    }
}
