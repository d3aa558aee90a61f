//! Front matter: read when present, reported when broken, and never in the way of the body.

mod common;

use common::{render, team_runbook_source};
use document::front_matter::Value;
use document::{parse, Block};

fn messages(source: &str) -> Vec<String> {
    parse("r.md", source).diagnostics.iter().map(ToString::to_string).collect()
}

#[test]
fn scalars_lists_and_variables_are_read() {
    let source = "---\n\
title: \"Database: failover\"   # quoted because of the colon\n\
description: 'It''s the one for replicas'\n\
owner: dba-team\n\
tags: [db, \"sev1, critical\"]\n\
variables:\n  DB_HOST: 10.0.0.5\n  DB_PORT: \"5432\"\n\
sidebar_position: 3\n\
---\n# Failover\n";
    let runbook = parse("db.md", source);
    let fm = &runbook.front_matter;
    assert_eq!(fm.title.as_deref(), Some("Database: failover"));
    assert_eq!(fm.description.as_deref(), Some("It's the one for replicas"));
    assert_eq!(fm.owner.as_deref(), Some("dba-team"));
    assert_eq!(fm.tags, ["db", "sev1, critical"]);
    assert_eq!(fm.variables, [("DB_HOST".to_string(), "10.0.0.5".to_string()), ("DB_PORT".into(), "5432".into())]);
    assert_eq!(fm.other, [("sidebar_position".to_string(), Value::Text("3".into()))]);
    assert!(runbook.diagnostics.is_empty(), "{:?}", runbook.diagnostics);
    assert_eq!(runbook.title, "Database: failover");
}

#[test]
fn block_lists_and_block_scalars_are_read() {
    let source = "---\ntags:\n- db\n- storage\ndescription: >\n  Replica lag,\n  failover and restore.\n---\nBody\n";
    let runbook = parse("r.md", source);
    assert_eq!(runbook.front_matter.tags, ["db", "storage"]);
    assert_eq!(runbook.description, "Replica lag, failover and restore.");
}

#[test]
fn a_file_without_front_matter_takes_its_title_from_the_first_heading() {
    let runbook = parse("notes/on-call.md", "Intro line.\n\n# On-call handbook\n\nText.\n");
    assert_eq!(runbook.title, "On-call handbook");
    assert_eq!(runbook.description, "Intro line.");
    assert!(runbook.diagnostics.is_empty());
}

#[test]
fn a_file_with_no_title_anywhere_is_named_after_the_file_made_readable() {
    assert_eq!(parse("disk-full.md", "Just steps.\n").title, "Disk full");
}

#[test]
fn unclosed_front_matter_is_reported_and_the_whole_file_renders() {
    let source = "---\ntitle: Never closed\n\n# Heading\n\nBody text.\n";
    let runbook = parse("r.md", source);
    assert_eq!(
        messages(source),
        ["r.md:1: warning: front matter starts with `---` but has no closing `---`; the whole file is shown as markdown"]
    );
    assert!(render(&runbook).contains("p: Body text."));
    assert_eq!(runbook.headings.len(), 1);
}

#[test]
fn lines_that_are_not_yaml_are_reported_by_line_and_skipped() {
    let source = "---\ntitle: Kept\nthis is not yaml\ntags: [unclosed\n  stray indent\n---\n# Body\n\nStill here.\n";
    let runbook = parse("r.md", source);
    assert_eq!(runbook.title, "Kept");
    assert_eq!(
        messages(source),
        [
            "r.md:3: warning: front matter: expected `key: value`, found `this is not yaml`; ignored",
            "r.md:4: warning: front matter `tags`: a `[` list is not closed with `]`; ignored",
            "r.md:5: warning: front matter: unexpected indented line; ignored",
        ]
    );
    assert!(render(&runbook).contains("p: Still here."));
    assert_eq!(runbook.blocks.first().map(|b| matches!(b, Block::Heading(h) if h.line == 7)), Some(true));
}

#[test]
fn keys_of_the_wrong_shape_are_reported() {
    assert_eq!(
        messages("---\ntitle: [a, b]\nvariables: plain\nowner: a\nowner: b\n---\n"),
        [
            "r.md:2: warning: front matter `title` should be text; ignored",
            "r.md:3: warning: front matter `variables` should be a map of NAME: value; ignored",
            "r.md:5: warning: front matter: `owner` is set twice; the last one wins",
        ]
    );
}

#[test]
fn crlf_line_endings_parse_like_lf() {
    let lf = team_runbook_source();
    let crlf = lf.replace('\n', "\r\n");
    let (a, b) = (parse("r.md", lf), parse("r.md", &crlf));
    assert_eq!(b.title, "Incident Response Runbook");
    assert_eq!(render(&a), render(&b).replace('\r', ""));
    assert_eq!(a.headings, b.headings, "same anchors and line numbers");
}

#[test]
fn a_byte_order_mark_does_not_hide_front_matter() {
    let runbook = parse("r.md", "\u{feff}---\ntitle: With BOM\n---\nBody\n");
    assert_eq!(runbook.title, "With BOM");
}

#[test]
fn metadata_lines_under_the_title_are_not_the_card() {
    let runbook = parse(
        "db.md",
        "# Locks\n\n[[_TOC_]]\n\nSeverity: Critical\nTeam: DB\nOwner: @db-team\n\nPatroni holds the leader lock.\n",
    );
    assert_eq!(runbook.description, "Patroni holds the leader lock.");
}
