//! Parser and search speed, run by `cargo xtask bench` (which records the figures in
//! docs/benchmarks.md). Prints `name<TAB>median µs<TAB>what` lines, and
//! `size<TAB>name<TAB>characters<TAB>what` lines for share links.

use std::hint::black_box;

use runbook::incident::Incident;

#[path = "../tests/common/realistic.rs"]
mod realistic;
#[path = "support/timing.rs"]
mod timing;
use realistic::{full_incident, START};
use runbook::search::SearchIndex;
use runbook::{share, Library};
use timing::report;

const TEAM_RUNBOOK: &str = include_str!("../../../runbooks/incident-response.md");

fn main() {
    let large: String = (0..20).map(|_| TEAM_RUNBOOK.split_once("\n---\n").map_or(TEAM_RUNBOOK, |(_, b)| b)).collect();
    let library = Library::build("runbooks", [("incident-response.md", TEAM_RUNBOOK)]);
    let index = SearchIndex::build(&library);
    let site: Vec<(String, String)> = (0..25).map(|i| (format!("runbook-{i}.md"), TEAM_RUNBOOK.to_string())).collect();
    let site_library = Library::build("runbooks", site.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let site_index = SearchIndex::build(&site_library);

    report("parse_team_runbook", "parse the team's runbook (7.7 KB)", || {
        black_box(runbook::parse("incident-response.md", black_box(TEAM_RUNBOOK)));
    });
    report("parse_large_runbook", "parse a 20× longer runbook (150 KB)", || {
        black_box(runbook::parse("large.md", black_box(&large)));
    });
    report("build_site_25", "parse and link 25 runbooks, build the search index (site start-up)", || {
        let library = Library::build("runbooks", site.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        black_box(SearchIndex::build(&library));
    });
    report("search_team_runbook", "search \"circuit breakers\" in the team's runbook", || {
        black_box(index.search(black_box("circuit breakers"), 12));
    });
    report("search_site_25", "search \"circuit breakers\" across 25 runbooks", || {
        black_box(site_index.search(black_box("circuit breakers"), 12));
    });
    share_links();
}

fn share_links() {
    let runbook = runbook::parse("incident-response.md", TEAM_RUNBOOK);
    let full = full_incident(&runbook);
    let full_token = share::encode(&full, Some(&runbook));
    report("share_encode_full", "make the share link of a fully checked and filled incident", || {
        black_box(share::encode(black_box(&full), Some(&runbook)));
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
    println!("size\tshare_ten_steps\t{}\tten steps checked and a severity", share::encode(&ten, Some(&runbook)).len());
}
