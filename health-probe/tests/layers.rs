//! The layer table in the crate docs (`src/lib.rs`, "# Layers") against
//! the code: every module is in the table, imports (`crate::…`) only what
//! its row allows, and only from layers above its own. A module added, or
//! an import that breaks a layer, fails here until the table says so.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One row of the table.
#[derive(Debug)]
struct Row {
    layer: u32,
    may_import: BTreeSet<String>,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `[`cli`]` or `` `net` `` as `cli`, `net`.
fn bare(cell: &str) -> String {
    cell.trim()
        .trim_matches(|c| c == '[' || c == ']' || c == '`')
        .to_owned()
}

/// The rows of the crate docs' layer table, by module (`lib.rs` aside).
fn table() -> BTreeMap<String, Row> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut rows = BTreeMap::new();
    for line in lib.lines() {
        let Some(row) = line.strip_prefix("//! |") else {
            continue;
        };
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let [layer, module, _what, may_import, ..] = cells[..] else {
            continue;
        };
        let Ok(layer) = layer.parse() else {
            continue;
        };
        let module = bare(module);
        if module == "lib.rs" {
            continue;
        }
        let may_import = match may_import {
            "nothing" => BTreeSet::new(),
            list => list.split(',').map(bare).collect(),
        };
        rows.insert(module, Row { layer, may_import });
    }
    assert!(rows.len() >= 5, "no layer table in src/lib.rs: {rows:?}");
    rows
}

/// The source files of `module`: `src/module.rs`, or every file under
/// `src/module/`.
fn files(module: &str) -> Vec<PathBuf> {
    let file = src().join(format!("{module}.rs"));
    if file.exists() {
        return vec![file];
    }
    let dir = src().join(module);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("module {module}: neither {file:?} nor {dir:?}: {e}"))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The crate's modules named in `module`'s code (comments aside).
fn imports(module: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for file in files(module) {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or_default();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    found.insert(name);
                }
            }
        }
    }
    found
}

#[test]
fn every_module_is_in_the_table() {
    let table = table();
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if !matches!(name.as_str(), "lib" | "main") {
            modules.insert(name);
        }
    }
    let listed: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(modules, listed, "src/ against the table in src/lib.rs");
}

#[test]
fn each_module_imports_what_its_row_allows_from_above() {
    let table = table();
    let mut wrong = Vec::new();
    for (module, row) in &table {
        let used = imports(module);
        for name in &used {
            let above = table.get(name).is_some_and(|r| r.layer < row.layer);
            if !row.may_import.contains(name) || !above {
                wrong.push(format!("{module} (layer {}) imports {name}", row.layer));
            }
        }
        for name in row.may_import.difference(&used) {
            wrong.push(format!(
                "{module}: the table lists {name}, the code never uses it"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "the layer table is untrue:\n{}",
        wrong.join("\n")
    );
}
