//! Parsing the keys of `#[cors(...)]` and `cors_policy!(...)` into [`Attrs`]:
//! plain values that remember where the user wrote them, so the problems
//! cors-core finds later can point at the exact literal.
//!
//! This step only checks the *shape* of what was written (known key, given
//! once, value of the right type). Whether the values make a valid policy is
//! cors-core's job (see `check.rs`).

use crate::ctxt::{with_help, Ctxt};
use crate::suggest::similar_key;
use cors_core::PolicyKey;
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};

/// One key as written: the key itself, its value, and the span of the whole
/// value (the key's own span for a bare key like `credentials`).
pub(crate) struct Entry<T> {
    pub(crate) key: Ident,
    pub(crate) value: T,
    pub(crate) span: Span,
}

/// The strings of a string-or-list key, each with its own span. A single
/// string is a list of one.
pub(crate) type Items = Vec<(String, Span)>;

/// Every key of one `#[cors(...)]` or `cors_policy!(...)`; `None` for keys
/// that were not written or whose value had the wrong type (already
/// reported).
#[derive(Default)]
pub(crate) struct Attrs {
    pub(crate) origins: Option<Entry<Items>>,
    pub(crate) origin_fn: Option<Entry<syn::Path>>,
    pub(crate) methods: Option<Entry<Items>>,
    pub(crate) allow_headers: Option<Entry<Items>>,
    pub(crate) expose_headers: Option<Entry<Items>>,
    pub(crate) credentials: Option<Entry<bool>>,
    pub(crate) max_age: Option<Entry<u64>>,
    pub(crate) private_network: Option<Entry<bool>>,
    pub(crate) reject: Option<Entry<bool>>,
    pub(crate) off: Option<Entry<()>>,
    pub(crate) allow_null_with_credentials: Option<Entry<bool>>,
    pub(crate) allow_insecure_origins_with_credentials: Option<Entry<bool>>,
    /// Every key written, whether or not its value could be read: a key
    /// whose value was refused still counts as present.
    pub(crate) written: Vec<PolicyKey>,
}

/// Where a key was written, independent of its value type.
pub(crate) struct Location<'a> {
    pub(crate) key: &'a Ident,
    pub(crate) value: Span,
    pub(crate) items: Option<&'a Items>,
}

impl Attrs {
    /// Parses `key = value, ...`, reporting every malformed entry.
    pub(crate) fn parse(tokens: TokenStream, cx: &mut Ctxt) -> Attrs {
        let mut attrs = Attrs::default();
        let mut seen: Vec<PolicyKey> = Vec::new();
        for segment in split_commas(tokens) {
            let Some((ident, value)) = parse_entry(segment, cx) else { continue };
            let Some(key) = PolicyKey::from_name(&ident.to_string()) else {
                unknown_key(&ident, cx);
                continue;
            };
            if seen.contains(&key) {
                let message = format!("duplicate key `{key}`");
                cx.error(
                    ident.span(),
                    with_help(message, format!("each key may be given once: remove one of the `{key}`s")),
                );
                continue;
            }
            seen.push(key);
            attrs.set(key, ident, value, cx);
        }
        attrs.written = seen;
        attrs
    }

    fn set(&mut self, key: PolicyKey, ident: Ident, value: Option<Value>, cx: &mut Ctxt) {
        match key {
            PolicyKey::Origins => self.origins = list(ListOf::Origins, ident, value, cx),
            PolicyKey::OriginFn => self.origin_fn = function_path(ident, value, cx),
            PolicyKey::Methods => self.methods = list(ListOf::Methods, ident, value, cx),
            PolicyKey::AllowHeaders => self.allow_headers = list(ListOf::Headers, ident, value, cx),
            PolicyKey::ExposeHeaders => self.expose_headers = list(ListOf::Headers, ident, value, cx),
            PolicyKey::Credentials => self.credentials = flag(ident, value, cx),
            PolicyKey::MaxAge => self.max_age = max_age(ident, value, cx),
            PolicyKey::PrivateNetwork => self.private_network = flag(ident, value, cx),
            PolicyKey::Reject => self.reject = flag(ident, value, cx),
            PolicyKey::Off => self.off = off(ident, value, cx),
            PolicyKey::AllowNullWithCredentials => self.allow_null_with_credentials = flag(ident, value, cx),
            PolicyKey::AllowInsecureOriginsWithCredentials => {
                self.allow_insecure_origins_with_credentials = flag(ident, value, cx)
            }
        }
    }

    /// Where `key` was written, if it was (and parsed).
    pub(crate) fn location(&self, key: PolicyKey) -> Option<Location<'_>> {
        fn items(e: &Entry<Items>) -> Location<'_> {
            Location { key: &e.key, value: e.span, items: Some(&e.value) }
        }
        fn other<T>(e: &Entry<T>) -> Location<'_> {
            Location { key: &e.key, value: e.span, items: None }
        }
        match key {
            PolicyKey::Origins => self.origins.as_ref().map(items),
            PolicyKey::OriginFn => self.origin_fn.as_ref().map(other),
            PolicyKey::Methods => self.methods.as_ref().map(items),
            PolicyKey::AllowHeaders => self.allow_headers.as_ref().map(items),
            PolicyKey::ExposeHeaders => self.expose_headers.as_ref().map(items),
            PolicyKey::Credentials => self.credentials.as_ref().map(other),
            PolicyKey::MaxAge => self.max_age.as_ref().map(other),
            PolicyKey::PrivateNetwork => self.private_network.as_ref().map(other),
            PolicyKey::Reject => self.reject.as_ref().map(other),
            PolicyKey::Off => self.off.as_ref().map(other),
            PolicyKey::AllowNullWithCredentials => self.allow_null_with_credentials.as_ref().map(other),
            PolicyKey::AllowInsecureOriginsWithCredentials => {
                self.allow_insecure_origins_with_credentials.as_ref().map(other)
            }
        }
    }
}

/// A value as written, before it is matched against what its key expects.
enum Value {
    Str(syn::LitStr),
    Int(syn::LitInt),
    Bool(bool, Span),
    Ident(Ident),
    List(Span, Vec<Value>),
    Other(TokenStream),
}

impl Value {
    fn from_tokens(tokens: Vec<TokenTree>) -> Value {
        let [tt] = tokens.as_slice() else { return Value::Other(tokens.into_iter().collect()) };
        match tt {
            TokenTree::Literal(_) => match syn::parse2::<syn::Lit>(tt.clone().into()) {
                Ok(syn::Lit::Str(s)) => Value::Str(s),
                Ok(syn::Lit::Int(i)) => Value::Int(i),
                _ => Value::Other(tt.clone().into()),
            },
            TokenTree::Ident(i) if i == "true" || i == "false" => Value::Bool(i == "true", i.span()),
            TokenTree::Ident(i) => Value::Ident(i.clone()),
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                Value::List(g.span(), split_commas(g.stream()).into_iter().map(Value::from_tokens).collect())
            }
            _ => Value::Other(tt.clone().into()),
        }
    }

    /// What the user wrote, for "expected …, found …".
    fn describe(&self) -> String {
        match self {
            Value::Str(s) => format!("the string {}", quoted(&s.value())),
            Value::Int(i) => format!("the integer `{i}`"),
            Value::Bool(b, _) => format!("`{b}`"),
            Value::Ident(i) => format!("`{i}`"),
            Value::List(..) => "a list".to_owned(),
            Value::Other(t) if t.to_string().starts_with('-') => format!("the negative number `{}`", compact(t)),
            Value::Other(t) => format!("`{}`", compact(t)),
        }
    }

    /// Where to point when the value as a whole is wrong.
    fn error(&self, cx: &mut Ctxt, message: String) {
        match self {
            Value::Str(s) => cx.error(s.span(), message),
            Value::Int(i) => cx.error(i.span(), message),
            Value::Bool(_, span) | Value::List(span, _) => cx.error(*span, message),
            Value::Ident(i) => cx.error(i.span(), message),
            Value::Other(t) => cx.error_spanned(t, message),
        }
    }
}

fn quoted(s: &str) -> String {
    format!("`{s:?}`")
}

/// Token text without the spaces `TokenStream`'s `Display` puts between
/// punctuation (`- 1` → `-1`).
fn compact(tokens: &TokenStream) -> String {
    tokens.to_string().replace("- ", "-")
}

fn split_commas(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut segments = vec![Vec::new()];
    // `key = |a, b| …`: the commas between a closure's bars are its own,
    // so the closure stays one value (and gets one error).
    let mut in_closure_params = false;
    for tt in tokens {
        let segment = segments.last_mut().expect("never empty");
        match &tt {
            TokenTree::Punct(p) if p.as_char() == '|' => {
                let opens = match segment.as_slice() {
                    [TokenTree::Ident(_), TokenTree::Punct(eq)] => eq.as_char() == '=',
                    [TokenTree::Ident(_), TokenTree::Punct(eq), TokenTree::Ident(m)] => {
                        eq.as_char() == '=' && m == "move"
                    }
                    _ => false,
                };
                in_closure_params = opens;
                segment.push(tt);
            }
            TokenTree::Punct(p) if p.as_char() == ',' && !in_closure_params => segments.push(Vec::new()),
            _ => segment.push(tt),
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}

/// `key`, or `key = value`.
fn parse_entry(segment: Vec<TokenTree>, cx: &mut Ctxt) -> Option<(Ident, Option<Value>)> {
    let mut tokens = segment.into_iter();
    let key = match tokens.next()? {
        TokenTree::Ident(key) => key,
        TokenTree::Literal(lit) => {
            let help = format!("name the key, e.g. `origins = {lit}`");
            cx.error(lit.span(), with_help(format!("expected a key, found the literal `{lit}`"), help));
            return None;
        }
        other => {
            let help = "write `key = value` pairs such as `origins = \"https://app.example.com\"`";
            cx.error(other.span(), with_help(format!("expected a key, found `{other}`"), help));
            return None;
        }
    };
    match tokens.next() {
        None => Some((key, None)),
        Some(TokenTree::Punct(eq)) if eq.as_char() == '=' => {
            let rest: Vec<TokenTree> = tokens.collect();
            if rest.is_empty() {
                cx.error(eq.span(), format!("expected a value after `{key} =`"));
                return None;
            }
            Some((key, Some(Value::from_tokens(rest))))
        }
        Some(other) => {
            let help = format!("write `{key} = value`, and separate keys with `,`");
            cx.error(other.span(), with_help(format!("expected `=` or `,` after `{key}`, found `{other}`"), help));
            None
        }
    }
}

fn unknown_key(ident: &Ident, cx: &mut Ctxt) {
    let message = format!("unknown key `{ident}`");
    let help = match similar_key(&ident.to_string()) {
        Some(key) => format!("did you mean `{key}`?"),
        None => {
            let names: Vec<String> = PolicyKey::ALL.iter().map(|k| format!("`{k}`")).collect();
            format!("the keys are {}", names.join(", "))
        }
    };
    cx.error(ident.span(), with_help(message, help));
}

/// The string-or-list keys differ only in what one item may be.
#[derive(Clone, Copy, PartialEq)]
enum ListOf {
    Origins,
    Methods,
    Headers,
}

impl ListOf {
    fn example(self, key: &Ident) -> String {
        match self {
            ListOf::Origins => format!("`{key} = [\"https://app.example.com\"]` or `{key} = \"*\"`"),
            ListOf::Methods => format!("`{key} = [GET, POST, \"PURGE\"]` or `{key} = \"*\"`"),
            ListOf::Headers => format!("`{key} = [\"x-request-id\"]` or `{key} = \"*\"`"),
        }
    }

    fn item_name(self) -> &'static str {
        match self {
            ListOf::Origins => "an origin string",
            ListOf::Methods => "a method",
            ListOf::Headers => "a header name string",
        }
    }

    /// One item, or the error for it (message with help).
    fn item(self, key: &Ident, value: &Value) -> Result<(String, Span), String> {
        match (self, value) {
            (_, Value::Str(s)) => Ok((s.value(), s.span())),
            // Bare names are the standard methods (a lower-case one is
            // left to the method rules, which say browsers upper-case it);
            // a typo is not an extension method.
            (ListOf::Methods, Value::Ident(i)) => {
                let name = i.to_string();
                if crate::suggest::STANDARD_METHODS.contains(&name.to_ascii_uppercase().as_str()) {
                    return Ok((name, i.span()));
                }
                let quoted = format!("an extension method is written as a string: `\"{name}\"`");
                Err(with_help(
                    format!("`{name}` is not a standard method"),
                    match crate::suggest::similar_method(&name) {
                        Some(m) => format!("did you mean `{m}`? {quoted}"),
                        None => format!(
                            "bare names are the standard methods ({}); {quoted}",
                            crate::suggest::STANDARD_METHODS.join(", ")
                        ),
                    },
                ))
            }
            (ListOf::Origins, Value::Ident(i)) => Err(with_help(
                format!("expected an origin string in `{key}`, found `{i}`"),
                format!("origins are strings with a scheme: write e.g. `\"https://{i}\"`"),
            )),
            (ListOf::Headers, Value::Ident(i)) => Err(with_help(
                format!("expected a header name string in `{key}`, found `{i}`"),
                format!("header names are strings: write `\"{}\"`", i.to_string().replace('_', "-")),
            )),
            (_, Value::List(..)) => Err(with_help(
                format!("expected {} in `{key}`, found a nested list", self.item_name()),
                "remove the inner `[...]`",
            )),
            (_, other) => Err(with_help(
                format!("expected {} in `{key}`, found {}", self.item_name(), other.describe()),
                format!("write e.g. {}", self.example(key)),
            )),
        }
    }
}

/// `origins`, `methods`, `allow_headers`, `expose_headers`: one item or a
/// `[...]` list of items.
fn list(kind: ListOf, key: Ident, value: Option<Value>, cx: &mut Ctxt) -> Option<Entry<Items>> {
    let Some(value) = value else {
        cx.error(key.span(), with_help(format!("`{key}` needs a value"), format!("write e.g. {}", kind.example(&key))));
        return None;
    };
    match &value {
        Value::List(span, elements) => {
            let mut items = Vec::with_capacity(elements.len());
            let mut ok = true;
            for element in elements {
                match kind.item(&key, element) {
                    Ok(item) => items.push(item),
                    Err(message) => {
                        element.error(cx, message);
                        ok = false;
                    }
                }
            }
            ok.then_some(Entry { key, value: items, span: *span })
        }
        Value::Str(_) | Value::Ident(_) => match kind.item(&key, &value) {
            Ok((s, span)) => Some(Entry { key, value: vec![(s, span)], span }),
            Err(message) => {
                value.error(cx, message);
                None
            }
        },
        _ => {
            let message = format!("expected a string or a list for `{key}`, found {}", value.describe());
            value.error(cx, with_help(message, format!("write e.g. {}", kind.example(&key))));
            None
        }
    }
}

/// `credentials`, `private_network`, `reject`: `= true`, `= false`, or bare.
fn flag(key: Ident, value: Option<Value>, cx: &mut Ctxt) -> Option<Entry<bool>> {
    match value {
        None => Some(Entry { span: key.span(), key, value: true }),
        Some(Value::Bool(b, span)) => Some(Entry { key, value: b, span }),
        Some(value) => {
            let message = format!("expected `true` or `false` for `{key}`, found {}", value.describe());
            let help = match &value {
                Value::Str(s) if s.value() == "true" || s.value() == "false" => {
                    format!("write `{key} = {}` without quotes", s.value())
                }
                _ => format!("write `{key} = true`, `{key} = false`, or just `{key}`"),
            };
            value.error(cx, with_help(message, help));
            None
        }
    }
}

/// `max_age = <seconds>`.
fn max_age(key: Ident, value: Option<Value>, cx: &mut Ctxt) -> Option<Entry<u64>> {
    let example = format!("write the number of seconds, e.g. `{key} = 600`");
    let value = match value {
        Some(Value::Int(i)) => match i.base10_parse::<u64>() {
            Ok(seconds) => return Some(Entry { key, value: seconds, span: i.span() }),
            Err(_) => {
                let message = format!("`{key} = {}` is out of range", i.base10_digits());
                cx.error(i.span(), with_help(message, "use 0..=86400 seconds"));
                return None;
            }
        },
        Some(value) => value,
        None => {
            cx.error(key.span(), with_help(format!("`{key}` needs a value"), example));
            return None;
        }
    };
    let message = format!("expected an integer number of seconds for `{key}`, found {}", value.describe());
    let help = match &value {
        Value::Str(s) if s.value().parse::<u64>().is_ok() => format!("write `{key} = {}` without quotes", s.value()),
        Value::Other(t) if t.to_string().starts_with('-') => "use 0..=86400 seconds".to_owned(),
        _ => example,
    };
    value.error(cx, with_help(message, help));
    None
}

/// `origin_fn = path::to::function`. Only a path: the function must be an
/// item the generated `static` can point at (its signature is checked by
/// the compiler where the path is written).
fn function_path(key: Ident, value: Option<Value>, cx: &mut Ctxt) -> Option<Entry<syn::Path>> {
    let help =
        format!("write `{key} = path::to::function`, a `fn(&RequestOrigin<'_>, &actix_web::dev::RequestHead) -> bool`");
    let value = match value {
        Some(Value::Ident(i)) => return Some(Entry { span: i.span(), value: syn::Path::from(i), key }),
        Some(Value::Other(tokens)) => match syn::parse2::<syn::Path>(tokens.clone()) {
            Ok(path) => return Some(Entry { span: syn::spanned::Spanned::span(&path), value: path, key }),
            Err(_) => Value::Other(tokens),
        },
        Some(value) => value,
        None => {
            cx.error(key.span(), with_help(format!("`{key}` needs a value"), help));
            return None;
        }
    };
    let closure = match &value {
        Value::Other(t) => match t.clone().into_iter().next() {
            Some(TokenTree::Punct(p)) => p.as_char() == '|',
            Some(TokenTree::Ident(i)) => i == "move",
            _ => false,
        },
        _ => false,
    };
    let (found, help) = match closure {
        true => (
            "a closure".to_owned(),
            "the attribute's policy is a `static`: write the closure as a function and name it, or build the policy at run time with `cors_actix::origin_fn(name, closure)`".to_owned(),
        ),
        false => (value.describe(), help),
    };
    value.error(cx, with_help(format!("expected a path to a function for `{key}`, found {found}"), help));
    None
}

/// `off`, bare.
fn off(key: Ident, value: Option<Value>, cx: &mut Ctxt) -> Option<Entry<()>> {
    let Some(value) = value else { return Some(Entry { span: key.span(), key, value: () }) };
    let help = match value {
        Value::Bool(false, _) => "a route has CORS unless it says `off`: remove `off = false`",
        _ => "write `off` alone, without a value",
    };
    value.error(cx, with_help(format!("`{key}` takes no value"), help));
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> (Attrs, Vec<String>) {
        let mut cx = Ctxt::new();
        let attrs = Attrs::parse(tokens, &mut cx);
        let errors = match cx.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        };
        (attrs, errors)
    }

    fn strings(items: &Items) -> Vec<&str> {
        items.iter().map(|(s, _)| s.as_str()).collect()
    }

    #[test]
    fn every_key_parses() {
        let (attrs, errors) = parse(quote! {
            origins = ["https://a.example", "null"], methods = [GET, "PURGE"], allow_headers = "*",
            expose_headers = ["x-id"], credentials, max_age = 600, private_network = false, reject = true,
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(strings(&attrs.origins.unwrap().value), ["https://a.example", "null"]);
        assert_eq!(strings(&attrs.methods.unwrap().value), ["GET", "PURGE"]);
        assert_eq!(strings(&attrs.allow_headers.unwrap().value), ["*"]);
        assert_eq!(strings(&attrs.expose_headers.unwrap().value), ["x-id"]);
        assert!(attrs.credentials.unwrap().value);
        assert_eq!(attrs.max_age.unwrap().value, 600);
        assert!(!attrs.private_network.unwrap().value);
        assert!(attrs.reject.unwrap().value);
        assert!(attrs.off.is_none());
    }

    #[test]
    fn off_is_bare() {
        let (attrs, errors) = parse(quote!(off));
        assert!(errors.is_empty());
        assert!(attrs.off.is_some());
    }

    #[test]
    fn shape_errors_are_all_reported() {
        let (attrs, errors) = parse(quote! {
            origin = "https://a.example", origins = 5, max_age = "600", credentials = "yes",
            allow_headers = [content_type], off = true, methods, methods = [GET],
        });
        assert!(attrs.origins.is_none() && attrs.max_age.is_none() && attrs.credentials.is_none());
        let first_lines: Vec<&str> = errors.iter().map(|e| e.lines().next().unwrap()).collect();
        assert_eq!(
            first_lines,
            [
                "unknown key `origin`",
                "expected a string or a list for `origins`, found the integer `5`",
                "expected an integer number of seconds for `max_age`, found the string `\"600\"`",
                "expected `true` or `false` for `credentials`, found the string `\"yes\"`",
                "expected a header name string in `allow_headers`, found `content_type`",
                "`off` takes no value",
                "`methods` needs a value",
                "duplicate key `methods`",
            ]
        );
        assert!(errors[0].ends_with("did you mean `origins`?"));
        assert!(errors[2].ends_with("write `max_age = 600` without quotes"));
        assert!(errors[4].ends_with("write `\"content-type\"`"));
    }

    #[test]
    fn negative_and_huge_max_age() {
        let (_, errors) = parse(quote!(max_age = -1));
        assert!(errors[0]
            .starts_with("expected an integer number of seconds for `max_age`, found the negative number `-1`"));
        let (_, errors) = parse(quote!(max_age = 99999999999999999999999));
        assert!(errors[0].starts_with("`max_age = 99999999999999999999999` is out of range"));
    }

    #[test]
    fn literal_instead_of_key() {
        let (_, errors) = parse(quote!("https://a.example"));
        assert_eq!(errors[0], "expected a key, found the literal `\"https://a.example\"`\n= help: name the key, e.g. `origins = \"https://a.example\"`");
    }
}
