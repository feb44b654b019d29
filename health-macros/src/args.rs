//! Parsing `#[health_check(key = value, ...)]` into spanned values.
//!
//! The parser never stops at the first mistake: the arguments are split at
//! their top-level commas and each one is parsed on its own, so a syntax
//! error in one argument does not hide the mistakes in the others. Every
//! error is pushed into [`Errors`] and the user sees all of them at once.
//! Checks that involve several arguments live in `validate.rs`.

use crate::duration;
use proc_macro2::{Span, TokenStream, TokenTree};
use std::fmt::Display;
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr, Path};

pub(crate) const NAME: &str = "name";
pub(crate) const TIMEOUT: &str = "timeout";
pub(crate) const CRITICAL: &str = "critical";
pub(crate) const PROBE: &str = "probe";
pub(crate) const PROBES: &str = "probes";
pub(crate) const TAGS: &str = "tags";
pub(crate) const CACHE: &str = "cache";
pub(crate) const CACHE_FAILURE: &str = "cache_failure";
pub(crate) const INTERVAL: &str = "interval";
pub(crate) const FAILURE_THRESHOLD: &str = "failure_threshold";
pub(crate) const CRATE: &str = "crate";

/// Every argument, in the order the docs list them.
pub(crate) const KEYS: &[&str] = &[
    NAME,
    TIMEOUT,
    CRITICAL,
    PROBE,
    PROBES,
    TAGS,
    CACHE,
    CACHE_FAILURE,
    INTERVAL,
    FAILURE_THRESHOLD,
    CRATE,
];

/// An example of each argument, quoted in error messages.
fn example(key: &str) -> &'static str {
    match key {
        NAME => "name = \"db\"",
        TIMEOUT => "timeout = \"200ms\"",
        CRITICAL => "critical = false",
        PROBE => "probe = \"liveness\"",
        PROBES => "probes = [\"liveness\", \"readiness\"]",
        TAGS => "tags = [\"db\"]",
        CACHE => "cache = \"5s\"",
        CACHE_FAILURE => "cache_failure = \"1s\"",
        INTERVAL => "interval = \"30s\"",
        FAILURE_THRESHOLD => "failure_threshold = 3",
        CRATE => "crate = \"my_health\"",
        _ => "timeout = \"200ms\"",
    }
}

/// The errors found so far, combined into one `syn::Error`.
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

    /// `Err` with every recorded error, if there is one.
    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// A value with its span (the key's span is in [`Args::given`]).
pub(crate) struct Arg<T> {
    pub(crate) value: T,
    /// The value, e.g. `"5s"` in `cache = "5s"`.
    pub(crate) span: Span,
}

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

/// The parsed arguments. A key that was given with an invalid value is in
/// [`Args::given`] but its field is `None`, so cross-argument checks can
/// tell "absent" (use the default) from "invalid" (already reported).
#[derive(Default)]
pub(crate) struct Args {
    given: Vec<(&'static str, Span)>,
    pub(crate) name: Option<Arg<String>>,
    pub(crate) timeout: Option<Arg<Duration>>,
    pub(crate) critical: Option<Arg<bool>>,
    pub(crate) probes: Option<Arg<Vec<Probe>>>,
    pub(crate) tags: Option<Arg<Vec<String>>>,
    pub(crate) cache: Option<Arg<Duration>>,
    pub(crate) cache_failure: Option<Arg<Duration>>,
    pub(crate) interval: Option<Arg<Duration>>,
    pub(crate) failure_threshold: Option<Arg<u32>>,
    pub(crate) krate: Option<Arg<Path>>,
}

impl Args {
    /// The span of `key` if it was given, valid or not.
    pub(crate) fn given(&self, key: &str) -> Option<Span> {
        self.given
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, span)| *span)
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
    let key_ident = match tokens.next() {
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
    let written = key_ident.to_string();
    let written = written.strip_prefix("r#").unwrap_or(&written);
    let Some(&key) = KEYS.iter().find(|k| **k == written) else {
        let hint = match suggest(written, KEYS) {
            Some(similar) => format!("; did you mean `{similar}`?"),
            None => String::new(),
        };
        errors.at(
            key_ident.span(),
            format_args!(
                "unknown argument `{written}`{hint} (expected one of {})",
                list(KEYS)
            ),
        );
        return;
    };
    let key_span = key_ident.span();
    if args.given(key).is_some() {
        errors.at(
            key_span,
            format_args!("repeated argument `{key}`: give it once, remove this one"),
        );
        return;
    }
    let other_probe = match key {
        PROBE => Some(PROBES),
        PROBES => Some(PROBE),
        _ => None,
    };
    if let Some(other) = other_probe.filter(|other| args.given(other).is_some()) {
        errors.at(
            key_span,
            format_args!(
                "`{key}` cannot be combined with `{other}`: \
                 list every probe in one `probes = [..]`, e.g. `{}`",
                example(PROBES)
            ),
        );
        return;
    }
    args.given.push((key, key_span));

    match tokens.next() {
        Some(TokenTree::Punct(eq)) if eq.as_char() == '=' => {
            let value: TokenStream = tokens.collect();
            if value.is_empty() {
                errors.at(
                    eq.span(),
                    format_args!("expected a value after `=`, e.g. `{}`", example(key)),
                );
                return;
            }
            match syn::parse2::<Expr>(value) {
                Ok(expr) => parse_value(key, &expr, args, errors),
                Err(error) => errors.push(error),
            }
        }
        Some(other) => {
            errors.at(
                other.span(),
                format_args!("expected `=` after `{key}`, e.g. `{}`", example(key)),
            );
        }
        None => errors.at(
            key_span,
            format_args!("`{key}` needs a value, e.g. `{}`", example(key)),
        ),
    }
}

/// Checks and stores the value of `key`.
fn parse_value(key: &'static str, expr: &Expr, args: &mut Args, errors: &mut Errors) {
    let span = expr.span();
    match key {
        NAME => args.name = parse_name(expr, errors).map(|value| Arg { value, span }),
        TIMEOUT | CACHE | CACHE_FAILURE | INTERVAL => {
            let slot = match key {
                TIMEOUT => &mut args.timeout,
                CACHE => &mut args.cache,
                CACHE_FAILURE => &mut args.cache_failure,
                _ => &mut args.interval,
            };
            *slot = parse_duration(key, expr, errors).map(|value| Arg { value, span });
        }
        CRITICAL => args.critical = parse_bool(expr, errors).map(|value| Arg { value, span }),
        PROBE => {
            args.probes = parse_one_probe(expr, errors).map(|p| Arg {
                value: vec![p],
                span,
            })
        }
        PROBES => args.probes = parse_probes(expr, errors).map(|value| Arg { value, span }),
        TAGS => args.tags = parse_tags(expr, errors).map(|value| Arg { value, span }),
        FAILURE_THRESHOLD => {
            args.failure_threshold = parse_threshold(expr, errors).map(|value| Arg { value, span });
        }
        _ => args.krate = parse_crate(expr, errors).map(|value| Arg { value, span }),
    }
}

fn parse_name(expr: &Expr, errors: &mut Errors) -> Option<String> {
    let lit = expect_str(NAME, expr, errors)?;
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
            "expected `true` or `false`, e.g. `critical = false`",
        ),
    }
    None
}

fn parse_one_probe(expr: &Expr, errors: &mut Errors) -> Option<Probe> {
    if let Expr::Array(_) = expr {
        let message = format!(
            "`probe` takes one probe; for several write `{}`",
            example(PROBES)
        );
        errors.at(expr.span(), message);
        return None;
    }
    parse_probe(&expect_str(PROBE, expr, errors)?, errors)
}

fn parse_probes(expr: &Expr, errors: &mut Errors) -> Option<Vec<Probe>> {
    let elems = expect_str_list(PROBES, expr, errors)?;
    if elems.is_empty() {
        let message = format!(
            "`probes` is empty: list at least one, e.g. `{}`",
            example(PROBES)
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
    let elems = expect_str_list(TAGS, expr, errors)?;
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
            "expected an integer, e.g. `failure_threshold = 3`",
        ),
    }
    None
}

fn parse_crate(expr: &Expr, errors: &mut Errors) -> Option<Path> {
    let lit = expect_str(CRATE, expr, errors)?;
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

fn expect_str(key: &str, expr: &Expr, errors: &mut Errors) -> Option<LitStr> {
    match lit(expr) {
        Some(Lit::Str(s)) => Some(s.clone()),
        _ => {
            errors.at(
                expr.span(),
                format_args!("expected a string literal, e.g. `{}`", example(key)),
            );
            None
        }
    }
}

/// The string literals of a `[..]` list; `None` (after reporting) when
/// `expr` is not a list or holds something else.
fn expect_str_list(key: &str, expr: &Expr, errors: &mut Errors) -> Option<Vec<LitStr>> {
    let Expr::Array(array) = expr else {
        let hint = match lit(expr) {
            Some(Lit::Str(s)) => format!("write `{key} = [{:?}]`", s.value()),
            _ => format!("e.g. `{}`", example(key)),
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
            Some(Lit::Str(s)) => lits.push(s.clone()),
            _ => errors.at(
                elem.span(),
                format_args!("expected a string literal, e.g. `{}`", example(key)),
            ),
        }
    }
    (lits.len() == array.elems.len()).then_some(lits)
}

fn parse_duration(key: &str, expr: &Expr, errors: &mut Errors) -> Option<Duration> {
    let lit = match lit(expr) {
        Some(Lit::Str(s)) => s,
        Some(Lit::Int(int)) => {
            let n = int.base10_digits();
            errors.at(
                expr.span(),
                format_args!("expected a duration string with a unit, e.g. `{key} = \"{n}ms\"`"),
            );
            return None;
        }
        _ => {
            errors.at(
                expr.span(),
                format_args!("expected a duration string, e.g. `{}`", example(key)),
            );
            return None;
        }
    };
    let text = lit.value();
    match duration::parse(&text) {
        Ok(0) if key != CACHE_FAILURE => {
            errors.at(
                lit.span(),
                format_args!("`{key}` must be longer than zero, e.g. `{}`", example(key)),
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
    let hint = match suggest(&text, &names) {
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

/// `` `a`, `b`, `c` ``.
fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The candidate closest to `unknown` by edit distance (typos, a missing or
/// transposed letter), else one that contains it (`threshold` →
/// `failure_threshold`), else one that starts like it (`ready` →
/// `readiness`); `None` when nothing is close.
pub(crate) fn suggest<'a>(unknown: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let unknown_lower = unknown.to_ascii_lowercase();
    let closest = candidates
        .iter()
        .map(|c| (edit_distance(&unknown_lower, c), *c))
        .filter(|(distance, c)| *distance <= (unknown.len().min(c.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c);
    if closest.is_some() || unknown.len() < 4 {
        return closest;
    }
    let shared_prefix = |c: &str| {
        c.bytes()
            .zip(unknown_lower.bytes())
            .take_while(|(a, b)| a == b)
            .count()
    };
    candidates
        .iter()
        .copied()
        .find(|c| c.contains(&*unknown_lower))
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .filter(|c| shared_prefix(c) >= 4)
                .max_by_key(|c| shared_prefix(c))
        })
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of adjacent characters each cost 1.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::{Args, Errors, KEYS, Probe, edit_distance, parse, suggest};
    use proc_macro2::TokenStream;
    use quote::ToTokens;
    use syn::parse_quote;

    /// The arguments, and every error message (empty when there is none).
    fn parse_args(tokens: TokenStream) -> (Args, Vec<String>) {
        let mut errors = Errors::default();
        let args = parse(tokens, &mut errors);
        let messages = match errors.finish() {
            Ok(()) => Vec::new(),
            Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
        };
        (args, messages)
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
        assert_eq!(args.name.map(|a| a.value).as_deref(), Some("db"));
        assert_eq!(args.timeout.map(|a| a.value.nanos), Some(200_000_000));
        assert_eq!(args.critical.map(|a| a.value), Some(false));
        assert_eq!(
            args.probes.map(|a| a.value),
            Some(vec![Probe::Liveness, Probe::Startup])
        );
        assert_eq!(
            args.tags.map(|a| a.value),
            Some(vec!["db".to_owned(), "sql".to_owned()])
        );
        assert_eq!(args.cache.map(|a| a.value.nanos), Some(5_000_000_000));
        assert_eq!(
            args.cache_failure.map(|a| a.value.text).as_deref(),
            Some("1s")
        );
        assert_eq!(args.interval.map(|a| a.value.nanos), Some(30_000_000_000));
        assert_eq!(args.failure_threshold.map(|a| a.value), Some(3));
        let krate = args.krate.map(|a| a.value.into_token_stream().to_string());
        assert_eq!(krate.as_deref(), Some("crate :: reexport :: health"));
    }

    #[test]
    fn nothing_given() {
        let (args, errors) = parse_args(TokenStream::new());
        assert!(errors.is_empty());
        assert!(args.name.is_none() && args.timeout.is_none() && args.probes.is_none());
        assert!(KEYS.iter().all(|k| args.given(k).is_none()));
    }

    #[test]
    fn single_probe() {
        let (args, errors) = parse_args(parse_quote!(probe = "startup"));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(args.probes.map(|a| a.value), Some(vec![Probe::Startup]));
    }

    #[test]
    fn unknown_key_with_hint_and_list() {
        let errors = errors_of(parse_quote!(timout = "1s"));
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("unknown argument `timout`; did you mean `timeout`?"),
            "{}",
            errors[0]
        );
        assert!(
            errors[0].contains("`failure_threshold`, `crate`"),
            "{}",
            errors[0]
        );
        let errors = errors_of(parse_quote!(colour = "red"));
        assert!(!errors[0].contains("did you mean"), "{}", errors[0]);
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
            args.timeout.map(|a| a.value.text).as_deref(),
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
    }

    #[test]
    fn wrong_value_types() {
        assert_eq!(
            errors_of(parse_quote!(critical = "yes")),
            ["expected `true` or `false`, e.g. `critical = false`"]
        );
        assert!(errors_of(parse_quote!(critical = "true"))[0].contains("without quotes"));
        assert!(errors_of(parse_quote!(critical))[0].contains("needs a value"));
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
    fn every_mistake_is_reported() {
        let errors = errors_of(parse_quote! {
            timout = "1s", critical = "yes", , probe = "ready", name = "Db", interval = 30 s, tags = ["x"], tags = ["y"]
        });
        assert_eq!(errors.len(), 7, "{errors:#?}");
    }

    #[test]
    fn did_you_mean() {
        assert_eq!(suggest("timout", KEYS), Some("timeout"));
        assert_eq!(suggest("tiemout", KEYS), Some("timeout"));
        assert_eq!(suggest("Timeout", KEYS), Some("timeout"));
        assert_eq!(suggest("tag", KEYS), Some("tags"));
        assert_eq!(suggest("krate", KEYS), Some("crate"));
        assert_eq!(suggest("intervall", KEYS), Some("interval"));
        assert_eq!(suggest("failure_treshold", KEYS), Some("failure_threshold"));
        assert_eq!(suggest("threshold", KEYS), Some("failure_threshold"));
        assert_eq!(suggest("critcal", KEYS), Some("critical"));
        assert_eq!(suggest("colour", KEYS), None);
        assert_eq!(suggest("inter", KEYS), Some("interval"));
        assert_eq!(
            suggest("ready", &["liveness", "readiness", "startup"]),
            Some("readiness")
        );
        assert_eq!(
            suggest("live", &["liveness", "readiness", "startup"]),
            Some("liveness")
        );
        assert_eq!(suggest("x", KEYS), None);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
