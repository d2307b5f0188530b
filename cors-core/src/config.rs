//! [`PolicyConfig`]: a policy as written, every key optional and every
//! value text. The builder and the `#[cors]` attribute fill one and check
//! it; with the `serde` feature it is also read from a configuration file
//! or the environment, and checked by the same rules, with errors as values.

use crate::error::PolicyError;
use crate::origin_fn::OriginFn;
#[cfg(feature = "serde")]
use crate::policy::strings;
use crate::policy::CorsPolicy;
#[cfg(feature = "serde")]
use serde::de::{self, Deserializer, SeqAccess, Visitor};
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};
#[cfg(feature = "serde")]
use std::fmt;

/// A CORS policy as written: the attribute's keys, each optional, values
/// as text. The builder and the `#[cors]` attribute fill one of these.
/// [`check`](Self::check) turns it into a typed
/// [`PolicySpec`](crate::PolicySpec) whose unset keys stay unset (a route
/// policy, to merge over the global one with
/// [`PolicySpec::merged_over`](crate::PolicySpec::merged_over));
/// [`into_policy`](Self::into_policy) checks and compiles it as a global
/// policy.
///
#[cfg_attr(feature = "serde", doc = include_str!("config_serde.md"))]
#[cfg_attr(feature = "serde", serde_with::skip_serializing_none)]
#[cfg_attr(feature = "serde", derive(Deserialize, Serialize), serde(default, deny_unknown_fields))]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyConfig {
    /// `origins`: `"*"`, or exact origins and patterns.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "one_or_many"))]
    pub origins: Option<Vec<String>>,
    /// `methods` a preflight may ask for.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "one_or_many"))]
    pub methods: Option<Vec<String>>,
    /// `allow_headers`: request headers scripts may send.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "one_or_many"))]
    pub allow_headers: Option<Vec<String>>,
    /// `expose_headers`: response headers scripts may read.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "one_or_many"))]
    pub expose_headers: Option<Vec<String>>,
    /// `credentials`: allow cookies and HTTP authentication.
    pub credentials: Option<bool>,
    /// `max_age`: seconds a browser may cache a preflight answer (`0..=86400`).
    pub max_age: Option<u64>,
    /// `private_network`: answer Private Network Access preflights.
    pub private_network: Option<bool>,
    /// `reject`: answer disallowed actual requests with 403 without running
    /// the handler.
    pub reject: Option<bool>,
    /// `off`: the route opts out of CORS entirely (alone).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "std::ops::Not::not"))]
    pub off: bool,
    /// Set by the builder's `dangerously_reflect_any_origin()`: mirror every
    /// origin. Never read from a file: a file cannot say it.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub reflect_any_origin: bool,
    /// `allow_null_with_credentials`: permit the origin `null` with
    /// credentials.
    pub allow_null_with_credentials: Option<bool>,
    /// `allow_insecure_origins_with_credentials`: permit plain `http://`
    /// origins other than loopback with credentials.
    pub allow_insecure_origins_with_credentials: Option<bool>,
    /// `origin_fn`: a predicate is code, so it is set by the builder or the
    /// `#[cors]` attribute, never read from a file.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub origin_fn: Option<OriginFn>,
}

impl PolicyConfig {
    /// Checks every key and compiles a global policy (routes without a
    /// policy of their own get the CORS-safelisted methods when `methods`
    /// is unset). All problems are returned together.
    pub fn into_policy(self) -> Result<CorsPolicy, PolicyError> {
        CorsPolicy::from_spec(self.check()?, None)
    }
}

/// Deserializes a list key: an array of strings, a single
/// (comma-separated) string, or `null`. Surrounding whitespace is not part
/// of an entry, as with the builder.
#[cfg(feature = "serde")]
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    deserializer.deserialize_any(OneOrMany)
}

#[cfg(feature = "serde")]
struct OneOrMany;

#[cfg(feature = "serde")]
impl<'de> Visitor<'de> for OneOrMany {
    type Value = Option<Vec<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Some(strings(value.split(',').filter(|s| !s.trim().is_empty()))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<String>()? {
            out.push(item);
        }
        Ok(Some(strings(out)))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(OneOrMany)
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;
    use crate::{Decision, PolicyKey, ProblemKind, RequestParts};

    fn parse(json: &str) -> PolicyConfig {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    fn problems(json: &str) -> Vec<(PolicyKey, Option<usize>, ProblemKind)> {
        let err = parse(json).into_policy().unwrap_err();
        err.problems().iter().map(|p| (p.key, p.index, p.kind)).collect()
    }

    fn strings(items: &[&str]) -> Option<Vec<String>> {
        Some(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn a_valid_json_config_becomes_a_policy() {
        let policy = parse(
            r#"{
                "origins": ["https://app.example", "https://*.example.com"],
                "methods": ["GET", "PUT"],
                "allow_headers": ["Content-Type"],
                "expose_headers": ["x-request-id"],
                "credentials": true,
                "max_age": 600,
                "private_network": true,
                "reject": true
            }"#,
        )
        .into_policy()
        .unwrap();
        let req = RequestParts::new(b"OPTIONS")
            .origin(b"https://a.example.com")
            .request_method(b"PUT")
            .request_headers(&[b"content-type"])
            .request_private_network(b"true");
        let Decision::PreflightAccepted(plan) = policy.decide(&req) else { panic!("preflight refused") };
        assert!(plan.allow_credentials && plan.allow_methods && plan.allow_headers && plan.max_age);
        assert!(plan.allow_private_network);
        assert!(policy.rejects());
        assert_eq!(policy.header_texts().expose_headers.as_deref(), Some("x-request-id"));
    }

    #[test]
    fn list_keys_take_an_array_a_single_string_or_a_comma_list() {
        let config = parse(
            r#"{
                "origins": " https://a.example, https://b.example,, ",
                "methods": "*",
                "allow_headers": ["x-a", " x-b "],
                "expose_headers": "x-c"
            }"#,
        );
        assert_eq!(config.origins, strings(&["https://a.example", "https://b.example"]));
        assert_eq!(config.allow_headers, strings(&["x-a", "x-b"]));
        assert_eq!(config.methods, strings(&["*"]));
        assert_eq!(config.expose_headers, strings(&["x-c"]));
        let spec = config.check().unwrap();
        assert_eq!(spec.allow_headers.unwrap().names.as_ref(), ["x-a", "x-b"]);
        assert!(spec.methods.unwrap().any);
        let policy = parse(r#"{ "origins": "https://a.example,https://b.example" }"#).into_policy().unwrap();
        assert!(policy.allows_origin(b"https://a.example") && policy.allows_origin(b"https://b.example"));
    }

    #[test]
    fn null_and_missing_keys_stay_unset() {
        let spec = parse(r#"{ "origins": "*", "methods": null, "credentials": null }"#).check().unwrap();
        assert_eq!(spec.methods, None);
        assert_eq!(spec.credentials, None);
        assert_eq!(spec.keys_set().collect::<Vec<_>>(), [PolicyKey::Origins]);
    }

    #[test]
    fn unknown_keys_are_refused() {
        // The two fields a file cannot set are not keys of a file either.
        for json in [
            r#"{ "origin": "*" }"#,
            r#"{ "origins": "*", "allowed_headers": ["x-a"] }"#,
            r#"{ "reflect_any_origin": true }"#,
            r#"{ "origins": "*", "origin_fn": "allow_all" }"#,
        ] {
            let err = serde_json::from_str::<PolicyConfig>(json).unwrap_err();
            assert!(err.to_string().contains("unknown field"), "{err}");
        }
    }

    #[test]
    fn values_of_the_wrong_type_are_refused() {
        for json in [
            r#"{ "origins": 5 }"#,
            r#"{ "origins": ["https://a.example", 5] }"#,
            r#"{ "origins": { "a": 1 } }"#,
            r#"{ "credentials": "yes" }"#,
            r#"{ "max_age": -1 }"#,
            r#"{ "off": "true" }"#,
        ] {
            assert!(serde_json::from_str::<PolicyConfig>(json).is_err(), "{json}");
        }
        let err = serde_json::from_str::<PolicyConfig>(r#"{ "methods": 1 }"#).unwrap_err();
        assert!(err.to_string().contains("a string or a list of strings"), "{err}");
    }

    #[test]
    fn an_invalid_origin_is_a_policy_error_with_its_kind_and_index() {
        assert_eq!(
            problems(r#"{ "origins": ["https://a.example", "https://b.example/"] }"#),
            [(PolicyKey::Origins, Some(1), ProblemKind::OriginTrailingSlash)]
        );
        assert_eq!(
            problems(r#"{ "origins": "https://a.example, HTTPS://b.example, https://*.com" }"#),
            [
                (PolicyKey::Origins, Some(1), ProblemKind::OriginUpperCase),
                (PolicyKey::Origins, Some(2), ProblemKind::OriginWildcardPublicSuffix),
            ]
        );
    }

    #[test]
    fn every_rule_of_the_builder_applies() {
        assert_eq!(
            problems(r#"{ "origins": "*", "credentials": true, "max_age": 90000, "methods": ["TRACE"] }"#),
            [
                (PolicyKey::Origins, Some(0), ProblemKind::CredentialsWithAnyOrigin),
                (PolicyKey::Methods, Some(0), ProblemKind::ForbiddenMethod),
                (PolicyKey::MaxAge, None, ProblemKind::MaxAgeOutOfRange)
            ]
        );
        assert_eq!(
            problems(r#"{ "origins": ["null"], "credentials": true, "allow_null_with_credentials": false }"#),
            [(PolicyKey::Origins, Some(0), ProblemKind::NullWithCredentials)]
        );
        assert!(PolicyConfig {
            allow_null_with_credentials: Some(true),
            ..parse(r#"{ "origins": ["null"], "credentials": true }"#)
        }
        .into_policy()
        .is_ok());
        assert_eq!(
            problems(r#"{ "origins": "*", "credentials": true }"#),
            [(PolicyKey::Origins, Some(0), ProblemKind::CredentialsWithAnyOrigin)]
        );
        assert_eq!(problems(r#"{ "origins": "" }"#), [(PolicyKey::Origins, None, ProblemKind::EmptyList)]);
        assert_eq!(problems(r#"{ "credentials": true }"#), [(PolicyKey::Origins, None, ProblemKind::MissingOrigins)]);
        assert_eq!(
            problems(r#"{ "off": true, "origins": "*" }"#),
            [(PolicyKey::Origins, None, ProblemKind::OffWithOtherKeys)]
        );
    }

    #[test]
    fn off_alone_is_a_policy_that_adds_nothing() {
        let policy = parse(r#"{ "off": true }"#).into_policy().unwrap();
        assert!(policy.is_off());
        assert!(!parse(r#"{ "origins": "*", "off": false }"#).into_policy().unwrap().is_off());
    }

    #[test]
    fn config_and_builder_agree() {
        let from_config =
            parse(r#"{ "origins": "https://a.example, https://*.b.example", "max_age": 60 }"#).into_policy().unwrap();
        let from_builder = CorsPolicy::builder()
            .origins("https://a.example, https://*.b.example".split(','))
            .max_age(60)
            .build()
            .unwrap();
        assert_eq!(from_config.spec(), from_builder.spec());
    }

    #[test]
    fn serializes_set_keys_only_and_round_trips() {
        assert_eq!(serde_json::to_string(&PolicyConfig::default()).unwrap(), "{}");
        let config = PolicyConfig {
            origins: strings(&["https://a.example"]),
            allow_headers: strings(&["x-a", "x-b"]),
            credentials: Some(true),
            max_age: Some(600),
            ..PolicyConfig::default()
        };
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(
            json,
            r#"{"origins":["https://a.example"],"allow_headers":["x-a","x-b"],"credentials":true,"max_age":600}"#
        );
        assert_eq!(parse(&json), config);
    }
}
