//! Parser and search speed, run by `cargo xtask bench` (which records the figures in
//! docs/benchmarks.md). Prints `name<TAB>median µs<TAB>what` lines.

use std::hint::black_box;

use bench_timing::report;
use document::search::SearchIndex;
use document::Library;

const TEAM_RUNBOOK: &str = include_str!("../../../examples/runbooks/incident-response.md");

fn main() {
    let large: String = (0..20).map(|_| TEAM_RUNBOOK.split_once("\n---\n").map_or(TEAM_RUNBOOK, |(_, b)| b)).collect();
    let library = Library::build("runbooks", [("incident-response.md", TEAM_RUNBOOK)]);
    let index = SearchIndex::build(library.documents());
    let site: Vec<(String, String)> = (0..25).map(|i| (format!("runbook-{i}.md"), TEAM_RUNBOOK.to_string())).collect();
    let site_library = Library::build("runbooks", site.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let site_index = SearchIndex::build(site_library.documents());

    report("parse_team_runbook", "parse the team's runbook (7.7 KB)", || {
        black_box(document::parse("incident-response.md", black_box(TEAM_RUNBOOK)));
    });
    report("parse_large_runbook", "parse a 20× longer runbook (150 KB)", || {
        black_box(document::parse("large.md", black_box(&large)));
    });
    report("build_site_25", "parse and link 25 runbooks, build the search index (site start-up)", || {
        let library = Library::build("runbooks", site.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        black_box(SearchIndex::build(library.documents()));
    });
    report("search_team_runbook", "search \"circuit breakers\" in the team's runbook", || {
        black_box(index.search(black_box("circuit breakers"), 12));
    });
    report("search_site_25", "search \"circuit breakers\" across 25 runbooks", || {
        black_box(site_index.search(black_box("circuit breakers"), 12));
    });
}
