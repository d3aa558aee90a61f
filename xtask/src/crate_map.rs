//! ARCHITECTURE.md's map of which crate uses which, held to the manifests: a test reads the
//! `crate ─▶ crates` lines of the map and every member's `[dependencies]` (and
//! `[build-dependencies]`, written `build.rs ─▶`), and fails when they differ.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The project's own crates: the folder of each, by package name.
pub const MEMBERS: &[(&str, &str)] = &[
    ("document", "crates/document"),
    ("runbook", "crates/runbook"),
    ("tokens", "crates/tokens"),
    ("config", "crates/config"),
    ("api", "crates/api"),
    ("probe", "crates/probe"),
    ("calendar", "crates/calendar"),
    ("bench-timing", "crates/bench-timing"),
    ("app", "app"),
    ("worker-probe", "worker"),
    ("xtask", "xtask"),
];

/// Crate (or `crate build.rs`) → the project's crates it names, from the manifests.
pub fn from_manifests(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let names: BTreeSet<&str> = MEMBERS.iter().map(|(name, _)| *name).collect();
    let mut map = BTreeMap::new();
    for (name, folder) in MEMBERS {
        let text = std::fs::read_to_string(root.join(folder).join("Cargo.toml")).unwrap_or_default();
        let mut section = String::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                section = line.trim_matches(['[', ']']).to_string();
                continue;
            }
            let key = match section.as_str() {
                "dependencies" => name.to_string(),
                "build-dependencies" => format!("{name} build.rs"),
                _ => continue,
            };
            let dependency = line.split(['=', ' ']).next().unwrap_or_default();
            if names.contains(dependency) {
                map.entry(key).or_insert_with(BTreeSet::new).insert(dependency.to_string());
            }
        }
    }
    map
}

/// The same, from the `a ─▶ b, c` lines of ARCHITECTURE.md (`a build.rs ─▶ b` for a build
/// script; `─▶ nothing` for none).
pub fn from_architecture(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let Some((from, to)) = line.split_once(" ─▶ ") else { continue };
        let from = from.trim().trim_start_matches("    ");
        if from.is_empty() || from.contains(['(', '─', '▶', '│']) {
            continue;
        }
        let to: BTreeSet<String> =
            to.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty() && c != "nothing").collect();
        if !to.is_empty() {
            map.insert(from.to_string(), to);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_map_in_architecture_md_is_what_the_manifests_say() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
        let section = architecture.split("## Crates by stage").nth(1).unwrap().split("\n## ").next().unwrap();
        let block = section.split("```").nth(1).unwrap();
        assert_eq!(from_architecture(block), from_manifests(root), "ARCHITECTURE.md's crate map against Cargo.toml");
    }
}
