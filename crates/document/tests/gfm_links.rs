//! Links as GitHub shows them: emails in angle brackets, empty destinations, and addresses
//! written in plain text (GFM's extended autolinks).

use document::{Block, Inline, LinkTarget};

fn links(markdown: &str) -> Vec<(String, LinkTarget)> {
    let doc = document::parse("r.md", markdown);
    let mut found = Vec::new();
    fn walk(inlines: &[Inline], found: &mut Vec<(String, LinkTarget)>) {
        for inline in inlines {
            match inline {
                Inline::Link(link) => found.push((document::text::plain_text(&link.content), link.target.clone())),
                Inline::Emphasis(inner) | Inline::Strong(inner) | Inline::Strikethrough(inner) => walk(inner, found),
                _ => {}
            }
        }
    }
    for block in &doc.blocks {
        if let Block::Paragraph(inlines) = block {
            walk(inlines, &mut found);
        }
    }
    found
}

#[test]
fn an_email_in_angle_brackets_is_a_mailto_link() {
    assert_eq!(
        links("Page <oncall@example.com> now."),
        [("oncall@example.com".to_string(), LinkTarget::External("mailto:oncall@example.com".into()))]
    );
}

#[test]
fn an_empty_destination_links_to_this_page_not_to_a_missing_runbook() {
    assert_eq!(links("[link]()"), [("link".to_string(), LinkTarget::Anchor(String::new()))]);
}

#[test]
fn addresses_in_plain_text_become_links_and_code_and_links_stay_as_they_are() {
    let found = links("See https://status.example.com/api, www.example.com and *team@example.com*.");
    assert_eq!(
        found,
        [
            (
                "https://status.example.com/api".to_string(),
                LinkTarget::External("https://status.example.com/api".into())
            ),
            ("www.example.com".to_string(), LinkTarget::External("http://www.example.com".into())),
            ("team@example.com".to_string(), LinkTarget::External("mailto:team@example.com".into())),
        ]
    );
    assert!(links("`https://in.code.example.com` stays code").is_empty());
    let inside = links("[the docs at https://docs.example.com](https://docs.example.com)");
    assert_eq!(inside.len(), 1, "a link's own text is not linked again: {inside:?}");
}
