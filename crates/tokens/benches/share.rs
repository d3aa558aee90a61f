//! Share-link speed and size, run by `cargo xtask bench` (which records the figures in
//! docs/benchmarks.md). Prints `name<TAB>median µs<TAB>what` lines, and
//! `size<TAB>name<TAB>characters<TAB>what` lines.

use std::hint::black_box;

use bench_timing::report;
use runbook::incident::Incident;
use tokens::share;

#[path = "../tests/common/realistic.rs"]
mod realistic;
use realistic::{full_incident, START};

const TEAM_RUNBOOK: &str = include_str!("../../../examples/runbooks/incident-response.md");

fn main() {
    share_links();
}

fn share_links() {
    let runbook = runbook::parse("incident-response.md", TEAM_RUNBOOK);
    let full = full_incident(&runbook);
    let full_token = share::encode(&full, Some(&runbook)).expect("fits in a link");
    report("share_encode_full", "make the share link of a fully checked and filled incident", || {
        black_box(share::encode(black_box(&full), Some(&runbook)).ok());
    });
    report("share_decode_full", "open that link", || {
        black_box(share::decode(black_box(&full_token), &|_| Some(&runbook)).ok());
    });
    let mut ten = Incident::new("k3x9q2ma", "incident-response", START);
    ten.set_severity("SEV1", START + 30);
    for step in runbook.steps.iter().take(10) {
        ten.toggle_step(step.id, START + 200);
    }
    println!(
        "size\tshare_full\t{}\tthe team's runbook fully checked ({} steps), every template field filled (12 fields, 540 characters of text), a host, severity, two messages sent, resolved",
        full_token.len(),
        runbook.steps.len()
    );
    println!(
        "size\tshare_ten_steps\t{}\tten steps checked and a severity",
        share::encode(&ten, Some(&runbook)).map_or(0, |t| t.len())
    );
}
