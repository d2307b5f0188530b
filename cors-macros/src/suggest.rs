//! "Did you mean": the key a misspelled or foreign key most likely meant.

use cors_core::PolicyKey;

/// Names other CORS libraries (actix-cors, tower-http, rack-cors, …) use for
/// our keys; people porting a configuration write these first.
const ALIASES: &[(&str, PolicyKey)] = &[
    ("origin", PolicyKey::Origins),
    ("allow_origin", PolicyKey::Origins),
    ("allow_origins", PolicyKey::Origins),
    ("allowed_origin", PolicyKey::Origins),
    ("allowed_origins", PolicyKey::Origins),
    ("method", PolicyKey::Methods),
    ("allow_methods", PolicyKey::Methods),
    ("allowed_methods", PolicyKey::Methods),
    ("headers", PolicyKey::AllowHeaders),
    ("allowed_headers", PolicyKey::AllowHeaders),
    ("request_headers", PolicyKey::AllowHeaders),
    ("exposed_headers", PolicyKey::ExposeHeaders),
    ("expose", PolicyKey::ExposeHeaders),
    ("allow_credentials", PolicyKey::Credentials),
    ("supports_credentials", PolicyKey::Credentials),
    ("with_credentials", PolicyKey::Credentials),
    ("max_age_secs", PolicyKey::MaxAge),
    ("max_age_seconds", PolicyKey::MaxAge),
    ("allow_private_network", PolicyKey::PrivateNetwork),
    ("private_network_access", PolicyKey::PrivateNetwork),
    ("disable", PolicyKey::Off),
    ("disabled", PolicyKey::Off),
];

/// The key `unknown` most likely stands for, if any is close enough.
pub(crate) fn similar_key(unknown: &str) -> Option<PolicyKey> {
    let lower = unknown.to_ascii_lowercase().replace('-', "_");
    if let Some(key) = PolicyKey::from_name(&lower) {
        return Some(key);
    }
    if let Some((_, key)) = ALIASES.iter().find(|(alias, _)| *alias == lower) {
        return Some(*key);
    }
    let limit = (lower.len() / 3).clamp(1, 3);
    PolicyKey::ALL
        .into_iter()
        .map(|key| (edit_distance(&lower, key.name()), key))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, key)| key)
}

/// The methods a bare identifier in `methods = [...]` may name: the
/// standard ones (RFC 9110 and PATCH). Anything else is an extension
/// method, written as a string.
pub(crate) const STANDARD_METHODS: [&str; 9] =
    ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"];

/// The standard method a bare, unknown identifier most likely meant.
pub(crate) fn similar_method(unknown: &str) -> Option<&'static str> {
    let upper = unknown.to_ascii_uppercase();
    STANDARD_METHODS
        .into_iter()
        .map(|m| (edit_distance(&upper, m), m))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, m)| m)
}

/// Levenshtein distance over bytes (keys are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        for (a, b, d) in [("", "abc", 3), ("origin", "origins", 1), ("max_ag", "max_age", 1), ("abc", "abc", 0)] {
            assert_eq!(edit_distance(a, b), d, "{a} -> {b}");
        }
    }

    #[test]
    fn method_suggestions() {
        for (input, want) in
            [("POTS", Some("POST")), ("DELET", Some("DELETE")), ("PATHC", Some("PATCH")), ("PURGE", None)]
        {
            assert_eq!(similar_method(input), want, "{input}");
        }
    }

    #[test]
    fn suggestions() {
        let cases = [
            ("origin", Some(PolicyKey::Origins)),
            ("orgins", Some(PolicyKey::Origins)),
            ("allowed_headers", Some(PolicyKey::AllowHeaders)),
            ("allow_header", Some(PolicyKey::AllowHeaders)),
            ("expose_header", Some(PolicyKey::ExposeHeaders)),
            ("Credentials", Some(PolicyKey::Credentials)),
            ("maxage", Some(PolicyKey::MaxAge)),
            ("allow_credentials", Some(PolicyKey::Credentials)),
            ("rejct", Some(PolicyKey::Reject)),
            ("xyz", None),
            ("timeout", None),
        ];
        for (input, want) in cases {
            assert_eq!(similar_key(input), want, "{input}");
        }
    }
}
