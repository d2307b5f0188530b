//! Deterministic random inputs for the no-panic tests: a small PRNG mixing
//! fully random bytes with fragments of real origins and header values, so
//! the inputs also reach deep paths.

use cors_core::{HeaderInput, PolicyConfig};

/// SplitMix64: tiny, fast, and good enough to spread inputs.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

pub const BYTE_FRAGMENTS: &[&[u8]] = &[
    b"https://",
    b"http://",
    b"null",
    b"app.example",
    b".example.com",
    b"a.",
    b"localhost",
    b"[::1]",
    b"[",
    b"]",
    b":",
    b":8080",
    b":65536",
    b"*",
    b",",
    b", ",
    b" ",
    b"\t",
    b"/",
    b"true",
    b"GET",
    b"PUT",
    b"OPTIONS",
    b"patch",
    b"authorization",
    b"content-type",
    b"x-request-id",
    b"\xff",
    b"\xc3\xa9",
    b"\xe2\x80\xae",
    b"\0",
    b"\r\n",
    b"\x7f",
];

/// Random bytes: empty, short, or occasionally past the ACRH byte cap;
/// a mix of fragments and arbitrary bytes.
pub fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = match rng.below(20) {
        0 => 0,
        1 => 4000 + rng.below(200),
        _ => rng.below(12),
    };
    let mut out = Vec::new();
    for _ in 0..len {
        if rng.chance(3) {
            out.push(rng.next() as u8);
        } else {
            out.extend_from_slice(rng.pick(BYTE_FRAGMENTS));
        }
    }
    out
}

pub const STR_FRAGMENTS: &[&str] = &[
    "https://",
    "http://",
    "ws://",
    "://",
    "*",
    "*.",
    "null",
    "example.com",
    "app.example",
    "co.uk",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "[",
    "]",
    ":",
    ":*",
    ":443",
    ":8080",
    ":0",
    ":99999",
    "/",
    "?q",
    "#f",
    "@",
    ".",
    "-",
    "_",
    " ",
    ",",
    "GET",
    "get",
    "PATCH",
    "TRACE",
    "x-request-id",
    "Content-Type",
    "authorization",
    "cookie",
    "sec-",
    "set-cookie",
    "xn--",
    "A",
];

pub const ODD_CHARS: &[char] = &[
    '\0', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{a0}', 'é', 'ß', 'İ', 'K', '\u{301}', '\u{200b}',
    '\u{202e}', '\u{fffd}', '\u{feff}', '日', '🦀',
];

/// A random string: fragments of origins, methods and header names, ASCII,
/// control characters and multi-byte characters.
pub fn random_string(rng: &mut Rng) -> String {
    let len = if rng.chance(50) { 200 + rng.below(200) } else { rng.below(8) };
    let mut out = String::new();
    for _ in 0..len {
        match rng.below(4) {
            0 => out.push(rng.pick(ODD_CHARS)),
            1 => out.push(char::from(rng.below(128) as u8)),
            _ => out.push_str(rng.pick(STR_FRAGMENTS)),
        }
    }
    out
}

/// An origin-shaped string: scheme, optional `*.`, labels, optional port,
/// sometimes a tail or one random edit, so that many parse and the
/// accepted ones are varied.
pub fn origin_like(rng: &mut Rng) -> String {
    let scheme = rng.pick(&["https", "http", "ws", "wss", "ftp", "chrome-extension", "HTTPS", "1x", "*"]);
    let mut out = format!("{scheme}://");
    if rng.chance(3) {
        out.push_str("*.");
    }
    let host = rng.pick(&[
        "app.example",
        "a-b.example.co.uk",
        "localhost",
        "127.0.0.1",
        "[::1]",
        "com",
        "xn--bcher-kva.example",
        "a_b.example",
        "co.uk",
    ]);
    out.push_str(host);
    if rng.chance(2) {
        out.push_str(rng.pick(&[":8080", ":*", ":443", ":80", ":0", ":65535", ":65536", ":08", ":", ":8*"]));
    }
    if rng.chance(6) {
        out.push_str(rng.pick(&["/", "/path", "?q=1", "#f", "@x"]));
    }
    if rng.chance(4) && !out.is_empty() {
        let at = rng.below(out.len());
        if out.is_char_boundary(at) {
            out.insert(at, rng.pick(ODD_CHARS));
        }
    }
    out
}

/// A list for one key: random strings, or entries of the right shape.
pub fn random_list(rng: &mut Rng, plausible: fn(&mut Rng) -> String) -> Option<Vec<String>> {
    if rng.chance(3) {
        return None;
    }
    let n = if rng.chance(8) { 0 } else { 1 + rng.below(4) };
    Some((0..n).map(|_| if rng.chance(10) { random_string(rng) } else { plausible(rng) }).collect())
}

pub fn method_like(rng: &mut Rng) -> String {
    rng.pick(&["GET", "PUT", "patch", "PURGE", "*", "get", "TRACE", "M-SEARCH"]).to_owned()
}

pub fn header_like(rng: &mut Rng) -> String {
    rng.pick(&["content-type", "X-Request-ID", "authorization", "*", "cookie", "set-cookie", "sec-x", "x-a"]).to_owned()
}

pub fn random_raw_policy(rng: &mut Rng) -> PolicyConfig {
    let flag = |rng: &mut Rng| match rng.below(3) {
        0 => None,
        1 => Some(false),
        _ => Some(true),
    };
    PolicyConfig {
        origins: random_list(rng, origin_like),
        methods: random_list(rng, method_like),
        allow_headers: random_list(rng, header_like),
        expose_headers: random_list(rng, header_like),
        credentials: flag(rng),
        max_age: if rng.chance(2) { None } else { Some(rng.next() >> rng.below(64)) },
        private_network: flag(rng),
        reject: flag(rng),
        off: rng.chance(8),
        reflect_any_origin: rng.chance(8),
        allow_null_with_credentials: flag(rng),
        allow_insecure_origins_with_credentials: flag(rng),
        origin_fn: None,
    }
}

pub fn header_input<'a>(rng: &mut Rng, value: &'a [u8]) -> HeaderInput<'a> {
    match rng.below(8) {
        0 => HeaderInput::Absent,
        1 => HeaderInput::Many,
        _ => HeaderInput::One(value),
    }
}

/// The bytes behind one random request; `RequestParts` borrows from it.
pub struct Owned {
    pub method: Vec<u8>,
    pub origin: Vec<u8>,
    pub request_method: Vec<u8>,
    pub lines: Vec<Vec<u8>>,
    pub private_network: Vec<u8>,
}

/// Either a plausible value (so accepted outcomes are reached too) or
/// random bytes.
pub fn plausible_or_random(rng: &mut Rng, plausible: &[&[u8]]) -> Vec<u8> {
    if rng.chance(2) {
        rng.pick(plausible).to_vec()
    } else {
        random_bytes(rng)
    }
}

impl Owned {
    pub fn random(rng: &mut Rng) -> Self {
        let origins: &[&[u8]] = &[
            b"https://app.example",
            b"https://a.b.example.com",
            b"http://localhost:3000",
            b"null",
            b"https://evil.example",
        ];
        let methods: &[&[u8]] = &[b"GET", b"POST", b"PUT", b"PATCH", b"patch", b"DELETE", b"PURGE"];
        let lines: &[&[u8]] = &[b"content-type", b"X-Request-ID, content-type", b"authorization", b"x-a", b"", b" , "];
        let n_lines = match rng.below(10) {
            0 => 7 + rng.below(4),
            1..=5 => 0,
            _ => 1 + rng.below(2),
        };
        Owned {
            method: plausible_or_random(rng, &[b"OPTIONS", b"GET"]),
            origin: plausible_or_random(rng, origins),
            request_method: plausible_or_random(rng, methods),
            lines: (0..n_lines).map(|_| plausible_or_random(rng, lines)).collect(),
            private_network: plausible_or_random(rng, &[b"true"]),
        }
    }
}
