//! What a check and a task share: the crate path, the name, tags,
//! criticality and probes, and the function.

use crate::args::{Args, Probe};
use crate::errors::Errors;
use crate::item::{self, Func};
use crate::key::{Attr, Key};
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;

/// What the expansion of a check or a task needs besides its own
/// settings, checked.
pub(crate) struct Common {
    /// The path of the facade crate: `::health` unless `crate = "..."`.
    pub(crate) krate: TokenStream,
    pub(crate) name: String,
    pub(crate) tags: Vec<String>,
    pub(crate) critical: bool,
    pub(crate) probes: Vec<Probe>,
    pub(crate) func: Func,
}

/// Checks the function `item` that `attr` annotates, and takes the shared
/// arguments, each invalid one replaced by its default (the function's
/// name for a bad `name`, ...). `None` when nothing can be registered: the
/// function cannot be called as written, or the `crate` path is invalid
/// (the expansion could name nothing).
pub(super) fn common(
    args: &Args,
    attr: Attr,
    item: &TokenStream,
    errors: &mut Errors,
) -> Option<Common> {
    let func = item::check(item, attr, args.given(Key::Name).is_some(), errors)?;
    let krate = match (args.given(Key::Crate), args.krate()) {
        (None, _) => quote::quote!(::health),
        (Some(_), Some(path)) => path.to_token_stream(),
        (Some(_), None) => return None,
    };
    Some(Common {
        krate,
        name: match args.name() {
            Some(name) => name.to_owned(),
            None => func.ident.unraw().to_string(),
        },
        tags: args.tags().map(<[String]>::to_vec).unwrap_or_default(),
        critical: args.critical().unwrap_or(true),
        probes: args
            .probes()
            .map_or_else(|| vec![Probe::Readiness], <[Probe]>::to_vec),
        func,
    })
}
