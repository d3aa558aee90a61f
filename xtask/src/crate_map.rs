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
    ("room", "crates/room"),
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

/// The map in ARCHITECTURE.md's "Crates by stage" against the manifests; what differs.
pub fn check(root: &Path) -> Result<(), String> {
    let architecture = std::fs::read_to_string(root.join("ARCHITECTURE.md")).map_err(|e| e.to_string())?;
    let block = architecture
        .split("## Crates by stage")
        .nth(1)
        .and_then(|section| section.split("\n## ").next())
        .and_then(|section| section.split("```").nth(1))
        .ok_or("ARCHITECTURE.md has no crate map under \"## Crates by stage\"")?;
    let (written, real) = (from_architecture(block), from_manifests(root));
    if written == real {
        return Ok(());
    }
    let lines = |map: &BTreeMap<String, BTreeSet<String>>| {
        map.iter()
            .map(|(from, to)| format!("  {from} ─▶ {}", to.iter().cloned().collect::<Vec<_>>().join(", ")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    Err(format!("ARCHITECTURE.md's crate map says:\n{}\nthe manifests say:\n{}", lines(&written), lines(&real)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_map_in_architecture_md_is_what_the_manifests_say() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        check(root).unwrap();
    }

    #[test]
    fn the_map_reads_each_line_a_build_script_and_nothing() {
        let written = from_architecture("a ─▶ b, c\nb build.rs ─▶ c\nc ─▶ nothing\n");
        let expected: BTreeMap<String, BTreeSet<String>> = [
            ("a".to_string(), ["b".to_string(), "c".to_string()].into()),
            ("b build.rs".to_string(), ["c".to_string()].into()),
        ]
        .into();
        assert_eq!(written, expected);
    }
}
