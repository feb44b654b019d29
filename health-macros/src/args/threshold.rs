//! `failure_threshold = 3` and `success_threshold = 3`.

use super::literal::lit;
use crate::errors::Errors;
use crate::key::Key;
use syn::spanned::Spanned;
use syn::{Expr, Lit};

/// `failure_threshold = n` or `success_threshold = n` (`key`): an integer
/// without quotes, from 1 to `u32::MAX`.
pub(super) fn threshold(key: Key, expr: &Expr, errors: &mut Errors) -> Option<u32> {
    let name = key.as_str();
    let default = match key {
        Key::SuccessThreshold => "reports UP at the first success after a failure",
        _ => "reports DOWN at the first failure",
    };
    let at_least_one = format!("`{name}` must be at least 1 (1, the default, {default})");
    match lit(expr) {
        Some(Lit::Int(int)) => match int.base10_parse::<u32>() {
            Ok(0) => errors.at(expr.span(), at_least_one),
            Ok(n) => return Some(n),
            Err(_) => {
                let message = format!("`{name}` must fit in a u32 (at most {})", u32::MAX);
                errors.at(expr.span(), message);
            }
        },
        _ if matches!(expr, Expr::Unary(_)) => errors.at(expr.span(), at_least_one),
        Some(Lit::Str(s)) if s.value().parse::<u32>().is_ok() => {
            let message = format!(
                "expected an integer without quotes: `{name} = {}`",
                s.value()
            );
            errors.at(expr.span(), message);
        }
        _ => errors.at(
            expr.span(),
            format_args!("expected an integer, e.g. `{}`", key.example()),
        ),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::threshold;
    use crate::errors::Errors;
    use crate::key::Key;
    use syn::{Expr, parse_quote};

    fn failure_threshold(expr: &Expr, errors: &mut Errors) -> Option<u32> {
        threshold(Key::FailureThreshold, expr, errors)
    }

    fn error(expr: Expr) -> String {
        let mut errors = Errors::default();
        assert_eq!(failure_threshold(&expr, &mut errors), None);
        errors.messages().concat()
    }

    #[test]
    fn a_success_threshold_is_read_alike() {
        let mut errors = Errors::default();
        let three = threshold(Key::SuccessThreshold, &parse_quote!(3), &mut errors);
        assert_eq!(three, Some(3));
        assert_eq!(
            threshold(Key::SuccessThreshold, &parse_quote!(0), &mut errors),
            None
        );
        assert_eq!(
            errors.messages().concat(),
            "`success_threshold` must be at least 1 (1, the default, reports UP at the first success after a failure)"
        );
    }

    #[test]
    fn integers_from_one() {
        let mut errors = Errors::default();
        assert_eq!(failure_threshold(&parse_quote!(3), &mut errors), Some(3));
        assert_eq!(
            failure_threshold(&parse_quote!(4294967295), &mut errors),
            Some(u32::MAX)
        );
        assert!(errors.is_empty());
        assert!(error(parse_quote!(0)).contains("at least 1"));
        assert!(error(parse_quote!(-1)).contains("at least 1"));
        assert!(error(parse_quote!(4294967296)).contains("fit in a u32"));
        assert_eq!(
            error(parse_quote!("3")),
            "expected an integer without quotes: `failure_threshold = 3`"
        );
        assert_eq!(
            error(parse_quote!(three)),
            "expected an integer, e.g. `failure_threshold = 3`"
        );
    }
}
