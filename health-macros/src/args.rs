//! Parsing `#[health_check(key = value, ...)]` into spanned values.
//!
//! The parser never stops at the first mistake: the arguments are split at
//! their top-level commas and each one is parsed on its own, so a syntax
//! error in one argument does not hide the mistakes in the others. Every
//! error is pushed into [`Errors`] and the user sees all of them at once.
//! Each argument is kept as given, its [`Key`] and value with their spans;
//! checks that involve several arguments live in `validate.rs`.

use crate::duration::{self, DurationError};
use crate::errors::Errors;
use crate::key::Key;
use crate::suggest;
use proc_macro2::{Span, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr, Path};

/// The longest duration a key takes, one year: longer ones are mistakes.
/// The registry refuses the same for checks built at run time.
pub(crate) const MAX_DURATION_NANOS: u64 = 365 * 24 * 3_600 * 1_000_000_000;

/// A duration argument: nanoseconds, and the literal as the user wrote it.
pub(crate) struct Duration {
    pub(crate) nanos: u64,
    pub(crate) text: String,
}

/// One of the three probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    Liveness,
    Readiness,
    Startup,
}

impl Probe {
    pub(crate) const ALL: [Probe; 3] = [Probe::Liveness, Probe::Readiness, Probe::Startup];

    /// The name in the attribute: `"liveness"`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Probe::Liveness => "liveness",
            Probe::Readiness => "readiness",
            Probe::Startup => "startup",
        }
    }

    /// The variant of `health::Probe`: `Liveness`.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Probe::Liveness => "Liveness",
            Probe::Readiness => "Readiness",
            Probe::Startup => "Startup",
        }
    }
}

/// A valid value, by the kind of key it belongs to.
pub(crate) enum Value {
    /// `name`.
    Name(String),
    /// `timeout`, `cache`, `cache_failure`, `interval`.
    Duration(Duration),
    /// `critical`.
    Bool(bool),
    /// `probe` (one) and `probes`.
    Probes(Vec<Probe>),
    /// `tags`.
    Tags(Vec<String>),
    /// `failure_threshold`.
    Count(u32),
    /// `crate`.
    Path(Path),
}

/// One argument as given.
pub(crate) struct Arg {
    pub(crate) key: Key,
    /// The key, e.g. `cache` in `cache = "5s"`.
    pub(crate) key_span: Span,
    /// The value and its span, e.g. `"5s"`; `None` when it was missing or
    /// invalid, which was reported.
    pub(crate) value: Option<(Value, Span)>,
}

/// The arguments in the order given, each key at most once (a repeated
/// one is reported and left out). A key given with an invalid value is
/// here without a value, so cross-argument checks can tell "absent" (use
/// the default) from "invalid" (already reported).
#[derive(Default)]
pub(crate) struct Args(Vec<Arg>);

impl Args {
    /// The argument `key`, valid or not, if it was given.
    pub(crate) fn get(&self, key: Key) -> Option<&Arg> {
        self.0.iter().find(|arg| arg.key == key)
    }

    /// The span of the key `key`, valid or not, if it was given.
    pub(crate) fn given(&self, key: Key) -> Option<Span> {
        self.get(key).map(|arg| arg.key_span)
    }

    /// The valid value of `key`, with its span.
    fn value(&self, key: Key) -> Option<(&Value, Span)> {
        let (value, span) = self.get(key)?.value.as_ref()?;
        Some((value, *span))
    }

    /// The valid `name`.
    pub(crate) fn name(&self) -> Option<&str> {
        match self.value(Key::Name)? {
            (Value::Name(name), _) => Some(name),
            _ => None,
        }
    }

    /// The valid duration `key` (`timeout`, `cache`, ...), with its span.
    pub(crate) fn duration(&self, key: Key) -> Option<(&Duration, Span)> {
        match self.value(key)? {
            (Value::Duration(duration), span) => Some((duration, span)),
            _ => None,
        }
    }

    /// The valid `critical`.
    pub(crate) fn critical(&self) -> Option<bool> {
        match self.value(Key::Critical)? {
            (Value::Bool(critical), _) => Some(*critical),
            _ => None,
        }
    }

    /// The valid probes, of `probe` or `probes`.
    pub(crate) fn probes(&self) -> Option<&[Probe]> {
        match self.value(Key::Probes).or_else(|| self.value(Key::Probe))? {
            (Value::Probes(probes), _) => Some(probes),
            _ => None,
        }
    }

    /// The valid `tags`.
    pub(crate) fn tags(&self) -> Option<&[String]> {
        match self.value(Key::Tags)? {
            (Value::Tags(tags), _) => Some(tags),
            _ => None,
        }
    }

    /// The valid `failure_threshold`, with its span.
    pub(crate) fn failure_threshold(&self) -> Option<(u32, Span)> {
        match self.value(Key::FailureThreshold)? {
            (Value::Count(count), span) => Some((*count, span)),
            _ => None,
        }
    }

    /// The valid `crate`.
    pub(crate) fn krate(&self) -> Option<&Path> {
        match self.value(Key::Crate)? {
            (Value::Path(path), _) => Some(path),
            _ => None,
        }
    }
}

/// Parses the attribute's arguments; every mistake goes to `errors`.
pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    let mut args = Args::default();
    let mut segment = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Punct(comma) if comma.as_char() == ',' => {
                if segment.is_empty() {
                    errors.at(
                        comma.span(),
                        "unexpected `,`: expected an argument such as `timeout = \"200ms\"`",
                    );
                } else {
                    parse_arg(std::mem::take(&mut segment), &mut args, errors);
                }
            }
            tree => segment.push(tree),
        }
    }
    if !segment.is_empty() {
        parse_arg(segment, &mut args, errors);
    }
    args
}

/// Parses one `key = value`.
fn parse_arg(tokens: Vec<TokenTree>, args: &mut Args, errors: &mut Errors) {
    let mut tokens = tokens.into_iter();
    let ident = match tokens.next() {
        Some(TokenTree::Ident(ident)) => ident,
        Some(other) => {
            errors.at(
                other.span(),
                "expected an argument `key = value`, e.g. `timeout = \"200ms\"`",
            );
            return;
        }
        None => return,
    };
    let key = match Key::from_ident(&ident) {
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
                    Ok(expr) => parse_value(key, &expr, errors).map(|value| (value, expr.span())),
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
    args.0.push(Arg {
        key,
        key_span,
        value,
    });
}

/// Checks the value of `key`; `None` (after reporting) when it is invalid.
fn parse_value(key: Key, expr: &Expr, errors: &mut Errors) -> Option<Value> {
    match key {
        Key::Name => parse_name(expr, errors).map(Value::Name),
        Key::Timeout | Key::Cache | Key::CacheFailure | Key::Interval => {
            parse_duration(key, expr, errors).map(Value::Duration)
        }
        Key::Critical => parse_bool(expr, errors).map(Value::Bool),
        Key::Probe => parse_one_probe(expr, errors).map(|probe| Value::Probes(vec![probe])),
        Key::Probes => parse_probes(expr, errors).map(Value::Probes),
        Key::Tags => parse_tags(expr, errors).map(Value::Tags),
        Key::FailureThreshold => parse_threshold(expr, errors).map(Value::Count),
        Key::Crate => parse_crate(expr, errors).map(Value::Path),
    }
}

fn parse_name(expr: &Expr, errors: &mut Errors) -> Option<String> {
    let lit = expect_str(Key::Name, expr, errors)?;
    let name = lit.value();
    match health_names::problem(&name) {
        None => Some(name),
        Some(problem) => {
            let message = format!(
                "invalid name {name:?}: {problem}; a name matches {}",
                health_names::PATTERN
            );
            errors.at(lit.span(), message);
            None
        }
    }
}

fn parse_bool(expr: &Expr, errors: &mut Errors) -> Option<bool> {
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

fn parse_one_probe(expr: &Expr, errors: &mut Errors) -> Option<Probe> {
    if let Expr::Array(_) = expr {
        let message = format!(
            "`probe` takes one probe; for several write `{}`",
            Key::Probes.example()
        );
        errors.at(expr.span(), message);
        return None;
    }
    parse_probe(expect_str(Key::Probe, expr, errors)?, errors)
}

fn parse_probes(expr: &Expr, errors: &mut Errors) -> Option<Vec<Probe>> {
    let elems = expect_str_list(Key::Probes, expr, errors)?;
    if elems.is_empty() {
        let message = format!(
            "`probes` is empty: list at least one, e.g. `{}`",
            Key::Probes.example()
        );
        errors.at(expr.span(), message);
        return None;
    }
    let mut probes = Vec::new();
    let mut valid = true;
    for lit in &elems {
        match parse_probe(lit, errors) {
            Some(probe) if probes.contains(&probe) => {
                errors.at(
                    lit.span(),
                    format!("repeated probe \"{}\": list it once", probe.as_str()),
                );
                valid = false;
            }
            Some(probe) => probes.push(probe),
            None => valid = false,
        }
    }
    valid.then_some(probes)
}

fn parse_tags(expr: &Expr, errors: &mut Errors) -> Option<Vec<String>> {
    let elems = expect_str_list(Key::Tags, expr, errors)?;
    let mut tags: Vec<String> = Vec::new();
    let mut valid = true;
    for lit in &elems {
        let tag = lit.value();
        if let Some(problem) = health_names::problem(&tag) {
            let message = format!(
                "invalid tag {tag:?}: {problem}; a tag matches {}, like a name",
                health_names::PATTERN
            );
            errors.at(lit.span(), message);
            valid = false;
        } else if tags.contains(&tag) {
            errors.at(lit.span(), format!("repeated tag {tag:?}: list it once"));
            valid = false;
        } else {
            tags.push(tag);
        }
    }
    valid.then_some(tags)
}

fn parse_threshold(expr: &Expr, errors: &mut Errors) -> Option<u32> {
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

fn parse_crate(expr: &Expr, errors: &mut Errors) -> Option<Path> {
    let lit = expect_str(Key::Crate, expr, errors)?;
    match lit.parse_with(Path::parse_mod_style) {
        Ok(path) => Some(path),
        Err(_) => {
            errors.at(
                lit.span(),
                "expected the path of the `health` crate, e.g. `crate = \"my_health\"` \
                 or `crate = \"crate::reexport::health\"`",
            );
            None
        }
    }
}

/// The literal `expr` is, looking through invisible groups (a `$value:expr`
/// forwarded by `macro_rules!`).
fn lit(expr: &Expr) -> Option<&Lit> {
    match expr {
        Expr::Lit(lit) => Some(&lit.lit),
        Expr::Group(group) => lit(&group.expr),
        _ => None,
    }
}

fn expect_str<'a>(key: Key, expr: &'a Expr, errors: &mut Errors) -> Option<&'a LitStr> {
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
fn expect_str_list<'a>(key: Key, expr: &'a Expr, errors: &mut Errors) -> Option<Vec<&'a LitStr>> {
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

fn parse_duration(key: Key, expr: &Expr, errors: &mut Errors) -> Option<Duration> {
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
    // Past `u64::MAX` nanoseconds (584 years) is past a year too.
    let nanos = match duration::parse(&text) {
        Err(DurationError::Overflow) => Ok(u64::MAX),
        nanos => nanos,
    };
    match nanos {
        // `cache_failure = "0s"` never reuses a failed result.
        Ok(0) if key != Key::CacheFailure => {
            errors.at(
                lit.span(),
                format_args!(
                    "`{name}` must be longer than zero, e.g. `{}`",
                    key.example()
                ),
            );
            None
        }
        Ok(nanos) if nanos > MAX_DURATION_NANOS => {
            errors.at(
                lit.span(),
                format_args!(
                    "the `{name}` is longer than a year: at most {:?} (365 days)",
                    duration::format(MAX_DURATION_NANOS)
                ),
            );
            None
        }
        Ok(nanos) => Some(Duration { nanos, text }),
        Err(error) => {
            errors.at(
                lit.span(),
                format_args!("invalid duration {text:?}: {error}"),
            );
            None
        }
    }
}

fn parse_probe(lit: &LitStr, errors: &mut Errors) -> Option<Probe> {
    let text = lit.value();
    if let Some(probe) = Probe::ALL.into_iter().find(|p| p.as_str() == text) {
        return Some(probe);
    }
    let names = Probe::ALL.map(Probe::as_str);
    let hint = match suggest::closest(&text, &names) {
        Some(similar) => format!("; did you mean \"{similar}\"?"),
        None => String::new(),
    };
    let expected = names.map(|n| format!("\"{n}\"")).join(", ");
    errors.at(
        lit.span(),
        format_args!("unknown probe {text:?}{hint} (expected one of {expected})"),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::{Args, Probe, parse};
    use crate::errors::Errors;
    use crate::key::Key;
    use proc_macro2::TokenStream;
    use quote::ToTokens;
    use syn::parse_quote;

    /// The arguments, and every error message (empty when there is none).
    fn parse_args(tokens: TokenStream) -> (Args, Vec<String>) {
        let mut errors = Errors::default();
        let args = parse(tokens, &mut errors);
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
            failure_threshold = 3, crate = "crate::reexport::health",
        });
        assert_eq!(errors, Vec::<String>::new());
        assert!(
            Key::ALL
                .iter()
                .all(|k| *k == Key::Probe || args.given(*k).is_some())
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
        assert_eq!(args.failure_threshold().map(|(n, _)| n), Some(3));
        let krate = args.krate().map(|k| k.to_token_stream().to_string());
        assert_eq!(krate.as_deref(), Some("crate :: reexport :: health"));
    }

    #[test]
    fn nothing_given() {
        let (args, errors) = parse_args(TokenStream::new());
        assert!(errors.is_empty());
        assert!(args.name().is_none() && args.probes().is_none());
        assert!(Key::ALL.iter().all(|k| args.given(*k).is_none()));
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
    fn wrong_value_types() {
        assert_eq!(
            errors_of(parse_quote!(critical = "yes")),
            ["expected `true` or `false`, e.g. `critical = false`"]
        );
        assert!(errors_of(parse_quote!(critical = "true"))[0].contains("without quotes"));
        assert!(errors_of(parse_quote!(critical))[0].contains("needs a value"));
        assert!(errors_of(parse_quote!(critical =))[0].contains("expected a value after `=`"));
        assert!(errors_of(parse_quote!(critical: true))[0].contains("expected `=` after"));
        assert!(errors_of(parse_quote!(timeout = 200))[0].contains("`timeout = \"200ms\"`"));
        assert!(errors_of(parse_quote!(name = db))[0].contains("expected a string literal"));
        assert!(errors_of(parse_quote!(tags = "db"))[0].contains("write `tags = [\"db\"]`"));
        assert!(errors_of(parse_quote!(probe = ["liveness"]))[0].contains("probes = ["));
        assert!(errors_of(parse_quote!(failure_threshold = "3"))[0].contains("without quotes"));
        assert!(
            errors_of(parse_quote!(crate = "not a path"))[0].contains("path of the `health` crate")
        );
    }

    #[test]
    fn bad_values() {
        assert!(errors_of(parse_quote!(timeout = "0s"))[0].contains("must be longer than zero"));
        assert!(
            errors_of(parse_quote!(cache_failure = "0s")).is_empty(),
            "zero: failures are not reused"
        );
        assert!(errors_of(parse_quote!(timeout = "2min"))[0].contains("unknown unit `min`"));
        assert!(errors_of(parse_quote!(name = "Db"))[0].starts_with("invalid name \"Db\""));
        assert!(
            errors_of(parse_quote!(tags = ["db", ""]))[0].contains("invalid tag \"\": it is empty")
        );
        assert!(errors_of(parse_quote!(tags = ["db", "db"]))[0].contains("repeated tag"));
        assert!(errors_of(parse_quote!(probes = []))[0].contains("`probes` is empty"));
        assert!(
            errors_of(parse_quote!(probes = ["startup", "startup"]))[0].contains("repeated probe")
        );
        let unknown = errors_of(parse_quote!(probe = "ready"));
        assert!(
            unknown[0].contains("did you mean \"readiness\"?"),
            "{}",
            unknown[0]
        );
        assert!(
            unknown[0].contains("\"liveness\", \"readiness\", \"startup\""),
            "{}",
            unknown[0]
        );
        assert!(errors_of(parse_quote!(failure_threshold = 0))[0].contains("at least 1"));
        assert!(errors_of(parse_quote!(failure_threshold = -1))[0].contains("at least 1"));
        assert!(
            errors_of(parse_quote!(failure_threshold = 4294967296))[0].contains("fit in a u32")
        );
    }

    #[test]
    fn at_most_a_year() {
        for key in ["timeout", "cache", "cache_failure", "interval"] {
            let key = syn::Ident::new(key, proc_macro2::Span::call_site());
            let year: TokenStream = parse_quote!(#key = "8760h");
            assert!(errors_of(year).is_empty(), "{key}");
            let expected = [format!(
                "the `{key}` is longer than a year: at most \"8760h\" (365 days)"
            )];
            let longer: TokenStream = parse_quote!(#key = "8760.001h");
            assert_eq!(errors_of(longer), expected);
            let overflow: TokenStream = parse_quote!(#key = "99999999999h");
            assert_eq!(errors_of(overflow), expected);
        }
    }

    #[test]
    fn names_and_tags_follow_the_shared_rule() {
        let max = "a".repeat(health_names::MAX_LEN);
        let longer = "a".repeat(health_names::MAX_LEN + 1);
        assert!(errors_of(parse_quote!(name = #max, tags = [#max])).is_empty());
        let errors = errors_of(parse_quote!(name = #longer, tags = [#longer]));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors.iter().all(|e| e.contains("longer than 63")),
            "{errors:?}"
        );
        assert!(
            errors.iter().all(|e| e.contains(health_names::PATTERN)),
            "{errors:?}"
        );
    }

    #[test]
    fn every_mistake_is_reported() {
        let errors = errors_of(parse_quote! {
            timout = "1s", critical = "yes", , probe = "ready", name = "Db", interval = 30 s, tags = ["x"], tags = ["y"]
        });
        assert_eq!(errors.len(), 7, "{errors:#?}");
    }
}
