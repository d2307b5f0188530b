//! Procedural macros for `cors-actix`: `#[cors(...)]` and `cors_policy!(...)`.
//! Use them through the `cors-actix` crate, which re-exports them.
//!
//! Both macros run the same steps: parse the keys (`attr`), validate them
//! with cors-core (`check`), and only then generate code (`expand`). Every
//! error of every step is collected (`ctxt`) and reported in one compile,
//! each on the literal it is about.
#![deny(missing_docs)]

mod attr;
mod check;
mod ctxt;
mod expand;
mod route;
mod suggest;

use proc_macro::TokenStream;

/// Declares a route's CORS policy (placeholder docs).
#[proc_macro_attribute]
pub fn cors(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    let mut cx = ctxt::Ctxt::new();
    let attrs = attr::Attrs::parse(args.into(), &mut cx);
    let handler = route::read(item.clone(), &mut cx);
    let spec = check::route_policy(&attrs, handler.as_ref().map(|h| h.route.methods.as_slice()), &mut cx);
    match (cx.finish(), handler, spec) {
        (Ok(()), Some(handler), Some(spec)) => expand::route(handler, &spec),
        (result, ..) => expand::route_fallback(item, result.err()),
    }
    .into()
}

/// Builds a compile-time checked `CorsPolicy` (placeholder docs).
#[proc_macro]
pub fn cors_policy(input: TokenStream) -> TokenStream {
    let mut cx = ctxt::Ctxt::new();
    let attrs = attr::Attrs::parse(input.into(), &mut cx);
    let spec = check::global_policy(&attrs, &mut cx);
    match (cx.finish(), spec) {
        (Ok(()), Some(spec)) => expand::policy(&spec),
        (result, _) => expand::policy_fallback(result.err()),
    }
    .into()
}
