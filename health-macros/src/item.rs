//! The annotated function: parsed, checked, reduced to what expand.rs needs.
//!
//! Its body is kept as opaque tokens: the expansion never looks inside,
//! and the function is emitted unchanged.

use crate::errors::Errors;
use crate::suggest;
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, GenericParam, ReturnType, Safety, Signature, Type, Visibility};

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

/// Checks the annotated function; every mistake goes to `errors`. `named`
/// tells whether the attribute names the check; if not, the function's
/// name must be a valid check name. `None` when the registry cannot call
/// the function as written (not a function, generic, `self`, a parameter
/// that is no `&T`, ...): then nothing is registered. An invalid function
/// name alone still gives the function.
pub(crate) fn check(item: &TokenStream, named: bool, errors: &mut Errors) -> Option<Func> {
    let sig = match syn::parse2::<FnItem>(item.clone()) {
        Ok(item) => item.sig,
        Err(error) => {
            errors.at(
                error.span(),
                format_args!(
                    "`#[health_check]` applies to a function (`fn` or `async fn`): {error}"
                ),
            );
            return None;
        }
    };
    let callable = check_qualifiers(&sig, errors);
    let params = check_params(&sig, errors);
    if !named {
        check_fn_name(&sig.ident, errors);
    }
    let params = params.filter(|_| callable)?;
    Some(Func {
        ident: sig.ident.clone(),
        is_async: sig.asyncness.is_some(),
        params,
        output: output(&sig),
    })
}

/// `const`, `unsafe`, `extern`, generics, `...`: whether there is none.
fn check_qualifiers(sig: &Signature, errors: &mut Errors) -> bool {
    let mut callable = true;
    let mut refuse = |error: syn::Error| {
        errors.push(error);
        callable = false;
    };
    if let Some(constness) = &sig.constness {
        refuse(syn::Error::new(
            constness.span,
            "a health check cannot be a `const fn`: remove `const`",
        ));
    }
    if let Safety::Unsafe(unsafety) = &sig.safety {
        refuse(syn::Error::new(
            unsafety.span,
            "a health check cannot be an `unsafe fn`: the registry cannot uphold its safety contract; remove `unsafe` (and use an `unsafe` block inside)",
        ));
    }
    if let Some(abi) = &sig.abi {
        refuse(syn::Error::new_spanned(
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
        refuse(syn::Error::new_spanned(
            &sig.generics,
            "a health check cannot be generic: the registry calls it without choosing types; remove the type and const parameters (lifetimes are fine)",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        refuse(syn::Error::new_spanned(
            variadic,
            "a health check cannot be variadic: remove the `...`",
        ));
    }
    callable
}

/// The state types of the parameters; `None` (after reporting) when one
/// is not a `&T`.
fn check_params(sig: &Signature, errors: &mut Errors) -> Option<Vec<(TokenStream, Span)>> {
    let mut params = Vec::new();
    let mut valid = true;
    for input in &sig.inputs {
        match input {
            FnArg::Receiver(receiver) => {
                errors.push(syn::Error::new_spanned(
                    receiver,
                    "a health check cannot take `self`: make it a free function that takes what it needs as `&T` parameters, resolved from `Registry::builder().state(value)`",
                ));
                valid = false;
            }
            FnArg::Typed(param) => match state_type(&param.ty, errors) {
                Some(ty) => {
                    params.push((replace_lifetimes(ty.to_token_stream(), "static"), ty.span()));
                }
                None => valid = false,
            },
        }
    }
    valid.then_some(params)
}

/// Without `name = ".."`, the check is named after the function: that
/// name must follow the rule.
fn check_fn_name(ident: &Ident, errors: &mut Errors) {
    let name = ident.unraw().to_string();
    if let Some(problem) = health_names::problem(&name) {
        errors.at(
            ident.span(),
            format_args!(
                "the check is named after the function, and `{name}` is not a valid check name: {problem} (a name matches {}); name the check with `#[health_check(name = {:?})]`",
                health_names::PATTERN,
                suggest::check_name(&name)
            ),
        );
    }
}

/// The return type, for the `IntoOutcome` assertion: `()` when none is
/// written, `None` when it contains `impl Trait`.
fn output(sig: &Signature) -> Option<Output> {
    match &sig.output {
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

#[cfg(test)]
mod tests {
    use super::{Func, check, replace_lifetimes};
    use crate::errors::Errors;
    use proc_macro2::TokenStream;
    use quote::quote;

    /// The function, and every error message.
    fn checked(item: TokenStream, named: bool) -> (Option<Func>, Vec<String>) {
        let mut errors = Errors::default();
        let func = check(&item, named, &mut errors);
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
