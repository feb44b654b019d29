//! `timeout`, `cache`, `cache_failure`, `interval`, `stall_after`,
//! `backoff`, `backoff_max`: durations in the grammar of `health-names`,
//! longer than zero (`cache_failure` may be zero) and at most a year.

use super::literal::lit;
use crate::errors::Errors;
use crate::key::Key;
use health_names::duration::{self, DurationError};
use syn::spanned::Spanned;
use syn::{Expr, Lit};

/// The longest duration a key takes, one year: longer ones are mistakes.
/// The registry refuses the same for checks built at run time.
pub(crate) const MAX_DURATION_NANOS: u64 = 365 * 24 * 3_600 * 1_000_000_000;

/// A duration argument: nanoseconds, and the literal as the user wrote it.
pub(crate) struct Duration {
    pub(crate) nanos: u64,
    pub(crate) text: String,
}

/// The duration of `key`, a string literal such as `"200ms"`.
pub(super) fn duration(key: Key, expr: &Expr, errors: &mut Errors) -> Option<Duration> {
    let name = key.as_str();
    let lit = match lit(expr) {
        Some(Lit::Str(s)) => s,
        Some(Lit::Int(int)) => {
            let n = int.base10_digits();
            errors.at(
                expr.span(),
                format_args!("expected a duration string with a unit, e.g. `{name} = \"{n}ms\"`"),
            );
            return None;
        }
        _ => {
            errors.at(
                expr.span(),
                format_args!("expected a duration string, e.g. `{}`", key.example()),
            );
            return None;
        }
    };
    let text = lit.value();
    let year = std::time::Duration::from_nanos(MAX_DURATION_NANOS);
    let longer_than_a_year = || {
        format!(
            "the `{name}` is longer than a year: at most \"{}\" (365 days)",
            duration::format(year)
        )
    };
    match duration::parse(&text) {
        // `cache_failure = "0s"` never reuses a failed result.
        Ok(d) if d.is_zero() && key != Key::CacheFailure => {
            errors.at(
                lit.span(),
                format_args!(
                    "`{name}` must be longer than zero, e.g. `{}`",
                    key.example()
                ),
            );
            None
        }
        Ok(d) if d > year => {
            errors.at(lit.span(), longer_than_a_year());
            None
        }
        Err(DurationError::Overflow) => {
            errors.at(lit.span(), longer_than_a_year());
            None
        }
        Ok(d) => {
            // At most a year: it fits.
            let nanos = u64::try_from(d.as_nanos()).unwrap_or(MAX_DURATION_NANOS);
            Some(Duration { nanos, text })
        }
        Err(error) => {
            errors.at(
                lit.span(),
                format_args!("invalid duration {text:?}: {error}"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::duration;
    use crate::errors::Errors;
    use crate::key::Key;
    use syn::{Expr, parse_quote};

    /// The nanoseconds, or every error message.
    fn parsed(key: Key, expr: Expr) -> Result<u64, Vec<String>> {
        let mut errors = Errors::default();
        match duration(key, &expr, &mut errors) {
            Some(d) => {
                assert!(errors.is_empty());
                Ok(d.nanos)
            }
            None => Err(errors.messages()),
        }
    }

    #[test]
    fn the_shared_grammar() {
        assert_eq!(parsed(Key::Timeout, parse_quote!("200ms")), Ok(200_000_000));
        assert_eq!(
            parsed(Key::Timeout, parse_quote!("1.5s")),
            Ok(1_500_000_000)
        );
        assert_eq!(
            parsed(Key::Cache, parse_quote!("1m30s")),
            Ok(90_000_000_000)
        );
        assert_eq!(parsed(Key::Timeout, parse_quote!("7ns")), Ok(7));
        assert_eq!(
            parsed(Key::Timeout, parse_quote!("2min")),
            Err(vec![
                "invalid duration \"2min\": unknown unit `min`; did you mean `m`? (expected one of `ns`, `us`, `ms`, `s`, `m`, `h`)".to_owned()
            ])
        );
    }

    #[test]
    fn wrong_value_types() {
        assert_eq!(
            parsed(Key::Timeout, parse_quote!(200)),
            Err(vec![
                "expected a duration string with a unit, e.g. `timeout = \"200ms\"`".to_owned()
            ])
        );
        assert_eq!(
            parsed(Key::Cache, parse_quote!(five)),
            Err(vec![
                "expected a duration string, e.g. `cache = \"5s\"`".to_owned()
            ])
        );
    }

    #[test]
    fn longer_than_zero_but_cache_failure() {
        let zero = parsed(Key::Timeout, parse_quote!("0s"));
        assert_eq!(
            zero,
            Err(vec![
                "`timeout` must be longer than zero, e.g. `timeout = \"200ms\"`".to_owned()
            ])
        );
        assert_eq!(
            parsed(Key::CacheFailure, parse_quote!("0s")),
            Ok(0),
            "zero: failures are not reused"
        );
    }

    #[test]
    fn at_most_a_year() {
        for key in [
            Key::Timeout,
            Key::Cache,
            Key::CacheFailure,
            Key::Interval,
            Key::StallAfter,
            Key::Backoff,
            Key::BackoffMax,
        ] {
            let name = key.as_str();
            assert!(parsed(key, parse_quote!("8760h")).is_ok(), "{name}");
            assert!(parsed(key, parse_quote!("365h525600m")).is_err(), "{name}");
            let expected = Err(vec![format!(
                "the `{name}` is longer than a year: at most \"8760h\" (365 days)"
            )]);
            assert_eq!(parsed(key, parse_quote!("8760.001h")), expected);
            assert_eq!(parsed(key, parse_quote!("99999999999h")), expected);
            let overflow = format!("{}h", u128::MAX);
            assert_eq!(parsed(key, parse_quote!(#overflow)), expected);
        }
    }
}
