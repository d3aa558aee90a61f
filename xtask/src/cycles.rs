//! Modules look down too: no two source files of a crate may use each other, directly or
//! through others. When two files need each other, one holds something that belongs to the
//! other or to a third, lower file. `cargo xtask lint` and a test run this over the project.
//!
//! A file is a module (`src/a.rs` and `src/a/mod.rs` are `a`, `src/a/b.rs` is `a::b`); it uses
//! another when it names a path into it (`crate::a::b::Thing`, `super::b`, `use crate::{a, b}`).
//! Declaring a child (`mod b;`) is not a use.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The source folders checked, relative to the project root.
pub const SOURCE_DIRS: &[&str] = &[
    "crates/document/src",
    "crates/runbook/src",
    "crates/tokens/src",
    "crates/config/src",
    "crates/api/src",
    "crates/probe/src",
    "crates/calendar/src",
    "app/src",
    "worker/src",
    "xtask/src",
];

/// Every group of files that use each other, as module paths (`["alerts", "monitor"]`).
pub fn cycles(src: &Path) -> Vec<Vec<String>> {
    let files = modules(src);
    let known: BTreeSet<String> = files.keys().cloned().collect();
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let used = used_modules(module, &text, &known);
        uses.insert(module.clone(), used.into_iter().filter(|m| m != module && !m.is_empty()).collect());
    }
    strongly_connected(&uses).into_iter().filter(|group| group.len() > 1).collect()
}

/// Module path → file, for every `.rs` file under `src`.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                // `src/bin` holds separate programs, not modules of the crate.
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap_or(&path).with_extension("");
            let mut parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                parts.pop();
            }
            out.insert(parts.join("::"), path);
        }
    }
    out
}

/// The modules `text` (the file of `module`) names paths into.
fn used_modules(module: &str, text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    // Tests sit at the end of a file, where `super` is the file itself.
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut paths = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        paths.extend(expand(&code[at + "crate::".len()..]).into_iter().map(|p| p.to_string()));
    }
    let parent = module.rsplit_once("::").map_or("", |(parent, _)| parent);
    for (at, _) in code.match_indices("super::") {
        // `super::super::` is rare here; one level is what the project writes.
        for path in expand(&code[at + "super::".len()..]) {
            paths.push(if parent.is_empty() { path } else { format!("{parent}::{path}") });
        }
    }
    // A child named from its parent without `self::` (`pub use child::Thing;`, `child::f()`).
    for child in known.iter().filter(|k| k.rsplit_once("::").map_or("", |(p, _)| p) == module && !k.is_empty()) {
        let name = child.rsplit("::").next().unwrap_or_default();
        let named = code
            .match_indices(&format!("{name}::"))
            .any(|(at, _)| !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':'));
        if named {
            paths.push(child.clone());
        }
    }
    paths.iter().filter_map(|path| module_of(path, known)).collect()
}

/// The paths written after `crate::` or `super::`: `a::b::C`, or each of `{a, b::c}`.
fn expand(rest: &str) -> Vec<String> {
    if let Some(group) = rest.strip_prefix('{') {
        let end = group.find('}').unwrap_or(group.len());
        return group[..end].split(',').map(|p| ident_path(p.trim())).filter(|p| !p.is_empty()).collect();
    }
    vec![ident_path(rest)]
}

/// The leading `a::b::c` of `text`.
fn ident_path(text: &str) -> String {
    let end = text.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(text.len());
    text[..end].trim_end_matches(':').to_string()
}

/// The longest known module that `path` starts with.
fn module_of(path: &str, known: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|candidate| known.contains(candidate))
}

/// Tarjan's strongly connected components.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut group = Vec::new();
                while let Some(top) = self.stack.pop() {
                    self.on_stack.remove(top);
                    group.push(top.to_string());
                    if top == node {
                        break;
                    }
                }
                group.sort();
                self.groups.push(group);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(files: &[(&str, &str)]) -> Vec<Vec<String>> {
        let dir = std::env::temp_dir().join(format!("outpost-cycles-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        let found = cycles(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        found
    }

    #[test]
    fn two_files_that_use_each_other_are_a_cycle_and_a_child_declared_is_not_a_use() {
        let found = graph(&[
            ("lib.rs", "mod a;\nmod b;\nmod c;\n"),
            ("a.rs", "use crate::b::Thing;\n"),
            ("b.rs", "pub struct Thing;\nfn f() -> crate::a::Other { todo!() }\n"),
            ("c.rs", "use crate::{a, b};\n"),
        ]);
        assert_eq!(found, [vec!["a".to_string(), "b".to_string()]]);
        let none = graph(&[
            ("lib.rs", "mod parent;\n"),
            ("parent/mod.rs", "mod child;\n// crate::child::X in a comment does not count\n"),
            ("parent/child.rs", "use super::Shared;\n"),
        ]);
        assert_eq!(none, Vec::<Vec<String>>::new());
        let facade = graph(&[
            ("lib.rs", "mod parent;\n"),
            ("parent/mod.rs", "mod child;\npub use child::Thing;\npub struct Shared;\n"),
            ("parent/child.rs", "use super::Shared;\npub struct Thing;\n"),
        ]);
        assert_eq!(facade, [vec!["parent".to_string(), "parent::child".to_string()]]);
    }

    #[test]
    fn no_source_file_of_the_project_uses_another_that_uses_it() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
        let found: Vec<String> = SOURCE_DIRS
            .iter()
            .flat_map(|dir| {
                cycles(&root.join(dir)).into_iter().map(move |group| format!("{dir}: {}", group.join(" ↔ ")))
            })
            .collect();
        assert_eq!(found, Vec::<String>::new(), "files that use each other");
    }
}
