//! Checks of the annotated function and of arguments taken together,
//! producing the validated [`Check`] that `expand.rs` turns into code.
//!
//! Every check runs, whatever the others found, so one build shows every
//! mistake; each error points at the token to change.

use crate::args::{self, Args, Errors, Probe};
use crate::duration;
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, GenericParam, ReturnType, Safety, Signature, Type, Visibility};

/// The default timeout, one second.
pub(crate) const DEFAULT_TIMEOUT_NANOS: u64 = 1_000_000_000;

/// Everything the expansion needs, checked.
pub(crate) struct Check {
    /// The path of the facade crate: `::health` unless `crate = "..."`.
    pub(crate) krate: TokenStream,
    pub(crate) name: String,
    pub(crate) tags: Vec<String>,
    pub(crate) timeout: u64,
    pub(crate) critical: bool,
    pub(crate) probes: Vec<Probe>,
    pub(crate) cache: Option<u64>,
    pub(crate) cache_failure: Option<u64>,
    pub(crate) interval: Option<u64>,
    pub(crate) failure_threshold: Option<u32>,
    pub(crate) func: Func,
}

/// The annotated function, as the expansion sees it.
pub(crate) struct Func {
    pub(crate) ident: Ident,
    pub(crate) is_async: bool,
    /// `T` of each `&T` parameter, named lifetimes made `'static` (state is
    /// looked up by `TypeId`), with the span of the user's type.
    pub(crate) params: Vec<(TokenStream, Span)>,
    /// The return type (`()` when none is written), for the `IntoOutcome`
    /// assertion; `None` when it contains `impl Trait`.
    pub(crate) output: Option<Output>,
}

/// The return type of the annotated function.
pub(crate) struct Output {
    /// The type, named lifetimes made `'_`.
    pub(crate) ty: TokenStream,
    /// The spans of its first and last tokens: code spanned from `first` to
    /// `last` is reported on the whole type.
    pub(crate) first: Span,
    pub(crate) last: Span,
}

/// An `fn` item whose body is kept as opaque tokens: the expansion never
/// needs it, and it is emitted unchanged.
struct FnItem {
    sig: Signature,
}

impl Parse for FnItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        input.parse::<Visibility>()?;
        let sig: Signature = input.parse()?;
        match input.parse::<TokenTree>() {
            Ok(TokenTree::Group(body))
                if body.delimiter() == Delimiter::Brace && input.is_empty() =>
            {
                Ok(FnItem { sig })
            }
            _ => Err(syn::Error::new(
                sig.ident.span(),
                "`#[health_check]` needs a function with a body",
            )),
        }
    }
}

/// Checks the function and the arguments together. `errors` holds what the
/// argument parser found; the result carries those and every new one.
pub(crate) fn validate(args: Args, item: TokenStream, mut errors: Errors) -> syn::Result<Check> {
    let sig = match syn::parse2::<FnItem>(item) {
        Ok(item) => Some(item.sig),
        Err(error) => {
            errors.at(
                error.span(),
                format_args!(
                    "`#[health_check]` applies to a function (`fn` or `async fn`): {error}"
                ),
            );
            None
        }
    };
    check_arguments(&args, &mut errors);
    let func = sig.map(|sig| check_fn(&sig, &args, &mut errors));
    errors.finish()?;
    let Some(func) = func else {
        unreachable!("a signature that failed to parse was reported");
    };

    Ok(Check {
        krate: args
            .krate
            .map_or_else(|| quote::quote!(::health), |k| k.value.into_token_stream()),
        name: match args.name {
            Some(name) => name.value,
            None => func.ident.unraw().to_string(),
        },
        tags: args.tags.map(|t| t.value).unwrap_or_default(),
        timeout: args
            .timeout
            .map_or(DEFAULT_TIMEOUT_NANOS, |t| t.value.nanos),
        critical: args.critical.is_none_or(|c| c.value),
        probes: args
            .probes
            .map_or_else(|| vec![Probe::Readiness], |p| p.value),
        cache: args.cache.map(|c| c.value.nanos),
        cache_failure: args.cache_failure.map(|c| c.value.nanos),
        interval: args.interval.map(|i| i.value.nanos),
        failure_threshold: args.failure_threshold.map(|f| f.value),
        func,
    })
}

/// Checks between arguments. A key given with an invalid value was
/// reported already; checks that need its value are skipped.
fn check_arguments(args: &Args, errors: &mut Errors) {
    use crate::args::{CACHE, CACHE_FAILURE, INTERVAL, TIMEOUT};

    if let Some(interval) = &args.interval {
        let timeout = match &args.timeout {
            Some(timeout) => Some((timeout.value.nanos, format!("{:?}", timeout.value.text))),
            None if args.given(TIMEOUT).is_none() => Some((
                DEFAULT_TIMEOUT_NANOS,
                format!("{:?}, the default", duration::format(DEFAULT_TIMEOUT_NANOS)),
            )),
            None => None,
        };
        if let Some((timeout, timeout_text)) =
            timeout.filter(|(timeout, _)| interval.value.nanos <= *timeout)
        {
            errors.at(
                interval.span,
                format_args!(
                    "`interval` ({:?}) must be longer than `timeout` ({timeout_text}): a run may take the whole timeout; raise `interval` above {} or lower `timeout`",
                    interval.value.text,
                    duration::format(timeout)
                ),
            );
        }
    }

    let interval = args.given(INTERVAL).is_some();
    if let Some(cache) = args.given(CACHE).filter(|_| interval) {
        errors.at(
            cache,
            "`cache` cannot be combined with `interval`: an interval check always serves its latest background result; remove `cache`",
        );
    }
    if let Some(cache_failure) = args.given(CACHE_FAILURE) {
        if interval {
            errors.at(
                cache_failure,
                "`cache_failure` cannot be combined with `interval`: an interval check always serves its latest background result; remove `cache_failure`",
            );
        } else if args.given(CACHE).is_none() {
            errors.at(
                cache_failure,
                "`cache_failure` requires `cache`: it shortens the cache TTL for failures; add e.g. `cache = \"5s\"`",
            );
        }
    }
    if let (Some(cache), Some(cache_failure)) = (&args.cache, &args.cache_failure)
        && cache_failure.value.nanos > cache.value.nanos
        && !interval
    {
        errors.at(
            cache_failure.span,
            format_args!(
                "`cache_failure` ({:?}) must not be longer than `cache` ({:?}): it is the TTL of failed results, at most the TTL of all results",
                cache_failure.value.text, cache.value.text
            ),
        );
    }
}

/// Checks the function's signature and collects what the expansion needs.
fn check_fn(sig: &Signature, args: &Args, errors: &mut Errors) -> Func {
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new(
            constness.span,
            "a health check cannot be a `const fn`: remove `const`",
        ));
    }
    if let Safety::Unsafe(unsafety) = &sig.safety {
        errors.push(syn::Error::new(
            unsafety.span,
            "a health check cannot be an `unsafe fn`: the registry cannot uphold its safety contract; remove `unsafe` (and use an `unsafe` block inside)",
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(
            abi,
            "a health check cannot have an ABI: remove the `extern`; the registry calls it as a Rust function",
        ));
    }
    if sig
        .generics
        .params
        .iter()
        .any(|p| !matches!(p, GenericParam::Lifetime(_)))
    {
        errors.push(syn::Error::new_spanned(
            &sig.generics,
            "a health check cannot be generic: the registry calls it without choosing types; remove the type and const parameters (lifetimes are fine)",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            "a health check cannot be variadic: remove the `...`",
        ));
    }

    let mut params = Vec::new();
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => errors.push(syn::Error::new_spanned(
                receiver,
                "a health check cannot take `self`: make it a free function that takes what it needs as `&T` parameters, resolved from `Registry::builder().state(value)`",
            )),
            FnArg::Typed(param) => {
                if let Some(ty) = state_type(&param.ty, errors) {
                    params.push((replace_lifetimes(ty.to_token_stream(), "static"), ty.span()));
                }
            }
        }
    }

    if args.given(args::NAME).is_none() {
        let name = sig.ident.unraw().to_string();
        if let Some(problem) = health_names::problem(&name) {
            errors.at(
                sig.ident.span(),
                format_args!(
                    "the check is named after the function, and `{name}` is not a valid check name: {problem} (a name matches {}); name the check with `#[health_check(name = {:?})]`",
                    health_names::PATTERN,
                    suggest_name(&name)
                ),
            );
        }
    }

    let output = match &sig.output {
        ReturnType::Type(_, ty) if contains_impl(&ty.to_token_stream()) => None,
        ReturnType::Type(_, ty) => {
            let tokens = ty.to_token_stream();
            let first = tokens.clone().into_iter().next().map(|t| match t {
                TokenTree::Group(group) => group.span_open(),
                other => other.span(),
            });
            let last = tokens.clone().into_iter().last().map(|t| match t {
                TokenTree::Group(group) => group.span_close(),
                other => other.span(),
            });
            let first = first.unwrap_or_else(|| ty.span());
            Some(Output {
                ty: replace_lifetimes(tokens, "_"),
                first,
                last: last.unwrap_or(first),
            })
        }
        ReturnType::Default => {
            let span = sig.paren_token.span.close();
            Some(Output {
                ty: quote::quote!(()),
                first: span,
                last: span,
            })
        }
    };

    Func {
        ident: sig.ident.clone(),
        is_async: sig.asyncness.is_some(),
        params,
        output,
    }
}

/// `T` of a parameter `&T`; `None` (after reporting) for anything else.
fn state_type<'a>(ty: &'a Type, errors: &mut Errors) -> Option<&'a Type> {
    if contains_impl(&ty.to_token_stream()) {
        errors.push(syn::Error::new_spanned(
            ty,
            "`impl Trait` parameters make a health check generic: take a shared reference to a concrete type, e.g. `client: &Client`",
        ));
        return None;
    }
    match ty {
        Type::Group(group) => state_type(&group.elem, errors),
        Type::Paren(paren) => state_type(&paren.elem, errors),
        Type::Reference(reference) if reference.mutability.is_some() => {
            errors.push(syn::Error::new_spanned(
                ty,
                format_args!(
                    "a health check parameter must be a shared reference `&T`, not `&mut T`: state is shared by concurrent runs; write `&{}` and put a `Mutex` (or an atomic) inside for what must change",
                    reference.elem.to_token_stream()
                ),
            ));
            None
        }
        Type::Reference(reference) => match &*reference.elem {
            Type::TraitObject(_) => {
                errors.push(syn::Error::new_spanned(
                    &reference.elem,
                    "state is looked up by its concrete type: take a reference to a sized type, e.g. `&Client` or `&Arc<dyn Trait>`",
                ));
                None
            }
            elem => Some(elem),
        },
        _ => {
            errors.push(syn::Error::new_spanned(
                ty,
                format_args!(
                    "a health check parameter must be a shared reference `&T` to state given with `Registry::builder().state(value)`: write `&{}`",
                    ty.to_token_stream()
                ),
            ));
            None
        }
    }
}

/// Whether the tokens contain `impl` (an `impl Trait` type anywhere).
fn contains_impl(tokens: &TokenStream) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "impl",
        TokenTree::Group(group) => contains_impl(&group.stream()),
        _ => false,
    })
}

/// The tokens with every lifetime but `'static` replaced by `'lifetime`
/// (`static` or `_`): `Client<'a>` → `Client<'static>`, as `TypeId`
/// needs; the function's named lifetimes are not in scope in the expansion.
fn replace_lifetimes(tokens: TokenStream, lifetime: &str) -> TokenStream {
    let mut out = Vec::new();
    let mut after_quote = false;
    for tree in tokens {
        let tree = match tree {
            TokenTree::Ident(ident) if after_quote && ident != "static" => {
                TokenTree::Ident(Ident::new(lifetime, ident.span()))
            }
            TokenTree::Group(group) => {
                let stream = replace_lifetimes(group.stream(), lifetime);
                let mut new = proc_macro2::Group::new(group.delimiter(), stream);
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            tree => tree,
        };
        after_quote = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '\'');
        out.push(tree);
    }
    out.into_iter().collect()
}

/// A valid name close to the function's name, for the hint.
fn suggest_name(name: &str) -> String {
    let mut suggestion: String = name
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    suggestion = suggestion.trim_start_matches(['_', '.', '-']).to_owned();
    suggestion.truncate(health_names::MAX_LEN);
    if suggestion.is_empty() {
        "my_check".to_owned()
    } else {
        suggestion
    }
}

#[cfg(test)]
mod tests {
    use super::{Check, replace_lifetimes, suggest_name, validate};
    use crate::args::{self, Errors};
    use proc_macro2::TokenStream;
    use quote::quote;

    fn checked(attr: TokenStream, item: TokenStream) -> Result<Check, Vec<String>> {
        let mut errors = Errors::default();
        let args = args::parse(attr, &mut errors);
        validate(args, item, errors).map_err(|e| e.into_iter().map(|e| e.to_string()).collect())
    }

    fn errors(attr: TokenStream, item: TokenStream) -> Vec<String> {
        match checked(attr, item) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }

    #[test]
    fn defaults() {
        let Ok(check) = checked(
            quote!(),
            quote!(
                async fn r#type(pool: &'a Pool<'a>) -> Result<(), E> {
                    body
                }
            ),
        ) else {
            panic!("valid")
        };
        assert_eq!(check.name, "type");
        assert_eq!(check.timeout, 1_000_000_000);
        assert!(check.critical);
        assert_eq!(check.probes, [args::Probe::Readiness]);
        assert_eq!(check.krate.to_string(), ":: health");
        assert!(check.func.is_async);
        assert_eq!(check.func.params.len(), 1);
        assert_eq!(check.func.params[0].0.to_string(), "Pool < 'static >");
        assert_eq!(
            check.func.output.map(|o| o.ty.to_string()).as_deref(),
            Some("Result < () , E >")
        );
    }

    #[test]
    fn interval_against_timeout() {
        let item = quote!(
            fn f() {}
        );
        let e = errors(quote!(interval = "1s"), item.clone());
        assert!(e[0].contains("(\"1s\", the default)"), "{e:?}");
        let e = errors(quote!(timeout = "2s", interval = "1500ms"), item.clone());
        assert!(
            e[0].contains("must be longer than `timeout` (\"2s\")"),
            "{e:?}"
        );
        assert!(errors(quote!(timeout = "2s", interval = "2001ms"), item.clone()).is_empty());
        assert!(errors(quote!(interval = "1001ms"), item.clone()).is_empty());
        // An invalid timeout was reported; it is not compared.
        assert_eq!(
            errors(quote!(timeout = "0s", interval = "500ms"), item).len(),
            1
        );
    }

    #[test]
    fn cache_rules() {
        let item = quote!(
            fn f() {}
        );
        let e = errors(quote!(cache = "5s", interval = "30s"), item.clone());
        assert!(
            e.len() == 1 && e[0].starts_with("`cache` cannot be combined with `interval`"),
            "{e:?}"
        );
        let e = errors(quote!(cache_failure = "1s"), item.clone());
        assert!(
            e.len() == 1 && e[0].starts_with("`cache_failure` requires `cache`"),
            "{e:?}"
        );
        let e = errors(quote!(cache = "1s", cache_failure = "2s"), item.clone());
        assert!(
            e.len() == 1 && e[0].contains("must not be longer than `cache`"),
            "{e:?}"
        );
        assert!(errors(quote!(cache = "2s", cache_failure = "1s"), item.clone()).is_empty());
        assert!(errors(quote!(cache = "2s", cache_failure = "0s"), item).is_empty());
    }

    #[test]
    fn function_checks() {
        let cases = [
            (
                quote!(
                    fn f<T>() {}
                ),
                "cannot be generic",
            ),
            (
                quote!(
                    fn f<const N: usize>() {}
                ),
                "cannot be generic",
            ),
            (
                quote!(
                    fn f(x: impl Fn()) {}
                ),
                "`impl Trait` parameters",
            ),
            (
                quote!(
                    fn f(x: &impl Fn()) {}
                ),
                "`impl Trait` parameters",
            ),
            (
                quote!(
                    fn f(&self) {}
                ),
                "cannot take `self`",
            ),
            (
                quote!(
                    fn f(x: u32) {}
                ),
                "write `&u32`",
            ),
            (
                quote!(
                    fn f(x: &mut Pool) {}
                ),
                "not `&mut T`",
            ),
            (
                quote!(
                    fn f(x: &dyn Tr) {}
                ),
                "concrete type",
            ),
            (
                quote!(
                    unsafe fn f() {}
                ),
                "`unsafe fn`",
            ),
            (
                quote!(
                    const fn f() {}
                ),
                "`const fn`",
            ),
            (
                quote!(
                    extern "C" fn f() {}
                ),
                "ABI",
            ),
            (
                quote!(
                    fn Database() {}
                ),
                "name = \"database\"",
            ),
            (
                quote!(
                    fn _private() {}
                ),
                "name = \"private\"",
            ),
            (
                quote!(
                    struct S;
                ),
                "applies to a function",
            ),
            (
                quote!(
                    fn f();
                ),
                "needs a function with a body",
            ),
        ];
        for (item, expected) in cases {
            let e = errors(quote!(), item.clone());
            assert!(e.len() == 1 && e[0].contains(expected), "{item}: {e:?}");
        }
        assert!(
            errors(
                quote!(name = "db"),
                quote!(
                    fn Database<'a>(x: &'a X) {}
                )
            )
            .is_empty()
        );
    }

    #[test]
    fn argument_and_function_errors_together() {
        let e = errors(
            quote!(timeout = "1x", critical = 1),
            quote!(
                fn f<T>(x: T, y: &mut T) {}
            ),
        );
        assert_eq!(e.len(), 5, "{e:?}");
    }

    #[test]
    fn output_with_impl_is_not_asserted() {
        let Ok(check) = checked(
            quote!(),
            quote!(
                fn f() -> impl health::IntoOutcome {}
            ),
        ) else {
            panic!("valid")
        };
        assert!(check.func.output.is_none());
        let Ok(check) = checked(
            quote!(),
            quote!(
                fn f() {}
            ),
        ) else {
            panic!("valid")
        };
        assert_eq!(
            check.func.output.map(|o| o.ty.to_string()).as_deref(),
            Some("()")
        );
    }

    #[test]
    fn lifetimes_become_static() {
        let ty = replace_lifetimes(quote!(Foo<'a, '_, 'static, Bar<'b>, [u8; 4]>), "static");
        assert_eq!(
            ty.to_string(),
            "Foo < 'static , 'static , 'static , Bar < 'static > , [u8 ; 4] >"
        );
        let ty = replace_lifetimes(quote!(Result<&'a str, &'static str>), "_");
        assert_eq!(ty.to_string(), "Result < & '_ str , & 'static str >");
    }

    #[test]
    fn name_suggestions() {
        assert_eq!(suggest_name("Database"), "database");
        assert_eq!(suggest_name("__x"), "x");
        assert_eq!(suggest_name("café"), "caf_");
        assert_eq!(suggest_name("___"), "my_check");
        assert_eq!(suggest_name(&"a".repeat(70)).len(), 63);
    }
}
