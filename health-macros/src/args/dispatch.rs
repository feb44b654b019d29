//! The key dispatcher: splits the arguments at their top-level commas,
//! reads each `key = value`, refuses unknown, repeated and conflicting
//! keys, and hands the value to the parser of its key.
//!
//! The arguments are split by hand rather than with syn's `Punctuated`:
//! that stops at the first malformed argument, and here a syntax error in
//! one argument must not hide the mistakes in the others. Keys are matched
//! through [`Key`] rather than `syn::custom_keyword!`: `crate` is a
//! reserved word no custom keyword can name, an unknown key needs its text
//! for the "did you mean", and the `match` over [`Key`] makes a new key a
//! compile error until it is parsed.

use super::given::{Arg, Args, Value};
use super::{critical, durations, krate, names, probes, restart, threshold};
use crate::errors::Errors;
use crate::key::{Attr, Key};
use proc_macro2::{TokenStream, TokenTree};
use syn::Expr;
use syn::spanned::Spanned;

/// Parses the arguments of `attr`; every mistake goes to `errors`.
pub(crate) fn parse(tokens: TokenStream, attr: Attr, errors: &mut Errors) -> Args {
    let mut args = Args::default();
    let mut segment = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Punct(comma) if comma.as_char() == ',' => {
                if segment.is_empty() {
                    errors.at(
                        comma.span(),
                        format_args!(
                            "unexpected `,`: expected an argument such as `{}`",
                            attr.example().example()
                        ),
                    );
                } else {
                    parse_arg(std::mem::take(&mut segment), attr, &mut args, errors);
                }
            }
            tree => segment.push(tree),
        }
    }
    if !segment.is_empty() {
        parse_arg(segment, attr, &mut args, errors);
    }
    args
}

/// Parses one `key = value`.
fn parse_arg(tokens: Vec<TokenTree>, attr: Attr, args: &mut Args, errors: &mut Errors) {
    let mut tokens = tokens.into_iter();
    let ident = match tokens.next() {
        Some(TokenTree::Ident(ident)) => ident,
        Some(other) => {
            errors.at(
                other.span(),
                format_args!(
                    "expected an argument `key = value`, e.g. `{}`",
                    attr.example().example()
                ),
            );
            return;
        }
        None => return,
    };
    let key = match Key::from_ident(&ident, attr) {
        Ok(key) => key,
        Err(error) => return errors.push(error),
    };
    let key_span = ident.span();
    let name = key.as_str();
    if args.given(key).is_some() {
        errors.at(
            key_span,
            format_args!("repeated argument `{name}`: give it once, remove this one"),
        );
        return;
    }
    if matches!(key, Key::Probe | Key::Probes) {
        let other = if key == Key::Probe {
            Key::Probes
        } else {
            Key::Probe
        };
        if args.given(other).is_some() {
            errors.at(
                key_span,
                format_args!(
                    "`{name}` cannot be combined with `{}`: \
                     list every probe in one `probes = [..]`, e.g. `{}`",
                    other.as_str(),
                    Key::Probes.example()
                ),
            );
            return;
        }
    }

    let value = match tokens.next() {
        Some(TokenTree::Punct(eq)) if eq.as_char() == '=' => {
            let value: TokenStream = tokens.collect();
            if value.is_empty() {
                errors.at(
                    eq.span(),
                    format_args!("expected a value after `=`, e.g. `{}`", key.example()),
                );
                None
            } else {
                match syn::parse2::<Expr>(value) {
                    Ok(expr) => value_of(key, &expr, errors).map(|value| (value, expr.span())),
                    Err(error) => {
                        errors.push(error);
                        None
                    }
                }
            }
        }
        Some(other) => {
            errors.at(
                other.span(),
                format_args!("expected `=` after `{name}`, e.g. `{}`", key.example()),
            );
            None
        }
        None => {
            errors.at(
                key_span,
                format_args!("`{name}` needs a value, e.g. `{}`", key.example()),
            );
            None
        }
    };
    args.push(Arg {
        key,
        key_span,
        value,
    });
}

/// The value of `key`, by the parser of its kind; `None` (after
/// reporting) when it is invalid.
fn value_of(key: Key, expr: &Expr, errors: &mut Errors) -> Option<Value> {
    match key {
        Key::Name => names::name(expr, errors).map(Value::Name),
        Key::Timeout
        | Key::Cache
        | Key::CacheFailure
        | Key::Interval
        | Key::FailingInterval
        | Key::Slow
        | Key::StallAfter
        | Key::Backoff
        | Key::BackoffMax => durations::duration(key, expr, errors).map(Value::Duration),
        Key::Critical => critical::critical(expr, errors).map(Value::Bool),
        Key::Probe => probes::probe(expr, errors).map(|probe| Value::Probes(vec![probe])),
        Key::Probes => probes::probes(expr, errors).map(Value::Probes),
        Key::Tags => names::tags(expr, errors).map(Value::Tags),
        Key::FailureThreshold | Key::SuccessThreshold => {
            threshold::threshold(key, expr, errors).map(Value::Count)
        }
        Key::Restart => restart::restart(expr, errors).map(Value::Restart),
        Key::Crate => krate::krate(expr, errors).map(Value::Path),
    }
}

#[cfg(test)]
mod tests {
    use super::{Args, parse};
    use crate::args::probes::Probe;
    use crate::args::restart::Restart;
    use crate::errors::Errors;
    use crate::key::{Attr, Key};
    use proc_macro2::TokenStream;
    use quote::ToTokens;
    use syn::parse_quote;

    /// The arguments of `#[health_check]`, and every error message (empty
    /// when there is none).
    fn parse_args(tokens: TokenStream) -> (Args, Vec<String>) {
        parse_for(Attr::Check, tokens)
    }

    fn parse_for(attr: Attr, tokens: TokenStream) -> (Args, Vec<String>) {
        let mut errors = Errors::default();
        let args = parse(tokens, attr, &mut errors);
        (args, errors.messages())
    }

    fn errors_of(tokens: TokenStream) -> Vec<String> {
        parse_args(tokens).1
    }

    #[test]
    fn every_argument() {
        let (args, errors) = parse_args(parse_quote! {
            name = "db", timeout = "200ms", critical = false, probes = ["liveness", "startup"],
            tags = ["db", "sql"], cache = "5s", cache_failure = "1s", interval = "30s",
            failing_interval = "5s", failure_threshold = 3, success_threshold = 2, slow = "100ms",
            crate = "crate::reexport::health",
        });
        assert_eq!(errors, Vec::<String>::new());
        assert!(
            Attr::Check
                .keys()
                .all(|k| k == Key::Probe || args.given(k).is_some())
        );
        let nanos = |key| args.duration(key).map(|(d, _)| d.nanos);
        assert_eq!(args.name(), Some("db"));
        assert_eq!(nanos(Key::Timeout), Some(200_000_000));
        assert_eq!(args.critical(), Some(false));
        assert_eq!(args.probes(), Some(&[Probe::Liveness, Probe::Startup][..]));
        assert_eq!(args.tags(), Some(&["db".to_owned(), "sql".to_owned()][..]));
        assert_eq!(nanos(Key::Cache), Some(5_000_000_000));
        assert_eq!(
            args.duration(Key::CacheFailure)
                .map(|(d, _)| d.text.as_str()),
            Some("1s")
        );
        assert_eq!(nanos(Key::Interval), Some(30_000_000_000));
        assert_eq!(args.count(Key::FailureThreshold).map(|(n, _)| n), Some(3));
        assert_eq!(nanos(Key::FailingInterval), Some(5_000_000_000));
        assert_eq!(args.count(Key::SuccessThreshold).map(|(n, _)| n), Some(2));
        assert_eq!(nanos(Key::Slow), Some(100_000_000));
        let krate = args.krate().map(|k| k.to_token_stream().to_string());
        assert_eq!(krate.as_deref(), Some("crate :: reexport :: health"));
    }

    #[test]
    fn every_task_argument() {
        let (args, errors) = parse_for(
            Attr::Task,
            parse_quote! {
                name = "consumer", critical = false, probes = ["liveness"], tags = ["queue"],
                stall_after = "30s", restart = "always", backoff = "50ms", backoff_max = "1m",
                crate = "my_health",
            },
        );
        assert_eq!(errors, Vec::<String>::new());
        assert!(
            Attr::Task
                .keys()
                .all(|k| k == Key::Probe || args.given(k).is_some())
        );
        let nanos = |key| args.duration(key).map(|(d, _)| d.nanos);
        assert_eq!(nanos(Key::StallAfter), Some(30_000_000_000));
        assert_eq!(args.restart(), Some(Restart::Always));
        assert_eq!(nanos(Key::Backoff), Some(50_000_000));
        assert_eq!(nanos(Key::BackoffMax), Some(60_000_000_000));
    }

    #[test]
    fn each_attribute_refuses_the_others_keys() {
        let (args, errors) = parse_for(Attr::Task, parse_quote!(timeout = "1s", name = "x"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("`timeout` is not an argument of `#[health_task]`"),
            "{}",
            errors[0]
        );
        assert!(args.given(Key::Timeout).is_none() && args.name() == Some("x"));
        let errors = parse_args(parse_quote!(stall_after = "1s", restart = "never")).1;
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors
                .iter()
                .all(|e| e.contains("is not an argument of `#[health_check]`"))
        );
        let errors = parse_for(Attr::Task, parse_quote!(, restart = "x")).1;
        assert!(
            errors[0].starts_with(
                "unexpected `,`: expected an argument such as `stall_after = \"30s\"`"
            ),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("unknown restart policy"),
            "{errors:?}"
        );
    }

    #[test]
    fn nothing_given() {
        let (args, errors) = parse_args(TokenStream::new());
        assert!(errors.is_empty());
        assert!(args.name().is_none() && args.probes().is_none());
        assert!(Key::ALL.iter().all(|k| args.given(*k).is_none()));
        assert!(args.restart().is_none());
    }

    #[test]
    fn single_probe() {
        let (args, errors) = parse_args(parse_quote!(probe = "startup"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(args.probes(), Some(&[Probe::Startup][..]));
    }

    #[test]
    fn invalid_value_is_given_without_value() {
        let (args, errors) = parse_args(parse_quote!(cache = "5 s", timeout = "2s"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(args.given(Key::Cache).is_some());
        assert!(args.duration(Key::Cache).is_none());
        assert!(args.duration(Key::Timeout).is_some());
    }

    #[test]
    fn unknown_key() {
        let errors = errors_of(parse_quote!(timout = "1s", timeout = "2s"));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("unknown argument `timout`; did you mean `timeout`?"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn repeated_key_and_probe_with_probes() {
        let (args, errors) = parse_args(parse_quote!(timeout = "1s", timeout = "2s"));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("repeated argument `timeout`"),
            "{}",
            errors[0]
        );
        assert_eq!(
            args.duration(Key::Timeout).map(|(d, _)| d.text.as_str()),
            Some("1s"),
            "the first one is kept"
        );
        let errors = errors_of(parse_quote!(probe = "liveness", probes = ["startup"]));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("`probes` cannot be combined with `probe`"),
            "{}",
            errors[0]
        );
        // A repeated key is reported even when its first value was invalid.
        let errors = errors_of(parse_quote!(cache = "x", cache = "5s"));
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn malformed_arguments() {
        assert!(errors_of(parse_quote!(critical))[0].contains("needs a value"));
        assert!(errors_of(parse_quote!(critical =))[0].contains("expected a value after `=`"));
        assert!(errors_of(parse_quote!(critical: true))[0].contains("expected `=` after"));
        assert!(errors_of(parse_quote!("critical" = true))[0].starts_with("expected an argument"));
        assert!(errors_of(parse_quote!(, critical = true))[0].starts_with("unexpected `,`"));
    }

    #[test]
    fn each_value_goes_to_the_parser_of_its_key() {
        for (args, message) in [
            (quote::quote!(name = "Db"), "invalid name \"Db\""),
            (quote::quote!(timeout = "2min"), "unknown unit `min`"),
            (
                quote::quote!(critical = "yes"),
                "expected `true` or `false`",
            ),
            (quote::quote!(probe = "ready"), "unknown probe \"ready\""),
            (quote::quote!(probes = []), "`probes` is empty"),
            (quote::quote!(tags = ["db", "db"]), "repeated tag"),
            (quote::quote!(failure_threshold = 0), "at least 1"),
            (
                quote::quote!(crate = "not a path"),
                "path of the `health` crate",
            ),
        ] {
            let errors = errors_of(args);
            assert!(
                errors.len() == 1 && errors[0].contains(message),
                "{errors:?}"
            );
        }
    }

    #[test]
    fn every_mistake_is_reported() {
        let errors = errors_of(parse_quote! {
            timout = "1s", critical = "yes", , probe = "ready", name = "Db", interval = 30 s, tags = ["x"], tags = ["y"]
        });
        assert_eq!(errors.len(), 7, "{errors:#?}");
    }
}
