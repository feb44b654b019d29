//! `name` and `tags`: strings that follow the name rule of `health-names`.

use super::literal::{expect_str, expect_str_list};
use crate::errors::Errors;
use crate::key::Key;
use syn::Expr;

/// `name = "db"`.
pub(super) fn name(expr: &Expr, errors: &mut Errors) -> Option<String> {
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

/// `tags = ["db", ...]`: each valid, each once.
pub(super) fn tags(expr: &Expr, errors: &mut Errors) -> Option<Vec<String>> {
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

#[cfg(test)]
mod tests {
    use super::{name, tags};
    use crate::errors::Errors;
    use syn::{Expr, parse_quote};

    fn run<T>(parse: fn(&Expr, &mut Errors) -> Option<T>, expr: Expr) -> (Option<T>, Vec<String>) {
        let mut errors = Errors::default();
        let value = parse(&expr, &mut errors);
        (value, errors.messages())
    }

    #[test]
    fn names() {
        assert_eq!(
            run(name, parse_quote!("db")),
            (Some("db".to_owned()), vec![])
        );
        let (value, errors) = run(name, parse_quote!("Db"));
        assert!(value.is_none());
        assert!(errors[0].starts_with("invalid name \"Db\""), "{errors:?}");
        let (_, errors) = run(name, parse_quote!(db));
        assert_eq!(errors, ["expected a string literal, e.g. `name = \"db\"`"]);
    }

    #[test]
    fn tag_lists() {
        let (value, errors) = run(tags, parse_quote!(["db", "sql"]));
        assert_eq!(value, Some(vec!["db".to_owned(), "sql".to_owned()]));
        assert!(errors.is_empty());
        let (value, errors) = run(tags, parse_quote!(["db", ""]));
        assert!(value.is_none());
        assert!(
            errors[0].contains("invalid tag \"\": it is empty"),
            "{errors:?}"
        );
        let (_, errors) = run(tags, parse_quote!(["db", "db"]));
        assert_eq!(errors, ["repeated tag \"db\": list it once"]);
        let (_, errors) = run(tags, parse_quote!("db"));
        assert!(errors[0].contains("write `tags = [\"db\"]`"), "{errors:?}");
    }

    #[test]
    fn names_and_tags_follow_the_shared_rule() {
        let max = "a".repeat(health_names::MAX_LEN);
        let longer = "a".repeat(health_names::MAX_LEN + 1);
        assert!(run(name, parse_quote!(#max)).1.is_empty());
        assert!(run(tags, parse_quote!([#max])).1.is_empty());
        let errors = [
            run(name, parse_quote!(#longer)).1,
            run(tags, parse_quote!([#longer])).1,
        ]
        .concat();
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
}
