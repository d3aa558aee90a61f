//! Each markdown construct that runbooks use, as the model sees it.

mod common;

use common::{fixture, inlines, render};
use document::{Block, Callout, Document, ImageSource, Inline, Library, LinkTarget};
use expect_test::expect_file;

fn constructs() -> Document {
    let source = fixture("constructs.md");
    let other = fixture("other.md");
    let library = Library::build("runbooks", [("constructs.md", source.as_str()), ("other.md", other.as_str())]);
    library.get("constructs").cloned().expect("parsed")
}

fn find<'a, T>(blocks: &'a [Block], pick: &dyn Fn(&'a Block) -> Option<T>) -> Vec<T> {
    let mut found = Vec::new();
    for block in blocks {
        if let Some(hit) = pick(block) {
            found.push(hit);
        }
        match block {
            Block::List(list) => list.items.iter().for_each(|i| found.extend(find(&i.blocks, pick))),
            Block::Quote(quote) => found.extend(find(&quote.blocks, pick)),
            _ => {}
        }
    }
    found
}

#[test]
fn whole_model_matches_its_snapshot() {
    expect_file!["snapshots/constructs.txt"].assert_eq(&render(&constructs()));
}

#[test]
fn emphasis_strong_strikethrough_and_inline_code_keep_their_kind() {
    let runbook = constructs();
    let Block::Paragraph(first) = &runbook.blocks[1] else { panic!("paragraph expected") };
    assert_eq!(
        inlines(first),
        "Text with *emphasis*, **strong**, ~~struck~~ and `inline code`.↵A second line⤶after a break."
    );
}

#[test]
fn task_items_keep_their_state_and_nest() {
    let runbook = constructs();
    let tasks = find(&runbook.blocks, &|b| match b {
        Block::List(list) => Some(list.items.iter().map(|i| i.task).collect::<Vec<_>>()),
        _ => None,
    });
    assert_eq!(tasks[0], [Some(false), Some(true), None]);
    assert_eq!(tasks[1], [Some(false)], "the nested task list");
}

#[test]
fn ordered_lists_keep_their_start_number() {
    let starts = find(&constructs().blocks, &|b| match b {
        Block::List(list) => Some(list.start),
        _ => None,
    });
    assert_eq!(starts, [None, None, Some(1), Some(3)]);
}

#[test]
fn block_quotes_and_github_alerts_are_quotes() {
    let quotes = find(&constructs().blocks, &|b| match b {
        Block::Quote(q) => Some(q.callout),
        _ => None,
    });
    assert_eq!(quotes, [None, Some(Callout::Warning)]);
}

#[test]
fn links_resolve_to_anchors_runbooks_files_or_refusal() {
    let mut targets = Vec::new();
    constructs().for_each_link(&mut |link| targets.push(link.target.clone()));
    assert_eq!(
        targets,
        [
            LinkTarget::Anchor("escalation".into()),
            LinkTarget::Runbook { slug: "other".into(), anchor: Some("step-2".into()) },
            LinkTarget::External("https://example.com/docs".into()),
            LinkTarget::File { path: "scripts/restart.sh".into() },
            LinkTarget::MissingRunbook { href: "../RUNBOOK_GONE.md".into() },
            LinkTarget::Unsafe { href: "javascript:alert(1)".into() },
            LinkTarget::Anchor("tasks".into()),
        ]
    );
}

#[test]
fn images_load_only_from_the_site_or_the_web() {
    let runbook = constructs();
    let mut sources = Vec::new();
    for block in &runbook.blocks {
        if let Block::Paragraph(content) = block {
            for inline in content {
                if let Inline::Image(image) = inline {
                    sources.push((image.alt.clone(), image.src.clone()));
                }
            }
        }
    }
    assert_eq!(
        sources,
        [
            ("Topology".to_string(), ImageSource::File("images/topology.png".into())),
            ("Logo".to_string(), ImageSource::Url("https://example.com/logo.png".into())),
            ("x".to_string(), ImageSource::Blocked("javascript:alert(2)".into())),
        ]
    );
}

#[test]
fn footnotes_are_collected_for_the_end_of_the_page() {
    let runbook = constructs();
    assert_eq!(runbook.footnotes.len(), 1);
    assert_eq!(runbook.footnotes[0].label, "why");
    let Block::Paragraph(text) = &runbook.footnotes[0].blocks[0] else { panic!("paragraph expected") };
    assert_eq!(inlines(text), "Because **the** runbook says so.");
}

#[test]
fn tables_keep_alignment_and_empty_cells() {
    let tables = find(&constructs().blocks, &|b| match b {
        Block::Table(t) => Some(t.clone()),
        _ => None,
    });
    assert_eq!(tables.len(), 1);
    let table = &tables[0];
    use document::Alignment;
    assert_eq!(table.alignments, [Alignment::Left, Alignment::Center, Alignment::Right, Alignment::None]);
    assert_eq!(table.rows[1].iter().map(|c| inlines(c)).collect::<Vec<_>>(), ["`e`", "[f](#tasks)", "", "h"]);
}

#[test]
fn repeated_headings_get_distinct_anchors() {
    let runbook = constructs();
    let anchors: Vec<&str> = runbook.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(anchors, ["every-construct", "tasks", "links-and-media", "tables", "tables-1"]);
}

#[test]
fn raw_html_outside_the_subset_is_kept_as_text_its_handlers_never_and_comments_are_dropped() {
    let runbook = constructs();
    let html = find(&runbook.blocks, &|b| match b {
        Block::Html(h) => Some(h.clone()),
        _ => None,
    });
    assert_eq!(html, [r#"<div onclick="alert(3)"><script>alert(4)</script></div>"#]);
    let rendered = render(&runbook);
    assert!(!rendered.contains("an HTML comment"));
    // A `<span>` is read as GitHub reads it: its content, its event handler dropped.
    assert!(rendered.contains("p: Inline html is text."));
    assert!(!rendered.contains("onmouseover"));
}

#[test]
fn indented_code_has_no_language() {
    let code = find(&constructs().blocks, &|b| match b {
        Block::Code(c) => Some((c.lang.clone(), c.code.clone())),
        _ => None,
    });
    assert_eq!(code, [(None, "indented code\nsecond line".to_string())]);
}

#[test]
fn problems_are_reported_with_lines() {
    let messages: Vec<String> = constructs().diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "runbooks/constructs.md:27: warning: link to a runbook this site doesn't have: ../RUNBOOK_GONE.md",
            "runbooks/constructs.md:27: warning: link `javascript:alert(1)` uses a scheme the site does not follow; shown as text",
            "runbooks/constructs.md:29: warning: image `javascript:alert(2)` cannot be loaded from the site; its description is shown instead",
            "runbooks/constructs.md:57: warning: link reference `[nowhere]` is not defined; shown as text",
        ]
    );
}
