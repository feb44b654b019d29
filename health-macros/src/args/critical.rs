//! `critical = false`.

use super::literal::lit;
use crate::errors::Errors;
use crate::key::Key;
use syn::spanned::Spanned;
use syn::{Expr, Lit};

/// `critical = true | false`, without quotes.
pub(super) fn critical(expr: &Expr, errors: &mut Errors) -> Option<bool> {
    match lit(expr) {
        Some(Lit::Bool(b)) => return Some(b.value()),
        Some(Lit::Str(s)) if matches!(s.value().as_str(), "true" | "false") => {
            let message = format!(
                "expected `true` or `false` without quotes: `critical = {}`",
                s.value()
            );
            errors.at(expr.span(), message);
        }
        _ => errors.at(
            expr.span(),
            format_args!(
                "expected `true` or `false`, e.g. `{}`",
                Key::Critical.example()
            ),
        ),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::critical;
    use crate::errors::Errors;
    use syn::parse_quote;

    #[test]
    fn booleans_without_quotes() {
        let mut errors = Errors::default();
        assert_eq!(critical(&parse_quote!(false), &mut errors), Some(false));
        assert_eq!(critical(&parse_quote!(true), &mut errors), Some(true));
        assert!(errors.is_empty());
        assert_eq!(critical(&parse_quote!("yes"), &mut errors), None);
        assert_eq!(critical(&parse_quote!("true"), &mut errors), None);
        assert_eq!(critical(&parse_quote!(1), &mut errors), None);
        assert_eq!(
            errors.messages(),
            [
                "expected `true` or `false`, e.g. `critical = false`",
                "expected `true` or `false` without quotes: `critical = true`",
                "expected `true` or `false`, e.g. `critical = false`",
            ]
        );
    }
}
