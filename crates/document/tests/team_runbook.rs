//! The team's real runbook, parsed as the site parses it: the main acceptance case.

mod common;

use common::{render, team_runbook_source};
use document::library::MissingLink;
use document::{Block, Document, Library, LinkTarget};
use expect_test::expect_file;

fn team_library() -> Library {
    Library::build("runbooks", [("incident-response.md", team_runbook_source())])
}

fn team_runbook(library: &Library) -> &Document {
    library.get("incident-response").expect("the team's runbook is in the site")
}

fn count_blocks(blocks: &[Block], predicate: &dyn Fn(&Block) -> bool) -> usize {
    blocks
        .iter()
        .map(|block| {
            let nested = match block {
                Block::List(list) => list.items.iter().map(|item| count_blocks(&item.blocks, predicate)).sum(),
                Block::Quote(quote) => count_blocks(&quote.blocks, predicate),
                _ => 0,
            };
            nested + predicate(block) as usize
        })
        .sum()
}

#[test]
fn title_and_description_come_from_front_matter_and_first_paragraph() {
    let library = team_library();
    let runbook = team_runbook(&library);
    assert_eq!(runbook.title, "Incident Response Runbook");
    // The front matter's description only repeats the title, so the first paragraph says more.
    assert_eq!(runbook.description, "Standard procedures for handling incidents affecting Aragora services.");
}

#[test]
fn every_section_heading_is_found_with_its_level() {
    let library = team_library();
    let runbook = team_runbook(&library);
    let by_level = |level| runbook.headings.iter().filter(|h| h.level == level).count();
    assert_eq!((by_level(1), by_level(2), by_level(3), runbook.headings.len()), (1, 6, 11, 18));
    let h2: Vec<&str> = runbook.headings.iter().filter(|h| h.level == 2).map(|h| h.text.as_str()).collect();
    assert_eq!(
        h2,
        [
            "Severity Levels",
            "Incident Response Process",
            "Common Incident Scenarios",
            "Escalation Matrix",
            "Useful Commands Cheat Sheet",
            "Related Runbooks"
        ]
    );
    // The post-mortem template's `## Incident:` is inside a code block, not a heading.
    assert!(runbook.headings.iter().all(|h| !h.text.starts_with("Incident:")));
}

#[test]
fn tables_and_their_rows_are_all_there() {
    let library = team_library();
    let runbook = team_runbook(&library);
    let tables: Vec<(usize, usize)> = runbook
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some((t.header.len(), t.rows.len())),
            _ => None,
        })
        .collect();
    // Severity levels, quick mitigations, escalation matrix.
    assert_eq!(tables, [(4, 4), (2, 5), (3, 4)]);
}

#[test]
fn every_code_block_is_found_including_those_inside_list_items() {
    let library = team_library();
    let runbook = team_runbook(&library);
    let is_code = |b: &Block| matches!(b, Block::Code(_));
    assert_eq!(count_blocks(&runbook.blocks, &is_code), 12);
    let top_level_langs: Vec<Option<&str>> = runbook
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Code(c) => Some(c.lang.as_deref()),
            _ => None,
        })
        .collect();
    assert_eq!(
        top_level_langs,
        [
            Some("bash"),
            None,
            Some("bash"),
            Some("bash"),
            Some("markdown"),
            Some("bash"),
            Some("bash"),
            Some("bash"),
            Some("bash"),
            Some("bash")
        ]
    );
}

#[test]
fn links_to_runbooks_the_site_lacks_are_listed_with_their_lines() {
    let library = team_library();
    let missing =
        |line: u32, href: &str| MissingLink { file: "runbooks/incident-response.md".into(), line, href: href.into() };
    assert_eq!(
        library.missing_links(),
        [
            missing(198, "../RUNBOOK_DATABASE_ISSUES.md"),
            missing(276, "../RUNBOOK_DEPLOYMENT.md"),
            missing(277, "../RUNBOOK_DATABASE_ISSUES.md"),
            missing(278, "../RUNBOOK_PROVIDER_FAILURE.md"),
        ]
    );
    let mut links = 0;
    team_runbook(&library).for_each_link(&mut |link| {
        links += 1;
        assert!(matches!(link.target, LinkTarget::MissingRunbook { .. }));
    });
    assert_eq!(links, 4);
}

#[test]
fn the_only_diagnostics_are_the_missing_runbook_links() {
    let library = team_library();
    let messages: Vec<String> = library.all_diagnostics().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "runbooks/incident-response.md:198: warning: link to a runbook this site doesn't have: ../RUNBOOK_DATABASE_ISSUES.md",
            "runbooks/incident-response.md:276: warning: link to a runbook this site doesn't have: ../RUNBOOK_DEPLOYMENT.md",
            "runbooks/incident-response.md:277: warning: link to a runbook this site doesn't have: ../RUNBOOK_DATABASE_ISSUES.md",
            "runbooks/incident-response.md:278: warning: link to a runbook this site doesn't have: ../RUNBOOK_PROVIDER_FAILURE.md",
        ]
    );
}

#[test]
fn a_sibling_runbook_added_later_turns_missing_links_into_routes() {
    let database = "---\ntitle: Database Issues\n---\n# Database Issues\n";
    let library =
        Library::build("runbooks", [("incident-response.md", team_runbook_source()), ("database-issues.md", database)]);
    let hrefs: Vec<String> = library.missing_links().into_iter().map(|m| m.href).collect();
    assert_eq!(hrefs, ["../RUNBOOK_DEPLOYMENT.md", "../RUNBOOK_PROVIDER_FAILURE.md"]);
    let mut routes = Vec::new();
    team_runbook(&library).for_each_link(&mut |link| {
        if let LinkTarget::Runbook { slug, .. } = &link.target {
            routes.push(slug.clone());
        }
    });
    assert_eq!(routes, ["database-issues", "database-issues"]);
}

#[test]
fn scenarios_are_the_common_incident_sections() {
    let library = team_library();
    let scenarios: Vec<(String, Option<String>)> =
        team_runbook(&library).scenarios().into_iter().map(|s| (s.title, s.severity)).collect();
    let expected = [
        ("Complete Service Outage", "SEV1"),
        ("All Debates Failing", "SEV2"),
        ("Database Unavailable", "SEV1"),
        ("Authentication Broken", "SEV2"),
        ("High Latency", "SEV3"),
    ];
    assert_eq!(scenarios, expected.map(|(t, s)| (t.to_string(), Some(s.to_string()))));
}

#[test]
fn whole_model_matches_its_snapshot() {
    let library = team_library();
    expect_file!["snapshots/incident-response.txt"].assert_eq(&render(team_runbook(&library)));
}
