//! `probe = ".."` and `probes = [..]`: the probes a check takes part in.

use super::literal::{expect_str, expect_str_list};
use crate::errors::Errors;
use crate::key::Key;
use crate::suggest;
use syn::spanned::Spanned;
use syn::{Expr, LitStr};

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

/// `probe = "liveness"`: one probe, not a list.
pub(super) fn probe(expr: &Expr, errors: &mut Errors) -> Option<Probe> {
    if let Expr::Array(_) = expr {
        let message = format!(
            "`probe` takes one probe; for several write `{}`",
            Key::Probes.example()
        );
        errors.at(expr.span(), message);
        return None;
    }
    named(expect_str(Key::Probe, expr, errors)?, errors)
}

/// `probes = ["liveness", ...]`: at least one, each once.
pub(super) fn probes(expr: &Expr, errors: &mut Errors) -> Option<Vec<Probe>> {
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
        match named(lit, errors) {
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

/// The probe `lit` names; an unknown one is an error at `lit`, with the
/// closest probe and the list of all.
fn named(lit: &LitStr, errors: &mut Errors) -> Option<Probe> {
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
    use super::{Probe, probe, probes};
    use crate::errors::Errors;
    use syn::{Expr, parse_quote};

    fn errors_of<T>(parse: fn(&Expr, &mut Errors) -> Option<T>, expr: Expr) -> Vec<String> {
        let mut errors = Errors::default();
        assert!(parse(&expr, &mut errors).is_none());
        errors.messages()
    }

    #[test]
    fn one_or_several() {
        let mut errors = Errors::default();
        assert_eq!(
            probe(&parse_quote!("startup"), &mut errors),
            Some(Probe::Startup)
        );
        assert_eq!(
            probes(&parse_quote!(["liveness", "startup"]), &mut errors),
            Some(vec![Probe::Liveness, Probe::Startup])
        );
        assert!(errors.is_empty());
        assert!(errors_of(probe, parse_quote!(["liveness"]))[0].contains("probes = ["));
        assert!(errors_of(probes, parse_quote!([]))[0].contains("`probes` is empty"));
        assert_eq!(
            errors_of(probes, parse_quote!(["startup", "startup"])),
            ["repeated probe \"startup\": list it once"]
        );
    }

    #[test]
    fn unknown_probe_with_hint_and_list() {
        let unknown = errors_of(probe, parse_quote!("ready"));
        assert_eq!(
            unknown,
            [
                "unknown probe \"ready\"; did you mean \"readiness\"? (expected one of \"liveness\", \"readiness\", \"startup\")"
            ]
        );
        let unknown = errors_of(probes, parse_quote!(["liveness", "x", "y"]));
        assert_eq!(unknown.len(), 2, "every unknown probe: {unknown:?}");
    }
}
