//! The layer table of the crate docs (`src/lib.rs`, "Files and layers")
//! against the code: it names every file, each row names exactly the
//! modules its file refers to (through `crate::` and `super::` paths, and
//! the paths of the modules a file declares), and each file refers only to
//! rows above its own, so no two files refer to each other, even through
//! others.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Every `.rs` file under `src`, as a path relative to it (`args/mod.rs`).
fn files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .expect("src is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).expect("UTF-8");
        if path.is_dir() {
            files(&path, &format!("{prefix}{name}/"), out);
        } else if name.ends_with(".rs") {
            out.push(format!("{prefix}{name}"));
        }
    }
}

/// The module a file is: `args/mod.rs` is `args`, `args/given.rs` is
/// `args::given`, `lib.rs` is the root, written `crate`.
fn module_of(file: &str) -> String {
    let path = file
        .strip_suffix(".rs")
        .expect("a .rs file")
        .trim_end_matches("/mod");
    if path == "lib" {
        "crate".to_owned()
    } else {
        path.replace('/', "::")
    }
}

/// `base::segments...` resolved to the longest module prefix that is a
/// file of the crate; `None` when the first segment is no module (a
/// `crate::reexport` path in a string or an example).
fn resolve(base: &str, segments: &[&str], modules: &BTreeSet<String>) -> Option<String> {
    let mut found = None;
    let mut path = base.to_owned();
    for segment in segments {
        path = if path == "crate" {
            (*segment).to_owned()
        } else {
            format!("{path}::{segment}")
        };
        if modules.contains(&path) {
            found = Some(path.clone());
        } else {
            break;
        }
    }
    found
}

/// The identifier segments of the path that starts at `text`.
fn segments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        out.push(&rest[..end]);
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    out
}

/// The modules of the crate that `source` (the file of `module`) refers
/// to, comments left out. Inside a `mod tests` block `super` is the file
/// itself.
fn references(module: &str, source: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let parent = match module.rsplit_once("::") {
        Some((parent, _)) => parent.to_owned(),
        None => "crate".to_owned(),
    };
    let declared: Vec<String> = source
        .lines()
        .filter_map(|line| {
            let line = line.trim().trim_start_matches("pub(crate) ");
            let name = line.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(name.to_owned())
        })
        .collect();
    let mut found = BTreeSet::new();
    let mut in_tests = false;
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("mod tests {") {
            in_tests = true;
        }
        if code.starts_with("//") {
            continue;
        }
        assert!(
            !code.contains("crate::{") && !code.contains("super::{super"),
            "{module}: name one module per `use` line: {line}"
        );
        for (at, _) in code.match_indices("crate::") {
            let preceded =
                code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
            if !preceded {
                found.extend(resolve("crate", &segments(&code[at + 7..]), modules));
            }
        }
        for (at, _) in code.match_indices("super::") {
            if code[..at].ends_with("super::") {
                continue;
            }
            let mut rest = &code[at..];
            let mut base = if in_tests {
                module.to_owned()
            } else {
                parent.clone()
            };
            rest = &rest["super::".len()..];
            while let Some(next) = rest.strip_prefix("super::") {
                base = match base.rsplit_once("::") {
                    Some((up, _)) => up.to_owned(),
                    None => "crate".to_owned(),
                };
                rest = next;
            }
            // `super::{a, b}`: each name in the braces.
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for name in group.split(',').map(str::trim) {
                    found.extend(resolve(&base, &segments(name), modules));
                }
            } else {
                found.extend(resolve(&base, &segments(rest), modules));
            }
        }
        for name in &declared {
            let path = format!("{name}::");
            for (at, _) in code.match_indices(&path) {
                let preceded =
                    code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':');
                if !preceded {
                    found.extend(resolve(module, &segments(&code[at..]), modules));
                }
            }
        }
    }
    found.remove(module);
    found
}

/// The rows of the table: file, and the modules it may import.
fn table(lib: &str) -> Vec<(String, BTreeSet<String>)> {
    lib.lines()
        .skip_while(|line| !line.starts_with("//! # Files and layers"))
        .filter_map(|line| line.strip_prefix("//! | `"))
        .map(|row| {
            let (file, rest) = row.split_once('`').expect("a file in backticks");
            let imports = rest
                .trim_end_matches('|')
                .rsplit('|')
                .next()
                .unwrap_or_default();
            let imports = imports
                .split(',')
                .map(|m| m.trim().trim_matches('`').to_owned())
                .filter(|m| !m.is_empty())
                .collect();
            (file.to_owned(), imports)
        })
        .collect()
}

#[test]
fn the_layer_table_is_the_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, "", &mut all);
    let modules: BTreeSet<String> = all.iter().map(|f| module_of(f)).collect();
    let lib = fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let rows = table(&lib);

    let listed: Vec<&str> = rows.iter().map(|(file, _)| file.as_str()).collect();
    let mut sorted_listed = listed.clone();
    sorted_listed.sort_unstable();
    let mut sorted_all: Vec<&str> = all.iter().map(String::as_str).collect();
    sorted_all.sort_unstable();
    assert_eq!(
        sorted_listed, sorted_all,
        "the table names every file, once"
    );

    let row_of: BTreeMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, (file, _))| (module_of(file), i))
        .collect();
    let mut problems = Vec::new();
    for (i, (file, imports)) in rows.iter().enumerate() {
        let module = module_of(file);
        let source = fs::read_to_string(src.join(file)).expect("a source file");
        let actual = references(&module, &source, &modules);
        if &actual != imports {
            problems.push(format!(
                "{file}: the table says {imports:?}, the code imports {actual:?}"
            ));
        }
        for import in &actual {
            if row_of.get(import).is_none_or(|row| *row >= i) {
                problems.push(format!("{file} imports `{import}`, which is not above it"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_reader_sees_every_kind_of_path() {
    let modules: BTreeSet<String> = ["crate", "a", "a::b", "a::c", "d"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    let source = "\
mod b;
use super::c::Thing;
use crate::d::Item;
// use crate::a::c; (a comment)
fn f() { b::g(); let _ = \"crate::reexport::health\"; }
#[cfg(test)]
mod tests {
    use super::{f, b};
}
";
    let found = references("a::b", source, &modules);
    // `b::g` in a::b would be a::b::b: no such module.
    let expected: BTreeSet<String> = ["a::c", "d"].into_iter().map(str::to_owned).collect();
    assert_eq!(found, expected);
    let root = references("crate", "mod a;\nfn x() { a::b::f(); }\n", &modules);
    assert_eq!(root, ["a::b".to_owned()].into_iter().collect());
}
