//! The architecture, checked: in every library crate of the workspace,
//!
//! - the layer table of the crate's docs (the first table under
//!   `# Layers`, or `# Files and layers` for a table of files, in
//!   `src/lib.rs`) names every top-level module, and each module imports
//!   only modules of the rows above its own;
//! - no two files import each other, directly or round a longer circle.
//!
//! Imports are read from the source as text: `use` trees and paths that
//! start with `crate::`, `super::` or `self::`, and `use` of a child
//! module; a path into a `mod.rs` that re-exports a name is followed to the
//! file that defines it. Comments and each file's trailing
//! `#[cfg(test)] mod tests` are left out: tests may use anything.
//!
//! `cargo test -p health-tests --test layers` prints every violation.

// Test code: a failure here is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The workspace's library crates: each has a layer table.
const CRATES: &[&str] = &[
    "health-names",
    "health-macros",
    "health-core",
    "health-http",
    "health-checks",
    "health-axum",
    "health-actix",
    "health-tower",
    "health-tonic",
    "health-grpc-proto",
    "health-probe",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A crate's source: each file's module path (`[]` for the root) and text.
struct Crate {
    src: PathBuf,
    /// Module path → file, and file → module path.
    files: BTreeMap<Vec<String>, PathBuf>,
}

impl Crate {
    fn read(name: &str) -> Self {
        let src = workspace().join(name).join("src");
        let mut files = BTreeMap::new();
        let root = if src.join("lib.rs").exists() {
            src.join("lib.rs")
        } else {
            src.join("main.rs")
        };
        collect(&root, Vec::new(), &mut files);
        Crate { src, files }
    }

    fn module_of(&self, file: &Path) -> &[String] {
        self.files
            .iter()
            .find(|(_, f)| f.as_path() == file)
            .map(|(m, _)| m.as_slice())
            .unwrap()
    }

    fn name(&self, file: &Path) -> String {
        file.strip_prefix(&self.src)
            .unwrap_or(file)
            .display()
            .to_string()
    }
}

/// Walks `mod x;` declarations from `file` (module `path`), honouring
/// `#[path = "..."]`.
fn collect(file: &Path, path: Vec<String>, files: &mut BTreeMap<Vec<String>, PathBuf>) {
    let text = fs::read_to_string(file).unwrap();
    let dir = if path.is_empty() || file.ends_with("mod.rs") {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    };
    files.insert(path.clone(), file.to_path_buf());
    let mut explicit: Option<String> = None;
    for line in code_lines(&text) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("#[path = \"") {
            explicit = rest.split('"').next().map(str::to_owned);
            continue;
        }
        let Some(name) = declared_module(line) else {
            if !line.starts_with("#[") {
                explicit = None;
            }
            continue;
        };
        let child = match explicit.take() {
            Some(p) => dir.join(p),
            None if dir.join(format!("{name}.rs")).exists() => dir.join(format!("{name}.rs")),
            None => dir.join(name).join("mod.rs"),
        };
        if child.exists() {
            let mut child_path = path.clone();
            child_path.push(name.to_owned());
            collect(&child, child_path, files);
        }
    }
}

/// `mod x;`, `pub mod x;`, `pub(crate) mod x;`: the name.
fn declared_module(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("pub(crate) ")
        .or_else(|| line.strip_prefix("pub "))
        .unwrap_or(line);
    let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
    Some(name.trim())
}

/// A file's code: comments and the trailing `#[cfg(test)] mod ...` left
/// out.
fn code_lines(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].starts_with("mod "))
        .unwrap_or(lines.len());
    lines[..end]
        .iter()
        .copied()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect()
}

/// Every path a file names: `use` trees flattened, and `crate::`,
/// `super::`, `self::` paths in code.
fn paths(text: &str) -> Vec<Vec<String>> {
    let code = code_lines(text).join("\n");
    let mut out = Vec::new();
    // `use` trees.
    let mut rest = code.as_str();
    while let Some(at) = find_use(rest) {
        let tail = &rest[at..];
        let end = tail.find(';').unwrap_or(tail.len());
        let tree: String = tail[..end].split_whitespace().collect::<Vec<_>>().join(" ");
        flatten(&tree, Vec::new(), &mut out);
        rest = &tail[end..];
    }
    // Paths in code.
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0
                && (bytes[at - 1].is_ascii_alphanumeric()
                    || matches!(bytes[at - 1], b'_' | b':' | b'$'))
            {
                continue;
            }
            // Segments while each is a whole identifier followed by `::`.
            let mut path = Vec::new();
            for raw in code[at..].split("::") {
                let ident: String = raw
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let whole = ident.len() == raw.len();
                if !ident.is_empty() {
                    path.push(ident);
                }
                if !whole {
                    break;
                }
            }
            out.push(path);
        }
    }
    out
}

/// Where the next `use` statement's tree starts (after `use `).
fn find_use(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("use ") {
        let at = from + i;
        let before = text[..at].trim_end_matches(' ');
        let starts = before.is_empty()
            || before.ends_with('\n')
            || before.ends_with("pub")
            || before.ends_with("pub(crate)")
            || before.ends_with("pub(super)")
            || before.ends_with('{')
            || before.ends_with(';')
            || before.ends_with('}');
        if starts {
            return Some(at + 4);
        }
        from = at + 4;
    }
    None
}

/// Flattens a use tree (`a::{b, c::{d as e, *}}`) into paths.
fn flatten(tree: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let mut path = prefix;
        path.extend(segments(&tree[..open]));
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    flatten(&inner[start..i], path.clone(), out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        flatten(&inner[start..], path, out);
    } else if !tree.is_empty() {
        let mut path = prefix;
        path.extend(segments(tree.split(" as ").next().unwrap_or(tree)));
        out.push(path);
    }
}

fn segments(path: &str) -> impl Iterator<Item = String> + '_ {
    path.split("::")
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "*" && *s != "self")
        .map(str::to_owned)
}

/// The file a path names, from the module `from`: `None` for a path out
/// of the crate (std, another crate).
fn resolve(krate: &Crate, from: &[String], path: &[String], depth: usize) -> Option<PathBuf> {
    let module: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("super") => {
            let mut m = from.to_vec();
            let mut supers = 0;
            while path.get(supers).map(String::as_str) == Some("super") {
                m.pop();
                supers += 1;
            }
            return resolve_in(krate, m, &path[supers..], depth);
        }
        Some("self") => from.to_vec(),
        Some(first) => {
            // A child module of `from`, used by its name.
            let mut child = from.to_vec();
            child.push(first.to_owned());
            if krate.files.contains_key(&child) {
                return resolve_in(krate, from.to_vec(), path, depth);
            }
            return None;
        }
        None => return None,
    };
    resolve_in(krate, module, &path[1..], depth)
}

fn resolve_in(
    krate: &Crate,
    mut module: Vec<String>,
    rest: &[String],
    depth: usize,
) -> Option<PathBuf> {
    let mut rest = rest;
    while let Some(first) = rest.first() {
        let mut child = module.clone();
        child.push(first.clone());
        if krate.files.contains_key(&child) {
            module = child;
            rest = &rest[1..];
        } else {
            break;
        }
    }
    let file = krate.files.get(&module)?.clone();
    // An item of `module`: follow a re-export to its file.
    if let (Some(item), true) = (rest.first(), depth < 8) {
        let text = fs::read_to_string(&file).unwrap();
        let mut reexports = Vec::new();
        for line in code_lines(&text) {
            let line = line.trim();
            if line.starts_with("pub use ")
                || line.starts_with("pub(crate) use ")
                || line.starts_with("pub(super) use ")
            {
                let tree = line.split_once("use ").unwrap().1.trim_end_matches(';');
                flatten(tree, Vec::new(), &mut reexports);
            }
        }
        if let Some(target) = reexports.iter().find(|p| p.last() == Some(item))
            && let Some(found) = resolve(krate, &module, target, depth + 1)
        {
            return Some(found);
        }
    }
    Some(file)
}

/// The layer table: each row's modules, top row first.
fn layer_table(lib: &str) -> Vec<Vec<String>> {
    let docs: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("//!"))
        .map(str::trim)
        .collect();
    let Some(heading) = docs
        .iter()
        .position(|l| *l == "# Layers" || *l == "# Files and layers")
    else {
        return Vec::new();
    };
    docs[heading..]
        .iter()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header and its separator
        .map(|row| {
            let first = row.trim_matches('|').split('|').next().unwrap_or_default();
            // A module (`time`), or a file (`args/literal.rs`): its
            // top-level module.
            first
                .split('`')
                .skip(1)
                .step_by(2)
                .map(|name| {
                    let name = name.strip_suffix(".rs").unwrap_or(name);
                    name.split('/').next().unwrap_or(name).to_owned()
                })
                .filter(|name| name != "lib")
                .collect()
        })
        .collect()
}

#[test]
fn every_library_crate_is_checked() {
    let mut found: Vec<String> = fs::read_dir(workspace())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("health-") && workspace().join(n).join("src").is_dir())
        .collect();
    found.sort();
    let mut listed: Vec<String> = CRATES.iter().map(|c| (*c).to_owned()).collect();
    listed.sort();
    assert_eq!(found, listed, "add the new crate to CRATES");
}

#[test]
fn every_crate_keeps_its_layers_and_no_file_circle() {
    let mut problems = Vec::new();
    for name in CRATES {
        let krate = Crate::read(name);
        let root = krate.files[&Vec::new()].clone();
        let table = layer_table(&fs::read_to_string(&root).unwrap());
        // A module may span rows (a file table): it imports only modules
        // whose every row is above every row of its own.
        let rows_of = |module: &str| {
            let rows: Vec<usize> = (0..table.len())
                .filter(|&r| table[r].iter().any(|m| m == module))
                .collect();
            Some((*rows.first()?, *rows.last()?))
        };
        let row_of = |module: &str| rows_of(module).map(|(first, _)| first);
        let top: BTreeSet<&String> = krate
            .files
            .keys()
            .filter(|m| m.len() == 1)
            .map(|m| &m[0])
            .collect();
        if top.len() > 1 {
            for module in &top {
                if row_of(module).is_none() {
                    problems.push(format!(
                        "{name}: module `{module}` is not in the layer table of src/lib.rs"
                    ));
                }
            }
            for row in &table {
                for module in row {
                    if !top.contains(module) {
                        problems.push(format!(
                            "{name}: the layer table names `{module}`, which is not a module"
                        ));
                    }
                }
            }
        }
        // Edges between files, and between top-level modules.
        let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for (module, file) in &krate.files {
            let text = fs::read_to_string(file).unwrap();
            for path in paths(&text) {
                let Some(target) = resolve(&krate, module, &path, 0) else {
                    continue;
                };
                if &target == file || target == root {
                    continue;
                }
                let to = krate.module_of(&target).to_vec();
                // A module's own children and parent are one room.
                if to.len() > module.len() && to.starts_with(module) {
                    continue;
                }
                if module.len() > to.len() && module.starts_with(&to) && target.ends_with("mod.rs")
                {
                    continue;
                }
                edges
                    .entry(file.clone())
                    .or_default()
                    .insert(target.clone());
                if let (Some(a), Some(b)) = (module.first(), to.first())
                    && a != b
                    && let (Some((first_a, _)), Some((_, last_b))) = (rows_of(a), rows_of(b))
                    && last_b >= first_a
                {
                    problems.push(format!(
                        "{name}: `{a}` ({}) imports `{b}` ({}), which is not in a row above it: {}",
                        krate.name(file),
                        krate.name(&target),
                        path.join("::")
                    ));
                }
            }
        }
        for circle in circles(&edges) {
            let files: Vec<String> = circle.iter().map(|f| krate.name(f)).collect();
            problems.push(format!("{name}: a circle of files: {}", files.join(" -> ")));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The strongly connected components of more than one file (Tarjan).
fn circles(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct Tarjan<'a> {
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, (usize, usize)>,
        stack: Vec<&'a PathBuf>,
        next: usize,
        out: Vec<Vec<PathBuf>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a PathBuf) {
            self.index.insert(v, (self.next, self.next));
            self.next += 1;
            self.stack.push(v);
            for w in self.edges.get(v).into_iter().flatten() {
                match self.index.get(w) {
                    None => {
                        self.visit(w);
                        let low = self.index[w].1.min(self.index[v].1);
                        self.index.get_mut(v).unwrap().1 = low;
                    }
                    Some(&(i, _)) if self.stack.contains(&w) => {
                        let low = i.min(self.index[v].1);
                        self.index.get_mut(v).unwrap().1 = low;
                    }
                    Some(_) => {}
                }
            }
            let (i, low) = self.index[v];
            if i == low {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    component.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.out.push(component);
                }
            }
        }
    }
    let mut t = Tarjan {
        edges,
        index: BTreeMap::new(),
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            t.visit(v);
        }
    }
    t.out
}

/// The reader itself: a circle and a layer break it must see.
#[test]
fn the_reader_sees_use_trees_and_reexports() {
    let mut out = Vec::new();
    flatten("crate::{a::{B, c as d}, e::*}", Vec::new(), &mut out);
    assert_eq!(
        out,
        [
            vec!["crate", "a", "B"],
            vec!["crate", "a", "c"],
            vec!["crate", "e"],
        ]
        .map(|p| p.into_iter().map(str::to_owned).collect::<Vec<_>>())
    );
    let table = layer_table(
        "//! # Layers\n//!\n//! | layer | what |\n//! |---|---|\n//! | [`time`], [`text`] | x |\n//! | `runner` (private) | y |\n",
    );
    assert_eq!(
        table,
        [
            vec!["time".to_owned(), "text".to_owned()],
            vec!["runner".to_owned()]
        ]
    );
    let mut edges = BTreeMap::new();
    edges.insert(PathBuf::from("a"), BTreeSet::from([PathBuf::from("b")]));
    edges.insert(PathBuf::from("b"), BTreeSet::from([PathBuf::from("a")]));
    assert_eq!(
        circles(&edges),
        [vec![PathBuf::from("a"), PathBuf::from("b")]]
    );
}
