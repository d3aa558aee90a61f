//! Search across titles, headings and text of every runbook.

mod common;

use common::team_runbook_source;
use document::search::SearchIndex;
use document::Library;

fn index() -> SearchIndex {
    let database = "---\ntitle: Database Issues\ndescription: Locks, replicas and disk\n---\n\
# Database Issues\n\n## Replica lag\n\nCheck `pg_stat_replication`.\n\n## Database locked\n\nFind the blocking query.\n";
    let library =
        Library::build("runbooks", [("incident-response.md", team_runbook_source()), ("database-issues.md", database)]);
    SearchIndex::build(library.documents())
}

#[test]
fn circuit_breakers_lands_on_the_section_that_checks_them() {
    let hits = index().search("circuit breakers", 10);
    let top = &hits[0];
    assert_eq!((top.slug.as_str(), top.anchor.as_deref()), ("incident-response", Some("all-debates-failing-sev2")));
    assert_eq!(top.heading, "All Debates Failing (SEV2)");
    assert!(top.snippet.contains("Check circuit breakers"), "{}", top.snippet);
}

#[test]
fn heading_matches_rank_above_body_matches() {
    let hits = index().search("escalation", 10);
    assert_eq!(hits[0].anchor.as_deref(), Some("escalation-matrix"));
}

#[test]
fn every_word_must_match_in_any_case() {
    let index = index();
    assert_eq!(index.search("REPLICA lag", 10).len(), 1);
    assert_eq!(index.search("replica aragora", 10).len(), 0);
    assert!(index.search("   ", 10).is_empty());
}

#[test]
fn runbook_titles_are_searchable() {
    let hits = index().search("database issues", 10);
    assert_eq!(hits[0].slug, "database-issues");
}

#[test]
fn highlights_mark_the_matched_words_in_the_snippet() {
    let hits = index().search("Circuit", 1);
    let hit = &hits[0];
    assert!(!hit.highlights.is_empty());
    for range in &hit.highlights {
        assert_eq!(hit.snippet[range.clone()].to_lowercase(), "circuit");
    }
}

#[test]
fn non_ascii_text_is_matched_case_insensitively_and_highlighted_exactly() {
    let library = Library::build("runbooks", [("de.md", "# Störung\n\nDIENST ÜBERLASTET: Straße prüfen.\n")]);
    let hits = SearchIndex::build(library.documents()).search("überlastet", 5);
    assert_eq!(hits.len(), 1);
    assert_eq!(&hits[0].snippet[hits[0].highlights[0].clone()], "ÜBERLASTET");
}

#[test]
fn the_limit_caps_the_results() {
    assert_eq!(index().search("curl", 3).len(), 3);
}
