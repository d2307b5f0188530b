//! Random requests as a page makes them, for the property tests.

use crate::policies::*;
use crate::wire::{or_allowed, Allowed, SENT_ORIGINS};
use cors_core::browser::{BrowserRequest, Credentials};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

pub const PAGE_METHODS: &[&str] =
    &["GET", "get", "HEAD", "POST", "post", "PUT", "put", "PATCH", "patch", "DELETE", "PURGE", "OPTIONS", "M-SEARCH"];
/// Safelisted and unsafe headers, `authorization`, and a forbidden one the
/// browser drops.
pub const PAGE_HEADERS: &[(&str, &str)] = &[
    ("Content-Type", "text/plain"),
    ("Content-Type", "application/json"),
    ("X-Request-ID", "7"),
    ("Authorization", "Bearer t"),
    ("Accept", "*/*"),
    ("Accept", "a\"b"),
    ("x-custom", "1"),
    ("X-Other", "1"),
    ("Accept-Language", "en"),
    ("Content-Language", "de{"),
    ("Range", "bytes=0-"),
    ("Cookie", "a=b"),
];

#[derive(Clone, Debug)]
pub struct PageRequest(pub BrowserRequest);

pub fn page_request(allowed: Allowed) -> impl Strategy<Value = PageRequest> {
    let credentials = select(&[Credentials::Omit, Credentials::SameOrigin, Credentials::Include][..]);
    let origin = or_allowed(select(SENT_ORIGINS), allowed.origins);
    let method = or_allowed(select(PAGE_METHODS).prop_map(str::to_owned), allowed.methods);
    let page_headers: Vec<(String, String)> =
        PAGE_HEADERS.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    let n = allowed.headers.len();
    let headers = prop_oneof![subsequence(page_headers, 0..=3), subsequence(allowed.headers, 0..=n)];
    (origin, method, headers, credentials, proptest::bool::weighted(0.2)).prop_map(
        |(origin, method, headers, credentials, private_network)| {
            let mut req = BrowserRequest::new(origin, method, "/r").credentials(credentials);
            for (name, value) in headers {
                req = req.header(name, value);
            }
            PageRequest(req.private_network(private_network))
        },
    )
}

/// A valid policy and a page's request, drawn partly from what the policy
/// allows.
pub fn policy_and_page() -> impl Strategy<Value = (Policy, PageRequest)> {
    valid_policy().prop_flat_map(|policy| {
        let allowed = Allowed::of(&policy.policy);
        (Just(policy), page_request(allowed))
    })
}
