//! The literals the value parsers expect, looked up through invisible
//! groups, with an error at the value when they are missing.

use crate::errors::Errors;
use crate::key::Key;
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr};

/// The literal `expr` is, looking through invisible groups (a `$value:expr`
/// forwarded by `macro_rules!`).
pub(super) fn lit(expr: &Expr) -> Option<&Lit> {
    match expr {
        Expr::Lit(lit) => Some(&lit.lit),
        Expr::Group(group) => lit(&group.expr),
        _ => None,
    }
}

/// The string literal `expr` is; `None` (after reporting) when it is
/// something else.
pub(super) fn expect_str<'a>(key: Key, expr: &'a Expr, errors: &mut Errors) -> Option<&'a LitStr> {
    match lit(expr) {
        Some(Lit::Str(s)) => Some(s),
        _ => {
            errors.at(
                expr.span(),
                format_args!("expected a string literal, e.g. `{}`", key.example()),
            );
            None
        }
    }
}

/// The string literals of a `[..]` list; `None` (after reporting) when
/// `expr` is not a list or holds something else.
pub(super) fn expect_str_list<'a>(
    key: Key,
    expr: &'a Expr,
    errors: &mut Errors,
) -> Option<Vec<&'a LitStr>> {
    let Expr::Array(array) = expr else {
        let hint = match lit(expr) {
            Some(Lit::Str(s)) => format!("write `{} = [{:?}]`", key.as_str(), s.value()),
            _ => format!("e.g. `{}`", key.example()),
        };
        errors.at(
            expr.span(),
            format_args!("expected a list of string literals in brackets: {hint}"),
        );
        return None;
    };
    let mut lits = Vec::new();
    for elem in &array.elems {
        match lit(elem) {
            Some(Lit::Str(s)) => lits.push(s),
            _ => errors.at(
                elem.span(),
                format_args!("expected a string literal, e.g. `{}`", key.example()),
            ),
        }
    }
    (lits.len() == array.elems.len()).then_some(lits)
}

#[cfg(test)]
mod tests {
    use super::{expect_str, expect_str_list, lit};
    use crate::errors::Errors;
    use crate::key::Key;
    use syn::{Expr, ExprGroup, parse_quote};

    #[test]
    fn literals_through_invisible_groups() {
        // `$value:expr` forwarded by `macro_rules!` arrives in a `None`
        // group.
        let inner: Expr = parse_quote!("db");
        let grouped = Expr::Group(ExprGroup {
            attrs: Vec::new(),
            group_token: syn::token::Group::default(),
            expr: Box::new(inner),
        });
        assert!(lit(&grouped).is_some());
        let mut errors = Errors::default();
        assert_eq!(
            expect_str(Key::Name, &grouped, &mut errors).map(|s| s.value()),
            Some("db".to_owned())
        );
        assert!(errors.is_empty());
    }

    #[test]
    fn lists_of_string_literals() {
        let mut errors = Errors::default();
        let list: Expr = parse_quote!(["a", 1, "b", x]);
        assert!(expect_str_list(Key::Tags, &list, &mut errors).is_none());
        assert_eq!(
            errors.messages(),
            [
                "expected a string literal, e.g. `tags = [\"db\"]`",
                "expected a string literal, e.g. `tags = [\"db\"]`"
            ],
            "one error per element that is no string"
        );
        let mut errors = Errors::default();
        let one: Expr = parse_quote!("db");
        assert!(expect_str_list(Key::Tags, &one, &mut errors).is_none());
        assert_eq!(
            errors.messages(),
            ["expected a list of string literals in brackets: write `tags = [\"db\"]`"]
        );
    }
}
