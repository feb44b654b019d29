//! `failure_threshold = 3`.

use super::literal::lit;
use crate::errors::Errors;
use crate::key::Key;
use syn::spanned::Spanned;
use syn::{Expr, Lit};

/// `failure_threshold = n`: an integer without quotes, from 1 to
/// `u32::MAX`.
pub(super) fn failure_threshold(expr: &Expr, errors: &mut Errors) -> Option<u32> {
    const AT_LEAST_ONE: &str = "`failure_threshold` must be at least 1 \
        (1, the default, reports DOWN at the first failure)";
    match lit(expr) {
        Some(Lit::Int(int)) => match int.base10_parse::<u32>() {
            Ok(0) => errors.at(expr.span(), AT_LEAST_ONE),
            Ok(n) => return Some(n),
            Err(_) => {
                let message = format!(
                    "`failure_threshold` must fit in a u32 (at most {})",
                    u32::MAX
                );
                errors.at(expr.span(), message);
            }
        },
        _ if matches!(expr, Expr::Unary(_)) => errors.at(expr.span(), AT_LEAST_ONE),
        Some(Lit::Str(s)) if s.value().parse::<u32>().is_ok() => {
            let message = format!(
                "expected an integer without quotes: `failure_threshold = {}`",
                s.value()
            );
            errors.at(expr.span(), message);
        }
        _ => errors.at(
            expr.span(),
            format_args!(
                "expected an integer, e.g. `{}`",
                Key::FailureThreshold.example()
            ),
        ),
    }
    None
}

#[cfg(test)]
mod tests {
    use super::failure_threshold;
    use crate::errors::Errors;
    use syn::{Expr, parse_quote};

    fn error(expr: Expr) -> String {
        let mut errors = Errors::default();
        assert_eq!(failure_threshold(&expr, &mut errors), None);
        errors.messages().concat()
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
