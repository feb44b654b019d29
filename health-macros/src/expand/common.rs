//! What the expansions of a check and a task share.

use crate::args::Probe;
use crate::item::Output;
use crate::validate::Common;
use proc_macro2::{Delimiter, Group, Ident, Literal, TokenStream};
use quote::{format_ident, quote, quote_spanned};

/// `name: "..", tags: &[..], location: .., requires: &[..],`: the fields
/// every descriptor has, but its policy.
pub(super) fn fields(common: &Common) -> TokenStream {
    let p = &common.krate;
    let ident = &common.func.ident;
    let name = Literal::string(&common.name);
    let tags = common.tags.iter().map(|tag| Literal::string(tag));
    let location = quote_spanned! {ident.span()=>
        #p::__private::Location::new(::core::file!(), ::core::line!(), ::core::column!())
    };
    let requires = common
        .func
        .params
        .iter()
        .map(|(ty, span)| quote_spanned!(*span=> #p::__private::StateReq::of::<#ty>()));
    quote! {
        name: #name,
        tags: &[#(#tags),*],
        location: #location,
        requires: &[#(#requires),*],
    }
}

/// The variable each `&T` parameter's state is bound to, in order.
pub(super) fn state_args(common: &Common) -> Vec<Ident> {
    (0..common.func.params.len())
        .map(|i| format_ident!("__health_arg{}", i))
        .collect()
}

/// The lookups of the state of each `&T` parameter, each bound to its
/// [`state_args`] variable; a missing one returns `missing::<T>()` (a
/// function of `__private`).
pub(super) fn lookups(common: &Common, missing: &str) -> TokenStream {
    let p = &common.krate;
    let missing = format_ident!("{}", missing);
    let args = state_args(common);
    let lookups = common.func.params.iter().zip(&args).map(|((ty, _), arg)| {
        quote! {
            let #arg = match #p::__private::State::get::<#ty>(&__health_state) {
                #p::__private::Option::Some(__health_value) => __health_value,
                #p::__private::Option::None => return #p::__private::#missing::<#ty>(),
            };
        }
    });
    quote!(#(#lookups)*)
}

/// The run owns a handle to the state only if it looks something up.
pub(super) fn clone_state(common: &Common) -> Option<TokenStream> {
    (!common.func.params.is_empty())
        .then(|| quote!(let __health_state = ::core::clone::Clone::clone(__health_state);))
}

/// The assertion that the return type implements `assert` (a function of
/// `__private`), and the conversion of `__health_output` by `convert` (a
/// path under `__private`). Both carry the span of the user's return type,
/// so a type of the wrong kind is reported there, once: rustc drops an
/// error implied by another at the same span in the same body. The
/// converted value is `identity(value)` spanned from the type's first to
/// its last token, the span rustc gives the asserted type.
pub(super) fn output(
    common: &Common,
    assert: &str,
    convert: TokenStream,
) -> (Option<TokenStream>, TokenStream) {
    let p = &common.krate;
    let assert = format_ident!("{}", assert);
    match &common.func.output {
        Some(Output { ty, first, last }) => {
            let mut value = Group::new(Delimiter::Parenthesis, quote!(__health_output));
            value.set_span(*last);
            (
                Some(quote_spanned!(*first=> let () = #p::__private::#assert::<#ty>();)),
                quote_spanned!(*first=> #p::__private::#convert(::core::convert::identity #value)),
            )
        }
        None => (None, quote!(#p::__private::#convert(__health_output))),
    }
}

/// `Policy::DEFAULT` and a setter for criticality and probes where they
/// are not the default: every setter is a `const fn` call that rustc
/// evaluates, so a declaration with defaults costs less to compile.
pub(super) fn policy(common: &Common) -> TokenStream {
    let p = &common.krate;
    let mut policy = quote!(#p::__private::Policy::DEFAULT);
    if !common.critical {
        policy.extend(quote!(.with_critical(false)));
    }
    if common.probes != [Probe::Readiness] {
        let probes = common
            .probes
            .iter()
            .map(|probe| format_ident!("{}", probe.variant()));
        policy.extend(quote! {
            .with_probes(#p::__private::Probes::NONE #(.with(#p::__private::Probe::#probes))*)
        });
    }
    policy
}

/// `Duration::from_nanos(nanos)`.
pub(super) fn duration(common: &Common, nanos: u64) -> TokenStream {
    let p = &common.krate;
    let nanos = Literal::u64_unsuffixed(nanos);
    quote!(#p::__private::Duration::from_nanos(#nanos))
}
