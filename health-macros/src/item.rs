//! The annotated function: parsed, checked, reduced to what expand.rs needs.
//!
//! Its body is kept as opaque tokens: the expansion never looks inside,
//! and the function is emitted unchanged. A check and a task follow the
//! same rules, but a task must be `async` and may take one parameter by
//! value, its `Heartbeat`.

use crate::errors::Errors;
use crate::key::{Attr, Key};
use crate::suggest;
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{
    Attribute, FnArg, GenericParam, PatType, ReturnType, Safety, Signature, Type, Visibility,
};

/// The annotated function, as the expansion sees it.
pub(crate) struct Func {
    pub(crate) ident: Ident,
    pub(crate) is_async: bool,
    /// `T` of each `&T` parameter, named lifetimes made `'static` (state is
    /// looked up by `TypeId`), with the span of the user's type.
    pub(crate) params: Vec<(TokenStream, Span)>,
    /// A task's by-value parameter, which receives its `Heartbeat`.
    pub(crate) heartbeat: Option<HeartbeatParam>,
    /// The return type (`()` when none is written), for the `IntoOutcome`
    /// (or a task's result) assertion; `None` when it contains `impl Trait`.
    pub(crate) output: Option<Output>,
}

/// A task's by-value parameter: it is passed the task's `Heartbeat`, so a
/// type that is not one is rustc's error, at the user's type.
pub(crate) struct HeartbeatParam {
    /// Its place among the parameters.
    pub(crate) index: usize,
    /// The whole parameter, `heartbeat: Heartbeat`, for errors about it.
    pub(crate) tokens: TokenStream,
    /// Its pattern, `heartbeat`, for messages.
    pub(crate) pat: String,
    /// Its type's first token.
    pub(crate) span: Span,
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
    /// Whether a `{ .. }` body ends the item (not `;`).
    body: bool,
}

impl Parse for FnItem {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(Attribute::parse_outer)?;
        input.parse::<Visibility>()?;
        let sig: Signature = input.parse()?;
        let body = matches!(
            input.parse::<TokenTree>(),
            Ok(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace && input.is_empty()
        );
        input.parse::<TokenStream>()?;
        Ok(FnItem { sig, body })
    }
}

/// Checks the function `item` that `attr` annotates; every mistake goes
/// to `errors`. `named` tells whether the attribute names the check or
/// task; if not, the function's name must be a valid name. `None` when
/// the registry cannot call the function as written (not a function,
/// generic, `self`, a parameter that is no `&T`, a task that is not
/// `async`, ...): then nothing is registered. An invalid function name
/// alone still gives the function.
pub(crate) fn check(
    item: &TokenStream,
    attr: Attr,
    named: bool,
    errors: &mut Errors,
) -> Option<Func> {
    let sig = match syn::parse2::<FnItem>(item.clone()) {
        Ok(FnItem { sig, body: true }) => sig,
        Ok(FnItem { sig, body: false }) => {
            errors.at(
                sig.ident.span(),
                format_args!("`{}` needs a function with a body", attr.written()),
            );
            return None;
        }
        Err(error) => {
            let what = match attr {
                Attr::Check => "a function (`fn` or `async fn`)",
                Attr::Task => "an `async fn`",
            };
            errors.at(
                error.span(),
                format_args!("`{}` applies to {what}: {error}", attr.written()),
            );
            return None;
        }
    };
    let noun = Noun(attr);
    let mut callable = check_qualifiers(&sig, noun, errors);
    if attr == Attr::Task && sig.asyncness.is_none() {
        errors.at(
            sig.fn_token.span,
            "a health task must be an `async fn`: it runs for the life of the service on the async runtime; write `async fn`, and run blocking work inside it with `tokio::task::spawn_blocking`",
        );
        callable = false;
    }
    let params = check_params(&sig, attr, errors);
    if !named {
        check_fn_name(&sig.ident, attr, errors);
    }
    let (params, heartbeat) = params.filter(|_| callable)?;
    Some(Func {
        ident: sig.ident.clone(),
        is_async: sig.asyncness.is_some(),
        params,
        heartbeat,
        output: output(&sig),
    })
}

/// "a health check" or "a health task", in messages.
#[derive(Clone, Copy)]
struct Noun(Attr);

impl std::fmt::Display for Noun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a health {}", self.0.what())
    }
}

/// `const`, `unsafe`, `extern`, generics, `...`: whether there is none.
fn check_qualifiers(sig: &Signature, noun: Noun, errors: &mut Errors) -> bool {
    let mut callable = true;
    let mut refuse = |error: syn::Error| {
        errors.push(error);
        callable = false;
    };
    if let Some(constness) = &sig.constness {
        refuse(syn::Error::new(
            constness.span,
            format_args!("{noun} cannot be a `const fn`: remove `const`"),
        ));
    }
    if let Safety::Unsafe(unsafety) = &sig.safety {
        refuse(syn::Error::new(
            unsafety.span,
            format_args!(
                "{noun} cannot be an `unsafe fn`: the registry cannot uphold its safety contract; remove `unsafe` (and use an `unsafe` block inside)"
            ),
        ));
    }
    if let Some(abi) = &sig.abi {
        refuse(syn::Error::new_spanned(
            abi,
            format_args!(
                "{noun} cannot have an ABI: remove the `extern`; the registry calls it as a Rust function"
            ),
        ));
    }
    if sig
        .generics
        .params
        .iter()
        .any(|p| !matches!(p, GenericParam::Lifetime(_)))
    {
        refuse(syn::Error::new_spanned(
            &sig.generics,
            format_args!(
                "{noun} cannot be generic: the registry calls it without choosing types; remove the type and const parameters (lifetimes are fine)"
            ),
        ));
    }
    if let Some(variadic) = &sig.variadic {
        refuse(syn::Error::new_spanned(
            variadic,
            format_args!("{noun} cannot be variadic: remove the `...`"),
        ));
    }
    callable
}

/// The state types of the `&T` parameters, and a task's `Heartbeat`
/// parameter.
type Params = (Vec<(TokenStream, Span)>, Option<HeartbeatParam>);

/// The parameters; `None` (after reporting) when one is neither a `&T`
/// nor a task's `Heartbeat`.
fn check_params(sig: &Signature, attr: Attr, errors: &mut Errors) -> Option<Params> {
    let noun = Noun(attr);
    let mut params = Vec::new();
    let mut heartbeat: Option<HeartbeatParam> = None;
    let mut valid = true;
    for (index, input) in sig.inputs.iter().enumerate() {
        let param = match input {
            FnArg::Receiver(receiver) => {
                errors.push(syn::Error::new_spanned(
                    receiver,
                    format_args!("{noun} cannot take `self`: make it a free function that takes what it needs as `&T` parameters, resolved from `Registry::builder().state(value)`"),
                ));
                valid = false;
                continue;
            }
            FnArg::Typed(param) => param,
        };
        if attr == Attr::Task && by_value(&param.ty) {
            match &heartbeat {
                None => heartbeat = Some(heartbeat_param(index, param)),
                Some(first) => {
                    errors.push(syn::Error::new_spanned(
                        &param.ty,
                        format_args!(
                            "a health task takes at most one parameter by value, its `Heartbeat` (`{}` here); every other parameter is a shared reference `&T` to state given with `Registry::builder().state(value)`: write `&{}`",
                            first.pat,
                            param.ty.to_token_stream()
                        ),
                    ));
                    valid = false;
                }
            }
            continue;
        }
        match state_type(&param.ty, noun, errors) {
            Some(ty) => {
                params.push((replace_lifetimes(ty.to_token_stream(), "static"), ty.span()));
            }
            None => valid = false,
        }
    }
    valid.then_some((params, heartbeat))
}

/// Whether a task's parameter of type `ty` is taken by value (its
/// `Heartbeat`): not a reference, and no `impl Trait` (refused as a state
/// parameter would be).
fn by_value(ty: &Type) -> bool {
    match ty {
        Type::Group(group) => by_value(&group.elem),
        Type::Paren(paren) => by_value(&paren.elem),
        Type::Reference(_) => false,
        ty => !contains_impl(&ty.to_token_stream()),
    }
}

fn heartbeat_param(index: usize, param: &PatType) -> HeartbeatParam {
    HeartbeatParam {
        index,
        tokens: param.to_token_stream(),
        pat: param.pat.to_token_stream().to_string(),
        span: edges(&param.ty.to_token_stream(), param.ty.span()).0,
    }
}

/// Without `name = ".."`, the check or task is named after the function:
/// that name must follow the rule.
fn check_fn_name(ident: &Ident, attr: Attr, errors: &mut Errors) {
    let name = ident.unraw().to_string();
    let what = attr.what();
    if let Some(problem) = health_names::problem(&name) {
        let attribute = attr.written().trim_end_matches(']');
        errors.at(
            ident.span(),
            format_args!(
                "the {what} is named after the function, and `{name}` is not a valid {what} name: {problem} (a name matches {}); name the {what} with `{attribute}({} = {:?})]`",
                health_names::PATTERN,
                Key::Name.as_str(),
                suggest::check_name(&name)
            ),
        );
    }
}

/// The spans of the first and last tokens of `tokens` (a group's
/// delimiters), `fallback` for none.
fn edges(tokens: &TokenStream, fallback: Span) -> (Span, Span) {
    let first = tokens.clone().into_iter().next().map(|t| match t {
        TokenTree::Group(group) => group.span_open(),
        other => other.span(),
    });
    let last = tokens.clone().into_iter().last().map(|t| match t {
        TokenTree::Group(group) => group.span_close(),
        other => other.span(),
    });
    let first = first.unwrap_or(fallback);
    (first, last.unwrap_or(first))
}

/// The return type, for the `IntoOutcome` assertion: `()` when none is
/// written, `None` when it contains `impl Trait`.
fn output(sig: &Signature) -> Option<Output> {
    match &sig.output {
        ReturnType::Type(_, ty) if contains_impl(&ty.to_token_stream()) => None,
        ReturnType::Type(_, ty) => {
            let tokens = ty.to_token_stream();
            let (first, last) = edges(&tokens, ty.span());
            Some(Output {
                ty: replace_lifetimes(tokens, "_"),
                first,
                last,
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
    }
}

/// `T` of a parameter `&T`; `None` (after reporting) for anything else.
fn state_type<'a>(ty: &'a Type, noun: Noun, errors: &mut Errors) -> Option<&'a Type> {
    if contains_impl(&ty.to_token_stream()) {
        errors.push(syn::Error::new_spanned(
            ty,
            format_args!("`impl Trait` parameters make {noun} generic: take a shared reference to a concrete type, e.g. `client: &Client`"),
        ));
        return None;
    }
    match ty {
        Type::Group(group) => state_type(&group.elem, noun, errors),
        Type::Paren(paren) => state_type(&paren.elem, noun, errors),
        Type::Reference(reference) if reference.mutability.is_some() => {
            errors.push(syn::Error::new_spanned(
                ty,
                format_args!(
                    "{noun} parameter must be a shared reference `&T`, not `&mut T`: state is shared by concurrent runs; write `&{}` and put a `Mutex` (or an atomic) inside for what must change",
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
                    "{noun} parameter must be a shared reference `&T` to state given with `Registry::builder().state(value)`: write `&{}`",
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

#[cfg(test)]
mod tests {
    use super::{Func, check, replace_lifetimes};
    use crate::errors::Errors;
    use crate::key::Attr;
    use proc_macro2::TokenStream;
    use quote::quote;

    /// The function under `#[health_check]`, and every error message.
    fn checked(item: TokenStream, named: bool) -> (Option<Func>, Vec<String>) {
        checked_as(Attr::Check, item, named)
    }

    /// The function under `#[health_task]` (unnamed), and every error message.
    fn task(item: TokenStream) -> (Option<Func>, Vec<String>) {
        checked_as(Attr::Task, item, false)
    }

    fn checked_as(attr: Attr, item: TokenStream, named: bool) -> (Option<Func>, Vec<String>) {
        let mut errors = Errors::default();
        let func = check(&item, attr, named, &mut errors);
        (func, errors.messages())
    }

    #[test]
    fn async_fn_with_state() {
        let (func, errors) = checked(
            quote!(
                pub async fn r#type<'a>(pool: &'a Pool<'a>, (config): &Config) -> Result<(), E> {
                    body
                }
            ),
            false,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let Some(func) = func else { panic!("valid") };
        assert_eq!(func.ident.to_string(), "r#type");
        assert!(func.is_async);
        let params: Vec<_> = func.params.iter().map(|(ty, _)| ty.to_string()).collect();
        assert_eq!(params, ["Pool < 'static >", "Config"]);
        assert_eq!(
            func.output.map(|o| o.ty.to_string()).as_deref(),
            Some("Result < () , E >")
        );
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
            let (func, e) = checked(item.clone(), false);
            assert!(e.len() == 1 && e[0].contains(expected), "{item}: {e:?}");
            assert!(func.is_none(), "{item}: nothing to register");
        }
    }

    #[test]
    fn function_name_as_check_name() {
        for (item, expected) in [
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
        ] {
            let (func, e) = checked(item.clone(), false);
            assert!(e.len() == 1 && e[0].contains(expected), "{item}: {e:?}");
            assert!(func.is_some(), "{item}: registered, under its fn name");
        }
        let (func, e) = checked(
            quote!(
                fn Database<'a>(x: &'a X) {}
            ),
            true,
        );
        assert!(e.is_empty() && func.is_some(), "named: {e:?}");
    }

    #[test]
    fn several_mistakes_at_once() {
        let (func, e) = checked(
            quote!(
                const fn F<T>(x: T, y: &mut T) {}
            ),
            false,
        );
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(func.is_none());
    }

    #[test]
    fn output_with_impl_is_not_asserted() {
        let (func, _) = checked(
            quote!(
                fn f() -> impl health::IntoOutcome {}
            ),
            false,
        );
        assert!(func.is_some_and(|f| f.output.is_none()));
        let (func, _) = checked(
            quote!(
                fn f() {}
            ),
            false,
        );
        let output = func.and_then(|f| f.output).map(|o| o.ty.to_string());
        assert_eq!(output.as_deref(), Some("()"));
    }

    #[test]
    fn task_with_heartbeat_and_state() {
        let (func, errors) = task(quote!(
            async fn consumer(queue: &Queue, heartbeat: health::Heartbeat, config: &Config<'a>) {}
        ));
        assert!(errors.is_empty(), "{errors:?}");
        let Some(func) = func else { panic!("valid") };
        let params: Vec<_> = func.params.iter().map(|(ty, _)| ty.to_string()).collect();
        assert_eq!(params, ["Queue", "Config < 'static >"]);
        let heartbeat = func.heartbeat.expect("by value");
        assert_eq!(heartbeat.index, 1);
        assert_eq!(
            heartbeat.tokens.to_string(),
            "heartbeat : health :: Heartbeat"
        );
        assert_eq!(heartbeat.pat, "heartbeat");
        let (func, errors) = task(quote!(
            async fn sweeper(pool: &Pool) -> Result<(), E> {}
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert!(func.is_some_and(|f| f.heartbeat.is_none() && f.params.len() == 1));
    }

    #[test]
    fn task_checks() {
        for (item, expected) in [
            (
                quote!(
                    fn consumer() {}
                ),
                "a health task must be an `async fn`",
            ),
            (
                quote!(
                    async fn consumer(a: Heartbeat, b: Pool) {}
                ),
                "at most one parameter by value, its `Heartbeat` (`a` here)",
            ),
            (
                quote!(
                    async fn consumer<T>() {}
                ),
                "a health task cannot be generic",
            ),
            (
                quote!(
                    async fn consumer(&self) {}
                ),
                "a health task cannot take `self`",
            ),
            (
                quote!(
                    async fn consumer(h: impl Sized) {}
                ),
                "`impl Trait` parameters make a health task generic",
            ),
            (
                quote!(
                    async fn consumer(q: &mut Queue) {}
                ),
                "a health task parameter must be a shared reference `&T`, not `&mut T`",
            ),
            (
                quote!(
                    struct S;
                ),
                "`#[health_task]` applies to an `async fn`",
            ),
            (
                quote!(
                    async fn consumer();
                ),
                "`#[health_task]` needs a function with a body",
            ),
        ] {
            let (func, e) = task(item.clone());
            assert!(e.len() == 1 && e[0].contains(expected), "{item}: {e:?}");
            assert!(func.is_none(), "{item}: nothing to register");
        }
        let (func, e) = task(quote!(
            async fn Consumer() {}
        ));
        assert!(
            e.len() == 1
                && e[0].contains("the task is named after the function")
                && e[0].ends_with("`#[health_task(name = \"consumer\")]`"),
            "{e:?}"
        );
        assert!(func.is_some());
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
}
