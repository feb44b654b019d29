//! The error accumulator: every mistake found, reported together.

use proc_macro2::{Span, TokenStream};
use std::fmt::Display;

/// The errors found so far, combined into one `syn::Error`. Parsing and
/// validation push here and go on, so one build shows every mistake.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    /// Records `error`.
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Records an error with `message` at `span`.
    pub(crate) fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// Whether nothing was recorded.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// One `compile_error!` per recorded error, each at its span; empty
    /// when there is none.
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.0
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }

    /// Every message, in the order recorded.
    #[cfg(test)]
    pub(crate) fn messages(self) -> Vec<String> {
        self.0
            .into_iter()
            .flatten()
            .map(|error| error.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Errors;
    use proc_macro2::Span;

    #[test]
    fn every_error_is_kept_in_order() {
        let mut errors = Errors::default();
        assert!(errors.is_empty());
        errors.at(Span::call_site(), "first");
        errors.push(syn::Error::new(Span::call_site(), "second"));
        assert!(!errors.is_empty());
        assert_eq!(errors.messages(), ["first", "second"]);
    }

    #[test]
    fn one_compile_error_each() {
        let mut errors = Errors::default();
        assert!(Errors::default().into_compile_errors().is_empty());
        errors.at(Span::call_site(), "a");
        errors.at(Span::call_site(), "b");
        let out = errors.into_compile_errors().to_string();
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
    }
}
