//! The error accumulator. Every step (parsing keys, reading the route
//! attribute, validating the policy) adds its errors here instead of
//! returning at the first one, so a user fixing a policy sees every mistake
//! in one compile.

use proc_macro2::Span;
use quote::ToTokens;
use std::fmt::Display;

/// Collects `syn::Error`s; [`Ctxt::finish`] merges them into one. A
/// context dropped without `finish` panics (outside a panic), so an error
/// can never be collected and then lost.
pub(crate) struct Ctxt {
    /// `None` once finished.
    errors: Option<Vec<syn::Error>>,
}

impl Ctxt {
    pub(crate) fn new() -> Self {
        Ctxt { errors: Some(Vec::new()) }
    }

    fn push(&mut self, error: syn::Error) {
        self.errors.as_mut().expect("a finished Ctxt collects no errors").push(error);
    }

    /// An error on one span.
    pub(crate) fn error(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// An error covering `tokens` from their first to their last token.
    pub(crate) fn error_spanned(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// All errors merged in the order they were found, or `Ok` when there
    /// are none.
    pub(crate) fn finish(mut self) -> Result<(), syn::Error> {
        let mut errors = self.errors.take().unwrap_or_default().into_iter();
        let Some(mut first) = errors.next() else { return Ok(()) };
        for e in errors {
            first.combine(e);
        }
        Err(first)
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if self.errors.is_some() && !std::thread::panicking() {
            panic!("a Ctxt was dropped without `finish`: its errors would be lost");
        }
    }
}

/// The one format of every diagnostic: the message, then the hint on its
/// own line in the style of rustc's `= help:` notes.
pub(crate) fn with_help(message: impl Display, help: impl Display) -> String {
    format!("{message}\n= help: {help}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_errors_is_ok() {
        assert!(Ctxt::new().finish().is_ok());
    }

    #[test]
    fn errors_are_merged_in_order() {
        let mut cx = Ctxt::new();
        cx.error(Span::call_site(), "first");
        cx.error(Span::call_site(), "second");
        let messages: Vec<String> = cx.finish().unwrap_err().into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages, ["first", "second"]);
    }

    #[test]
    #[should_panic(expected = "dropped without `finish`")]
    fn a_context_dropped_unfinished_panics() {
        let mut cx = Ctxt::new();
        cx.error(Span::call_site(), "lost");
    }

    #[test]
    fn help_goes_on_its_own_line() {
        assert_eq!(with_help("bad", "do this"), "bad\n= help: do this");
    }
}
