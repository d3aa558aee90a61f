//! Test inputs: the team's runbook, and a realistic incident on it.
#![allow(dead_code)]

pub mod realistic;

pub fn team_runbook_source() -> &'static str {
    include_str!("../../../../examples/runbooks/incident-response.md")
}
