//! A small public-suffix check for refusing `https://*.<suffix>` patterns.
//!
//! This is deliberately not the full Public Suffix List (which changes
//! weekly and would need a data dependency): it refuses every single-label
//! parent (any top-level domain) and the multi-label registry and shared
//! hosting suffixes people most often type. A wildcard under any of these
//! would let strangers register an allowed origin.

/// Multi-label public suffixes: country second levels and shared hosting
/// domains where anyone can get a subdomain.
const MULTI_LABEL: &[&str] = &[
    // country-code second levels
    "co.uk",
    "org.uk",
    "ac.uk",
    "gov.uk",
    "me.uk",
    "net.uk",
    "ltd.uk",
    "plc.uk",
    "com.au",
    "net.au",
    "org.au",
    "edu.au",
    "gov.au",
    "co.nz",
    "org.nz",
    "net.nz",
    "co.jp",
    "ne.jp",
    "or.jp",
    "ac.jp",
    "go.jp",
    "co.kr",
    "or.kr",
    "com.br",
    "net.br",
    "org.br",
    "com.cn",
    "net.cn",
    "org.cn",
    "gov.cn",
    "com.mx",
    "org.mx",
    "com.ar",
    "com.tr",
    "com.tw",
    "org.tw",
    "com.hk",
    "org.hk",
    "com.sg",
    "com.my",
    "co.in",
    "net.in",
    "org.in",
    "firm.in",
    "gen.in",
    "ind.in",
    "co.za",
    "org.za",
    "co.il",
    "org.il",
    "com.ua",
    "co.id",
    "or.id",
    "web.id",
    "com.ph",
    "com.vn",
    "com.pk",
    "com.eg",
    "com.sa",
    "com.ng",
    "co.ke",
    "co.th",
    "in.th",
    "com.pl",
    "net.pl",
    "org.pl",
    "com.es",
    "nom.es",
    "org.es",
    "co.at",
    "or.at",
    "com.pt",
    "com.ru",
    "net.ru",
    "org.ru",
    "co.it",
    "com.de",
    // shared hosting where anyone can register a subdomain
    "github.io",
    "gitlab.io",
    "herokuapp.com",
    "vercel.app",
    "netlify.app",
    "pages.dev",
    "workers.dev",
    "web.app",
    "firebaseapp.com",
    "appspot.com",
    "azurewebsites.net",
    "cloudfront.net",
    "amazonaws.com",
    "blogspot.com",
    "glitch.me",
    "repl.co",
    "onrender.com",
    "fly.dev",
    "ngrok.io",
    "ngrok-free.app",
    "trycloudflare.com",
    "surge.sh",
    "now.sh",
    "wordpress.com",
    "readthedocs.io",
    "codesandbox.io",
    "stackblitz.io",
    "deno.dev",
];

/// Whether `domain` (lower-case, no trailing dot) is a public suffix.
///
/// `localhost` is not one: `http://*.localhost` is a common development
/// setup and every name under it resolves to the local machine.
pub fn is_public_suffix(domain: &str) -> bool {
    if domain == "localhost" {
        return false;
    }
    !domain.contains('.') || MULTI_LABEL.contains(&domain)
}

#[cfg(test)]
mod tests {
    use super::is_public_suffix;

    #[test]
    fn top_level_and_listed_suffixes_are_public() {
        for d in ["com", "uk", "io", "co.uk", "com.au", "github.io", "herokuapp.com"] {
            assert!(is_public_suffix(d), "{d}");
        }
    }

    #[test]
    fn registrable_domains_and_localhost_are_not() {
        for d in ["example.com", "example.co.uk", "localhost", "user.github.io"] {
            assert!(!is_public_suffix(d), "{d}");
        }
    }
}
