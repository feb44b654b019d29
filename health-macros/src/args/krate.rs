//! `crate = "path"`: where the expansion finds the `health` crate.

use super::literal::expect_str;
use crate::errors::Errors;
use crate::key::Key;
use syn::{Expr, Path};

/// `crate = "my_health"`, `crate = "crate::reexport::health"`.
pub(super) fn krate(expr: &Expr, errors: &mut Errors) -> Option<Path> {
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

#[cfg(test)]
mod tests {
    use super::krate;
    use crate::errors::Errors;
    use quote::ToTokens;
    use syn::parse_quote;

    #[test]
    fn paths() {
        let mut errors = Errors::default();
        let path = krate(&parse_quote!("crate::reexport::health"), &mut errors);
        let path = path.map(|p| p.to_token_stream().to_string());
        assert_eq!(path.as_deref(), Some("crate :: reexport :: health"));
        assert!(krate(&parse_quote!("not a path"), &mut errors).is_none());
        assert!(krate(&parse_quote!(health), &mut errors).is_none());
        assert_eq!(
            errors.messages(),
            [
                "expected the path of the `health` crate, e.g. `crate = \"my_health\"` or `crate = \"crate::reexport::health\"`",
                "expected a string literal, e.g. `crate = \"my_health\"`"
            ]
        );
    }
}
