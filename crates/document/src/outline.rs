//! The shape of a runbook: its sections, its scenarios, and walks over its links.

use crate::model::{Block, Document, Heading, Image, Inline, Link};

/// A heading and the blocks under it, up to the next heading of any level.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    /// `None` for the text before the first heading.
    pub heading: Option<&'a Heading>,
    pub blocks: &'a [Block],
}

/// A situation a runbook has a ready answer for, such as "Complete Service Outage (SEV1)":
/// listed on the home page so the right page is one click away.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scenario {
    /// The heading without its severity tag: "Complete Service Outage".
    pub title: String,
    pub anchor: String,
    /// The tag from the heading, normalised: "SEV1", "P2".
    pub severity: Option<String>,
}

impl Document {
    pub fn sections(&self) -> Vec<Section<'_>> {
        let mut sections = Vec::new();
        let mut start = 0;
        let mut heading = None;
        for (i, block) in self.blocks.iter().enumerate() {
            if let Block::Heading(h) = block {
                if heading.is_some() || i > start {
                    sections.push(Section { heading, blocks: &self.blocks[start..i] });
                }
                heading = Some(h);
                start = i + 1;
            }
        }
        if heading.is_some() || start < self.blocks.len() {
            sections.push(Section { heading, blocks: &self.blocks[start..] });
        }
        sections
    }

    /// Headings directly under a "…Scenarios…" heading, and any heading tagged with a
    /// severity such as "(SEV2)" or "(P1)".
    pub fn scenarios(&self) -> Vec<Scenario> {
        let mut scenarios = Vec::new();
        let mut scenario_parent: Option<u8> = None;
        for heading in &self.headings {
            if scenario_parent.is_some_and(|level| heading.level <= level) {
                scenario_parent = None;
            }
            let (title, severity) = split_severity_tag(&heading.text);
            let under_parent = scenario_parent.is_some_and(|level| heading.level == level + 1);
            if under_parent || (severity.is_some() && heading.level > 1) {
                scenarios.push(Scenario { title: title.to_string(), anchor: heading.anchor.clone(), severity });
            }
            if scenario_parent.is_none() && heading.text.to_lowercase().contains("scenario") {
                scenario_parent = Some(heading.level);
            }
        }
        scenarios
    }

    /// Calls `visit` for every link, in document order, footnotes last.
    pub fn for_each_link(&self, visit: &mut dyn FnMut(&Link)) {
        self.for_each_inline(&mut |inline| {
            if let Inline::Link(link) = inline {
                visit(link)
            }
        });
    }

    /// Calls `visit` for every image, in document order, footnotes last.
    pub fn for_each_image(&self, visit: &mut dyn FnMut(&Image)) {
        self.for_each_inline(&mut |inline| {
            if let Inline::Image(image) = inline {
                visit(image)
            }
        });
    }

    /// Calls `visit` for every piece of inline content, containers before what they hold.
    fn for_each_inline(&self, visit: &mut dyn FnMut(&Inline)) {
        inlines_in(&self.blocks, visit);
        for footnote in &self.footnotes {
            inlines_in(&footnote.blocks, visit);
        }
    }
}

fn inlines_in(blocks: &[Block], visit: &mut dyn FnMut(&Inline)) {
    for block in blocks {
        match block {
            Block::Heading(Heading { content, .. }) | Block::Paragraph(content) | Block::Plain(content) => {
                walk(content, visit)
            }
            Block::List(list) => list.items.iter().for_each(|item| inlines_in(&item.blocks, visit)),
            Block::Table(table) => {
                std::iter::once(&table.header).chain(&table.rows).flatten().for_each(|cell| walk(cell, visit))
            }
            Block::Quote(quote) => inlines_in(&quote.blocks, visit),
            Block::Details(details) => {
                walk(&details.summary, visit);
                inlines_in(&details.blocks, visit);
            }
            Block::Code(_) | Block::Rule | Block::Html(_) => {}
        }
    }
}

fn walk(inlines: &[Inline], visit: &mut dyn FnMut(&Inline)) {
    for inline in inlines {
        visit(inline);
        match inline {
            Inline::Link(link) => walk(&link.content, visit),
            Inline::Emphasis(children) | Inline::Strong(children) | Inline::Strikethrough(children) => {
                walk(children, visit)
            }
            Inline::Tagged(tagged) => walk(&tagged.content, visit),
            _ => {}
        }
    }
}

/// "Complete Service Outage (SEV1)" → ("Complete Service Outage", Some("SEV1")).
pub fn split_severity_tag(text: &str) -> (&str, Option<String>) {
    let trimmed = text.trim();
    let tag = trimmed
        .strip_suffix(')')
        .and_then(|rest| rest.rfind('(').map(|open| (&rest[..open], &rest[open + 1..])))
        .and_then(|(title, inner)| severity_tag(inner).map(|tag| (title.trim_end(), tag)));
    match tag {
        Some((title, tag)) if !title.is_empty() => (title, Some(tag)),
        _ => (trimmed, None),
    }
}

fn severity_tag(inner: &str) -> Option<String> {
    let compact: String = inner.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    let digits_from = compact.find(|c: char| c.is_ascii_digit())?;
    let (prefix, digits) = compact.split_at(digits_from);
    let valid = matches!(prefix, "SEV" | "P" | "S") && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
    valid.then_some(compact)
}

#[cfg(test)]
mod tests {
    use super::split_severity_tag;

    #[test]
    fn severity_tags_are_split_from_headings() {
        assert_eq!(
            split_severity_tag("Complete Service Outage (SEV1)"),
            ("Complete Service Outage", Some("SEV1".into()))
        );
        assert_eq!(split_severity_tag("Queue backed up (p 2)"), ("Queue backed up", Some("P2".into())));
        assert_eq!(split_severity_tag("Detection & Triage (0-5 minutes)"), ("Detection & Triage (0-5 minutes)", None));
        assert_eq!(split_severity_tag("(SEV1)"), ("(SEV1)", None));
    }
}
