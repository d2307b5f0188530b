//! Pieces of real header values that hostile inputs are glued from: the
//! property and no-panic tests' generators (`wire.rs`) and the stable
//! fuzzer's dictionary (`fuzz/examples/decide_random.rs`) both use this
//! one list.

/// Scheme, host, port and list pieces, separators and bytes no header
/// value should hold, method and header names in both cases.
pub const FRAGMENTS: &[&[u8]] = &[
    b"https://",
    b"http://",
    b"null",
    b"app.example",
    b".example.com",
    b".a.example:8443",
    b"localhost",
    b":3000",
    b":*",
    b"[::1]",
    b"*",
    b",",
    b", ",
    b" ",
    b"\t",
    b"\r\n",
    b"\n",
    b"\0",
    b"\xff",
    b"\xc3\xa9",
    b"/",
    b"true",
    b"OPTIONS",
    b"GET",
    b"PUT",
    b"patch",
    b"PURGE",
    b"DELETE",
    b"authorization",
    b"content-type",
    b"X-Request-ID",
    b"x-a",
];
