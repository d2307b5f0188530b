//! Code generation. The checked policy becomes `static` data built from
//! literals (`Cow::Borrowed` everywhere), so a program never parses or
//! validates a policy at run time; generated code names `cors-actix`'s
//! public policy types (`::cors_actix::PolicySpec`, …) and, for everything
//! else, `::cors_actix::__private::…`.

use crate::route_attr::Handler;
use cors_core::{NameList, OriginEntry, OriginPattern, Origins, PolicySpec, PortPattern};
use proc_macro2::{Literal, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::LitStr;

/// `#[cors]` on a handler. Like actix's own attributes, the handler's name
/// becomes a unit struct implementing `HttpServiceFactory`, so
/// `.service(handler)` keeps working. Its `register`:
///
/// 1. holds the route's `RouteMeta` in a `static` and submits it to the
///    route list (introspection, start-up checks);
/// 2. holds the user's fn with its route attribute, plus a `wrap` that
///    applies the policy to every response of the route. Items nested in a
///    fn resolve names in the enclosing module, so `use` imports, `super::`
///    and private helpers keep working;
/// 3. registers the route's preflight resource, then the route itself (the
///    struct actix generated from the inner fn, which shadows ours there).
pub(crate) fn route(handler: Handler, spec: &PolicySpec, origin_fn: Option<&syn::Path>) -> TokenStream {
    let Handler { mut item, route } = handler;
    let name = item.sig.ident.clone();
    let vis = item.vis.clone();
    let docs: Vec<syn::Attribute> = item.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect();
    let wrap = LitStr::new("::cors_actix::__private::RouteCors::new(&__CORS_META)", Span::call_site());
    item.attrs = route.wrapped_attrs(&item.attrs, &wrap);
    let handler_name = name.to_string();
    let path = route.path.value();
    let methods = &route.methods;
    let (predicate, spec) = spec_tokens(spec, origin_fn);
    quote! {
        #(#docs)*
        #[allow(non_camel_case_types)]
        #vis struct #name;

        impl ::cors_actix::__private::HttpServiceFactory for #name {
            fn register(self, __cors_config: &mut ::cors_actix::__private::AppService) {
                #predicate
                static __CORS_META: ::cors_actix::RouteMeta = ::cors_actix::RouteMeta {
                    handler: ::cors_actix::__private::Cow::Borrowed(#handler_name),
                    module_path: ::cors_actix::__private::Cow::Borrowed(::core::module_path!()),
                    file: ::cors_actix::__private::Cow::Borrowed(::core::file!()),
                    line: ::core::line!(),
                    path: ::cors_actix::__private::Cow::Borrowed(#path),
                    methods: ::cors_actix::__private::Cow::Borrowed(&[#(::cors_actix::__private::Cow::Borrowed(#methods)),*]),
                    spec: #spec,
                };
                ::cors_actix::__private::inventory::submit! {
                    ::cors_actix::__private::LinkedRoute(&__CORS_META)
                }
                #item
                ::cors_actix::__private::register_route(__cors_config, &__CORS_META, #name);
            }
        }
    }
}

/// `#[cors]` with errors: the errors, and the user's item unchanged, so
/// the rest of the program still compiles against it and the user sees the
/// real errors only.
pub(crate) fn route_fallback(item: TokenStream, error: Option<syn::Error>) -> TokenStream {
    let error = error.map(|e| e.to_compile_error());
    quote!(#error #item)
}

/// `cors_policy!`: an expression of type `CorsPolicy`, compiled once from
/// static data.
pub(crate) fn policy(spec: &PolicySpec, origin_fn: Option<&syn::Path>) -> TokenStream {
    let (predicate, spec) = spec_tokens(spec, origin_fn);
    policy_block(quote!(#predicate), spec, None)
}

/// `cors_policy!` with errors: the errors, and an expression of the right
/// type so the code around the macro reports nothing more.
pub(crate) fn policy_fallback(error: Option<syn::Error>) -> TokenStream {
    policy_block(TokenStream::new(), quote!(::cors_actix::PolicySpec::EMPTY), error)
}

fn policy_block(items: TokenStream, spec: TokenStream, error: Option<syn::Error>) -> TokenStream {
    let error = error.map(|e| e.to_compile_error());
    quote! {{
        #error
        #items
        static __CORS_POLICY_SPEC: ::cors_actix::PolicySpec = #spec;
        ::cors_actix::__private::policy_from_static(&__CORS_POLICY_SPEC)
    }}
}

/// The spec as a `static` initializer, and the items it refers to: for
/// `origin_fn`, a function adapting the user's predicate to cors-core's
/// signature. The user's path is coerced to the expected function-pointer
/// type with its own span, so a wrong signature is reported on the path.
fn spec_tokens(spec: &PolicySpec, origin_fn: Option<&syn::Path>) -> (TokenStream, TokenStream) {
    let (items, origin_fn) = match origin_fn {
        Some(path) => {
            let name = path.to_token_stream().to_string().replace(' ', "");
            let check = quote_spanned! {path.span()=>
                let __cors_predicate: fn(
                    &::cors_actix::RequestOrigin<'_>,
                    &::cors_actix::__private::actix_web::dev::RequestHead,
                ) -> bool = #path;
            };
            let items = quote! {
                fn __cors_origin_fn(
                    __cors_origin: &::cors_actix::RequestOrigin<'_>,
                    __cors_request: &dyn ::cors_actix::RequestView,
                ) -> bool {
                    #check
                    ::cors_actix::__private::call_origin_fn(&__cors_predicate, __cors_origin, __cors_request)
                }
            };
            (items, quote!(::core::option::Option::Some(::cors_actix::OriginFn::from_static(#name, &__cors_origin_fn))))
        }
        None => (TokenStream::new(), quote!(::core::option::Option::None)),
    };
    let PolicySpec {
        origins,
        origin_fn: _,
        methods,
        allow_headers,
        expose_headers,
        credentials,
        max_age,
        private_network,
        reject,
        off,
        allow_null_with_credentials,
        allow_insecure_origins_with_credentials,
    } = spec;
    let origins = option(origins.as_ref().map(origins_tokens));
    let methods = option(methods.as_ref().map(name_list));
    let allow_headers = option(allow_headers.as_ref().map(name_list));
    let expose_headers = option(expose_headers.as_ref().map(name_list));
    let credentials = option(credentials.map(|b| quote!(#b)));
    let max_age = option(max_age.map(|s| Literal::u32_suffixed(s).to_token_stream()));
    let private_network = option(private_network.map(|b| quote!(#b)));
    let reject = option(reject.map(|b| quote!(#b)));
    let allow_null = option(allow_null_with_credentials.map(|b| quote!(#b)));
    let allow_insecure = option(allow_insecure_origins_with_credentials.map(|b| quote!(#b)));
    let spec = quote! {
        ::cors_actix::PolicySpec {
            origins: #origins,
            origin_fn: #origin_fn,
            methods: #methods,
            allow_headers: #allow_headers,
            expose_headers: #expose_headers,
            credentials: #credentials,
            max_age: #max_age,
            private_network: #private_network,
            reject: #reject,
            off: #off,
            allow_null_with_credentials: #allow_null,
            allow_insecure_origins_with_credentials: #allow_insecure,
        }
    };
    (items, spec)
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn text(s: &str) -> TokenStream {
    quote!(::cors_actix::__private::Cow::Borrowed(#s))
}

fn name_list(list: &NameList) -> TokenStream {
    let any = list.any;
    let names = list.names.iter().map(|n| text(n));
    quote! {
        ::cors_actix::NameList {
            any: #any,
            names: ::cors_actix::__private::Cow::Borrowed(&[#(#names),*]),
        }
    }
}

fn origins_tokens(origins: &Origins) -> TokenStream {
    match origins {
        Origins::Any => quote!(::cors_actix::Origins::Any),
        Origins::ReflectAnyDangerously => quote!(::cors_actix::Origins::ReflectAnyDangerously),
        Origins::List(entries) => {
            let entries = entries.iter().map(origin_entry);
            quote!(::cors_actix::Origins::List(::cors_actix::__private::Cow::Borrowed(&[#(#entries),*])))
        }
    }
}

fn origin_entry(entry: &OriginEntry) -> TokenStream {
    match entry {
        OriginEntry::Exact(origin) => {
            let origin = text(origin);
            quote!(::cors_actix::OriginEntry::Exact(#origin))
        }
        OriginEntry::Null => quote!(::cors_actix::OriginEntry::Null),
        OriginEntry::Pattern(OriginPattern { scheme, subdomains, host, port }) => {
            let (scheme, host) = (text(scheme), text(host));
            let port = match port {
                PortPattern::Default => quote!(::cors_actix::PortPattern::Default),
                PortPattern::Any => quote!(::cors_actix::PortPattern::Any),
                PortPattern::Fixed(p) => {
                    let p = Literal::u16_suffixed(*p);
                    quote!(::cors_actix::PortPattern::Fixed(#p))
                }
            };
            quote! {
                ::cors_actix::OriginEntry::Pattern(::cors_actix::OriginPattern {
                    scheme: #scheme,
                    subdomains: #subdomains,
                    host: #host,
                    port: #port,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cors_core::PolicyConfig;

    fn checked(origins: &[&str]) -> PolicySpec {
        let raw = PolicyConfig {
            origins: Some(origins.iter().map(|s| s.to_string()).collect()),
            methods: Some(vec!["GET".into(), "*".into()]),
            max_age: Some(600),
            ..PolicyConfig::default()
        };
        raw.check().unwrap()
    }

    fn compact(tokens: TokenStream) -> String {
        tokens.to_string().replace(' ', "")
    }

    #[test]
    fn spec_is_static_data() {
        let tokens = compact(spec_tokens(&checked(&["https://a.example", "http://localhost:*", "null"]), None).1);
        for expected in [
            "OriginEntry::Exact(::cors_actix::__private::Cow::Borrowed(\"https://a.example\"))",
            "scheme:::cors_actix::__private::Cow::Borrowed(\"http\"),subdomains:false,",
            "port:::cors_actix::PortPattern::Any",
            "OriginEntry::Null",
            "methods:::core::option::Option::Some(::cors_actix::NameList{any:true,names:::cors_actix::__private::Cow::Borrowed(&[::cors_actix::__private::Cow::Borrowed(\"GET\")]),})",
            "max_age:::core::option::Option::Some(600u32)",
            "credentials:::core::option::Option::None",
            "off:false",
        ] {
            assert!(tokens.contains(expected), "{expected}\nnot in\n{tokens}");
        }
    }

    #[test]
    fn any_origin() {
        assert!(compact(spec_tokens(&checked(&["*"]), None).1)
            .contains("origins:::core::option::Option::Some(::cors_actix::Origins::Any)"));
    }

    #[test]
    fn fixed_port_pattern() {
        let tokens = compact(spec_tokens(&checked(&["https://*.example.com:8443"]), None).1);
        assert!(tokens.contains("subdomains:true,host:::cors_actix::__private::Cow::Borrowed(\"example.com\"),port:::cors_actix::PortPattern::Fixed(8443u16)"), "{tokens}");
    }
}
