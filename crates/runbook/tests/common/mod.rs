//! Test inputs: the team's runbook and small fixtures.
#![allow(dead_code)]

use std::path::PathBuf;

pub fn team_runbook_source() -> &'static str {
    include_str!("../../../../examples/runbooks/incident-response.md")
}

pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}
