//! Validation: the parsed keys go through cors-core's one implementation
//! (`PolicyConfig::check`, `PolicyConfig::check_route`), and each
//! `Problem` it returns becomes an error on the literal it came from.

use crate::attr::{Attrs, Items};
use crate::ctxt::{with_help, Ctxt};
use cors_core::{OriginFn, PolicyConfig, PolicyError, PolicyKey, PolicySpec, Problem, ProblemKind};
use proc_macro2::Span;
use quote::ToTokens;

/// Checks the keys of a `#[cors]` route. `route_methods` are the methods of
/// the route attribute below it, when one was found.
pub(crate) fn route_policy(attrs: &Attrs, route_methods: Option<&[String]>, cx: &mut Ctxt) -> Option<PolicySpec> {
    let raw = raw_policy(attrs);
    let checked = match route_methods {
        Some(methods) => raw.check_route(&methods.iter().map(String::as_str).collect::<Vec<_>>()),
        None => raw.check(),
    };
    ok_or_report(attrs, checked, cx)
}

/// Checks the keys of `cors_policy!`, which also needs `origins` (a global
/// policy has nothing to inherit it from).
pub(crate) fn global_policy(attrs: &Attrs, cx: &mut Ctxt) -> Option<PolicySpec> {
    let spec = ok_or_report(attrs, raw_policy(attrs).check(), cx);
    // A key whose value was refused was still written: only a key that is
    // really absent is reported missing.
    let written = |key| attrs.written.contains(&key);
    if !written(PolicyKey::Origins) && !written(PolicyKey::OriginFn) && !written(PolicyKey::Off) {
        let problem = PolicySpec::EMPTY.check().err().and_then(|e| e.into_problems().into_iter().next());
        if let Some(problem) = problem.filter(|p| p.kind == ProblemKind::MissingOrigins) {
            let help = "a global policy needs `origins`: add e.g. `origins = [\"https://app.example.com\"]` or `origins = \"*\"`";
            cx.error(Span::call_site(), with_help(&problem.message, help));
        }
    }
    spec
}

fn ok_or_report(attrs: &Attrs, checked: Result<PolicySpec, PolicyError>, cx: &mut Ctxt) -> Option<PolicySpec> {
    match checked {
        Ok(spec) => Some(spec),
        Err(error) => {
            report(attrs, Err(error), cx);
            None
        }
    }
}

fn report(attrs: &Attrs, result: Result<(), PolicyError>, cx: &mut Ctxt) {
    if let Err(error) = result {
        for problem in error.problems() {
            cx.error(span_of(attrs, problem), with_help(&problem.message, &problem.hint));
            // A repeated entry also points at its first occurrence, the
            // way rustc's "first defined here" notes do.
            let first = problem.first.and_then(|i| attrs.location(problem.key)?.items?.get(i).map(|(_, span)| *span));
            if let Some(span) = first {
                cx.error(span, "...first listed here (remove one of the two)");
            }
        }
    }
}

/// The keys as cors-core's unchecked input.
pub(crate) fn raw_policy(attrs: &Attrs) -> PolicyConfig {
    let strings = |items: &Items| items.iter().map(|(s, _)| s.clone()).collect::<Vec<_>>();
    PolicyConfig {
        origins: attrs.origins.as_ref().map(|e| strings(&e.value)),
        methods: attrs.methods.as_ref().map(|e| strings(&e.value)),
        allow_headers: attrs.allow_headers.as_ref().map(|e| strings(&e.value)),
        expose_headers: attrs.expose_headers.as_ref().map(|e| strings(&e.value)),
        credentials: attrs.credentials.as_ref().map(|e| e.value),
        max_age: attrs.max_age.as_ref().map(|e| e.value),
        private_network: attrs.private_network.as_ref().map(|e| e.value),
        reject: attrs.reject.as_ref().map(|e| e.value),
        off: attrs.off.is_some(),
        reflect_any_origin: false,
        allow_null_with_credentials: attrs.allow_null_with_credentials.as_ref().map(|e| e.value),
        allow_insecure_origins_with_credentials: attrs
            .allow_insecure_origins_with_credentials
            .as_ref()
            .map(|e| e.value),
        // The rules need to know a predicate is there, not what it
        // answers: a stand-in with the path as its name.
        origin_fn: attrs.origin_fn.as_ref().map(|e| {
            let name = e.value.to_token_stream().to_string().replace(' ', "");
            OriginFn::new(name, |_, _| false)
        }),
    }
}

/// The literal a problem is about: the list item at its index, else the
/// whole value; for "`x` has no effect with `off`" the key `x` itself; for
/// a key that was not written at all, the whole macro call.
fn span_of(attrs: &Attrs, problem: &Problem) -> Span {
    let Some(at) = attrs.location(problem.key) else { return Span::call_site() };
    if problem.kind == ProblemKind::OffWithOtherKeys {
        return at.key.span();
    }
    match (problem.index, at.items) {
        (Some(i), Some(items)) => items.get(i).map_or(at.value, |(_, span)| *span),
        _ => at.value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn messages(cx: Ctxt) -> Vec<String> {
        match cx.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string().lines().next().unwrap().to_owned()).collect(),
        }
    }

    fn route(tokens: proc_macro2::TokenStream, methods: &[&str]) -> (Option<PolicySpec>, Vec<String>) {
        let mut cx = Ctxt::new();
        let attrs = Attrs::parse(tokens, &mut cx);
        let methods: Vec<String> = methods.iter().map(|m| m.to_string()).collect();
        let spec = route_policy(&attrs, Some(&methods), &mut cx);
        (spec, messages(cx))
    }

    #[test]
    fn valid_route_policy() {
        let (spec, errors) = route(quote!(origins = "https://a.example", methods = [GET, POST]), &["POST"]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(spec.unwrap().methods.unwrap().names.as_ref(), ["GET", "POST"]);
    }

    #[test]
    fn core_problems_become_errors() {
        let (spec, errors) = route(quote!(origins = ["https://a.example/", "*"], max_age = 90000), &["GET"]);
        assert!(spec.is_none());
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(errors[0], "origin `https://a.example/` has a trailing slash");
    }

    #[test]
    fn route_methods_are_checked() {
        let (_, errors) = route(quote!(methods = [GET]), &["DELETE"]);
        assert_eq!(errors, ["`methods` does not include `DELETE`, the route's own method"]);
    }

    #[test]
    fn global_policy_needs_origins() {
        let mut cx = Ctxt::new();
        let attrs = Attrs::parse(quote!(max_age = 90000), &mut cx);
        assert!(global_policy(&attrs, &mut cx).is_none());
        assert_eq!(messages(cx), ["max_age 90000 is out of range", "no `origins` is set"]);
    }
}
