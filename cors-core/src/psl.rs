//! Which domains are public suffixes, for refusing `https://*.<suffix>`
//! patterns: a name under a public suffix can be registered by anyone, so
//! a wildcard there allows strangers' sites.
//!
//! The list is the whole Public Suffix List (<https://publicsuffix.org/>),
//! both its ICANN section (`com`, `co.uk`) and its private section, where
//! hosting companies list domains they hand out subdomains of
//! (`github.io`, `vercel.app`, `s3.amazonaws.com`). The `psl` crate compiles
//! the list in; its releases follow the list's changes.

use std::fmt;

/// The part of the Public Suffix List a suffix comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// Registries' own suffixes (`com`, `co.uk`), and any single-label name
    /// (every top-level domain is a suffix, listed or not).
    Icann,
    /// Domains whose owners give subdomains to their customers
    /// (`github.io`, `vercel.app`).
    Private,
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Section::Icann => "ICANN section",
            Section::Private => "private section",
        })
    }
}

/// The list section that makes `domain` (lower-case ASCII, trailing dot
/// allowed) a public suffix, or `None` when it is a name someone owns.
///
/// `localhost` is not one: `http://*.localhost` is a common development
/// setup and every name under it resolves to the local machine.
pub fn public_suffix(domain: &str) -> Option<Section> {
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if domain == "localhost" {
        return None;
    }
    if !domain.contains('.') {
        return Some(Section::Icann);
    }
    let suffix = psl::suffix(domain.as_bytes())?;
    if !suffix.is_known() || suffix.as_bytes() != domain.as_bytes() {
        return None;
    }
    match suffix.typ() {
        Some(psl::Type::Private) => Some(Section::Private),
        _ => Some(Section::Icann),
    }
}

#[cfg(test)]
mod tests {
    use super::{public_suffix, Section};

    #[test]
    fn top_level_and_icann_suffixes_are_public() {
        for d in ["com", "uk", "io", "co.uk", "com.au", "com.", "foo.ck", "nom.es"] {
            assert_eq!(public_suffix(d), Some(Section::Icann), "{d}");
        }
    }

    #[test]
    fn hosting_domains_from_the_private_section_are_public() {
        for d in [
            "s3.amazonaws.com",
            "myshopify.com",
            "vercel.app",
            "pages.dev",
            "github.io",
            "herokuapp.com",
            "r2.dev",
            "duckdns.org",
            "azurestaticapps.net",
            "eu.org",
        ] {
            assert_eq!(public_suffix(d), Some(Section::Private), "{d}");
        }
    }

    #[test]
    fn registrable_domains_and_localhost_are_not() {
        for d in ["example.com", "example.co.uk", "localhost", "user.github.io", "shop.myshopify.com", "a.b.example"] {
            assert_eq!(public_suffix(d), None, "{d}");
        }
    }
}
