//! Procedural macros for `cors-actix`: `#[cors(...)]` and `cors_policy!(...)`.
//! Use them through the `cors-actix` crate, which re-exports them.
#![deny(missing_docs)]

use proc_macro::TokenStream;

/// Declares a route's CORS policy (placeholder until the macro lands).
#[proc_macro_attribute]
pub fn cors(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// Builds a compile-time checked `CorsPolicy` (placeholder until the macro lands).
#[proc_macro]
pub fn cors_policy(_input: TokenStream) -> TokenStream {
    "compile_error!(\"cors_policy! is not implemented yet\")".parse().unwrap()
}
