//! Random subdomain patterns and origins, for the property tests.

use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};

pub const PARENTS: &[&str] = &["example.com", "a.example", "example.co.uk", "dev.internal"];
pub const LABELS: &[&str] = &["a", "b-c", "x1", "www", "0", "dev_1"];

/// How a test origin is built from a pattern's parent domain.
#[derive(Clone, Debug)]
pub enum Shape {
    /// `<labels>.<parent>`: matches.
    Subdomain(Vec<&'static str>),
    /// `<parent>` itself.
    Bare,
    /// `evil<parent>`: no dot.
    Glued,
    /// `<labels>.<parent>.evil.io`
    Suffixed(Vec<&'static str>),
    /// `<labels>.<parent>` with the other scheme.
    OtherScheme(Vec<&'static str>),
    /// `.<parent>`: an empty label.
    EmptyLabel,
    /// `<labels>.<parent>` upper-cased.
    UpperCase(Vec<&'static str>),
    /// `<labels>.<parent>/`
    TrailingSlash(Vec<&'static str>),
}

#[derive(Clone, Debug)]
pub struct PatternCase {
    pub scheme: &'static str,
    pub parent: &'static str,
    /// `None`: default port, `Some("*")`: any port, else a fixed port.
    pub pattern_port: Option<&'static str>,
    pub request_port: Option<&'static str>,
    pub shape: Shape,
}

pub fn pattern_case() -> impl Strategy<Value = PatternCase> {
    let labels = || subsequence(LABELS, 1..=3);
    let shape = prop_oneof![
        4 => labels().prop_map(Shape::Subdomain),
        1 => Just(Shape::Bare),
        1 => Just(Shape::Glued),
        1 => labels().prop_map(Shape::Suffixed),
        1 => labels().prop_map(Shape::OtherScheme),
        1 => Just(Shape::EmptyLabel),
        1 => labels().prop_map(Shape::UpperCase),
        1 => labels().prop_map(Shape::TrailingSlash),
    ];
    let port = || option::of(select(&["8443", "9000", "*"][..]));
    let request_port = option::of(select(&["8443", "9000"][..]));
    (select(&["https", "http"][..]), select(PARENTS), port(), request_port, shape).prop_map(
        |(scheme, parent, pattern_port, request_port, shape)| PatternCase {
            scheme,
            parent,
            pattern_port,
            request_port,
            shape,
        },
    )
}

impl PatternCase {
    pub fn pattern(&self) -> String {
        let port = self.pattern_port.map(|p| format!(":{p}")).unwrap_or_default();
        format!("{}://*.{}{port}", self.scheme, self.parent)
    }

    /// The origin and whether the pattern matches it on whole DNS labels.
    pub fn origin(&self) -> (String, bool) {
        let other = if self.scheme == "https" { "http" } else { "https" };
        let port = self.request_port.map(|p| format!(":{p}")).unwrap_or_default();
        let port_ok = match (self.pattern_port, self.request_port) {
            (Some("*"), _) => true,
            (want, got) => want == got,
        };
        let (s, p) = (self.scheme, self.parent);
        match &self.shape {
            Shape::Subdomain(l) => (format!("{s}://{}.{p}{port}", l.join(".")), port_ok),
            Shape::Bare => (format!("{s}://{p}{port}"), false),
            Shape::Glued => (format!("{s}://evil{p}{port}"), false),
            Shape::Suffixed(l) => (format!("{s}://{}.{p}.evil.io{port}", l.join(".")), false),
            Shape::OtherScheme(l) => (format!("{other}://{}.{p}{port}", l.join(".")), false),
            Shape::EmptyLabel => (format!("{s}://.{p}{port}"), false),
            Shape::UpperCase(l) => {
                (format!("{s}://{}{port}", format!("{}.{p}", l.join(".")).to_ascii_uppercase()), false)
            }
            Shape::TrailingSlash(l) => (format!("{s}://{}.{p}{port}/", l.join(".")), false),
        }
    }
}
