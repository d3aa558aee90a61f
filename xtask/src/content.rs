//! Which files are the team's and which are Outpost's: the rule README's "Updating Outpost"
//! and `.gitattributes` promise, held by a test over the test code.

/// The team's files: a fork changes them, so no test may depend on what they hold.
const TEAM_FILES: [&str; 2] = ["runbooks/", "outpost.toml"];

/// Places of test code, from the repository root.
const TEST_CODE: [&str; 5] = ["crates", "app/tests", "tests", "starter", "worker/src"];

/// Each test file that reads a team file (`file: what`), other than through `examples/`.
fn naming_team_files(root: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    for dir in TEST_CODE {
        visit(&root.join(dir), &mut |path, text| {
            let name = path.to_string_lossy();
            let is_test = name.contains("/tests/")
                || name.contains("/benches/")
                || name.contains("/examples/")
                || name.ends_with("tests.rs")
                || name.ends_with(".test.mjs")
                || name.ends_with("harness.mjs");
            if !is_test {
                return;
            }
            for team in TEAM_FILES {
                if reads(text, team) {
                    found.push(format!("{}: reads {team}", path.strip_prefix(root).unwrap_or(path).display()));
                }
            }
        });
    }
    found
}

/// Calls that read a file, in Rust and in the Node tests.
const READS: [&str; 5] = ["include_str!(", "read_to_string(", "readFile(", "readFileSync(", "codeBlockFromSource("];

/// Whether a call in `text` that reads a file names `team` as a path, not through `examples/`.
fn reads(text: &str, team: &str) -> bool {
    READS.iter().any(|call| {
        text.match_indices(call).any(|(at, _)| {
            let rest = &text[at + call.len()..];
            let argument = &rest[..rest.find(')').unwrap_or(rest.len())];
            argument.match_indices(team).any(|(i, _)| {
                let before = &argument[..i];
                !before.ends_with("examples/") && (before.ends_with(['"', '\'', '/']) || before.is_empty())
            })
        })
    })
}

fn visit(dir: &std::path::Path, each: &mut dyn FnMut(&std::path::Path, &str)) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != "node_modules" && name != "artifacts" && name != "fixtures" {
                visit(&path, each);
            }
        } else if path.extension().is_some_and(|e| e == "rs" || e == "mjs") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                each(&path, &text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tests_read_outposts_example_never_the_teams_files() {
        assert_eq!(naming_team_files(&crate::process::root()), Vec::<String>::new());
    }

    #[test]
    fn a_test_naming_the_teams_runbook_or_config_is_found() {
        let dir = std::env::temp_dir().join(format!("outpost-content-{}", std::process::id()));
        let tests = dir.join("crates/x/tests");
        std::fs::create_dir_all(&tests).unwrap();
        std::fs::write(tests.join("a.rs"), "include_str!(\"../../../runbooks/incident-response.md\")").unwrap();
        std::fs::write(tests.join("b.rs"), "include_str!(\"../../../outpost.toml\")").unwrap();
        std::fs::write(
            tests.join("c.rs"),
            "include_str!(\"../../../examples/runbooks/incident-response.md\")\nfetch('/runbooks/x.md')",
        )
        .unwrap();
        let mut found = naming_team_files(&dir);
        found.sort();
        assert_eq!(found, ["crates/x/tests/a.rs: reads runbooks/", "crates/x/tests/b.rs: reads outpost.toml"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
