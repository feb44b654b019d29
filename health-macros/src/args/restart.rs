//! `restart = ".."`: when a task is started again.

use super::literal::expect_str;
use crate::errors::Errors;
use crate::key::Key;
use crate::suggest;
use syn::Expr;

/// One of the three restart policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Restart {
    Never,
    OnFailure,
    Always,
}

impl Restart {
    pub(crate) const ALL: [Restart; 3] = [Restart::Never, Restart::OnFailure, Restart::Always];

    /// The name in the attribute: `"on_failure"`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Restart::Never => "never",
            Restart::OnFailure => "on_failure",
            Restart::Always => "always",
        }
    }

    /// The variant of `health::task::Restart`: `OnFailure`.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Restart::Never => "Never",
            Restart::OnFailure => "OnFailure",
            Restart::Always => "Always",
        }
    }
}

/// `restart = "on_failure"`; an unknown one is an error at the literal,
/// with the closest policy and the list of all.
pub(super) fn restart(expr: &Expr, errors: &mut Errors) -> Option<Restart> {
    let lit = expect_str(Key::Restart, expr, errors)?;
    let text = lit.value();
    if let Some(restart) = Restart::ALL.into_iter().find(|r| r.as_str() == text) {
        return Some(restart);
    }
    let names = Restart::ALL.map(Restart::as_str);
    // `on-failure`, `OnFailure`: the same words.
    let words = text.to_ascii_lowercase().replace(['-', ' '], "_");
    let hint = match suggest::closest(&words, &names) {
        Some(similar) => format!("; did you mean \"{similar}\"?"),
        None => String::new(),
    };
    let expected = names.map(|n| format!("\"{n}\"")).join(", ");
    errors.at(
        lit.span(),
        format_args!("unknown restart policy {text:?}{hint} (expected one of {expected})"),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::{Restart, restart};
    use crate::errors::Errors;
    use syn::{Expr, parse_quote};

    fn parsed(expr: Expr) -> Result<Restart, Vec<String>> {
        let mut errors = Errors::default();
        restart(&expr, &mut errors).ok_or_else(|| errors.messages())
    }

    #[test]
    fn each_policy() {
        for policy in Restart::ALL {
            let text = policy.as_str();
            assert_eq!(parsed(parse_quote!(#text)), Ok(policy));
        }
    }

    #[test]
    fn unknown_policy_with_hint_and_list() {
        assert_eq!(
            parsed(parse_quote!("on-failure")),
            Err(vec![
                "unknown restart policy \"on-failure\"; did you mean \"on_failure\"? (expected one of \"never\", \"on_failure\", \"always\")".to_owned()
            ])
        );
        assert!(parsed(parse_quote!("OnFailure")).is_err_and(|e| e[0].contains("\"on_failure\"?")));
        assert!(parsed(parse_quote!("allways")).is_err_and(|e| e[0].contains("\"always\"?")));
        assert!(parsed(parse_quote!("sometimes")).is_err_and(|e| !e[0].contains("did you mean")));
        assert_eq!(
            parsed(parse_quote!(never)),
            Err(vec![
                "expected a string literal, e.g. `restart = \"on_failure\"`".to_owned()
            ])
        );
    }
}
