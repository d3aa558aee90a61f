//! Test helpers: a compact, reviewable text form of the model, compared with the snapshot
//! files in `tests/snapshots/` by `expect_file!` (`UPDATE_EXPECT=1` rewrites them).
#![allow(dead_code)]

use std::fmt::Write;
use std::path::PathBuf;

use document::{Block, Document, ImageSource, Inline, LinkTarget};

pub fn team_runbook_source() -> &'static str {
    include_str!("../../../../examples/runbooks/incident-response.md")
}

pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The whole model as indented lines, inline content as canonical markdown-like text.
pub fn render(runbook: &Document) -> String {
    let mut out = String::new();
    writeln!(out, "title: {:?}", runbook.title).unwrap();
    writeln!(out, "description: {:?}", runbook.description).unwrap();
    render_blocks(&runbook.blocks, 0, &mut out);
    for footnote in &runbook.footnotes {
        writeln!(out, "footnote [^{}]", footnote.label).unwrap();
        render_blocks(&footnote.blocks, 1, &mut out);
    }
    for diagnostic in &runbook.diagnostics {
        writeln!(out, "diagnostic {diagnostic}").unwrap();
    }
    out
}

fn render_blocks(blocks: &[Block], depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for block in blocks {
        match block {
            Block::Heading(h) => {
                writeln!(out, "{pad}h{} #{} L{}: {}", h.level, h.anchor, h.line, inlines(&h.content)).unwrap()
            }
            Block::Paragraph(content) => writeln!(out, "{pad}p: {}", inlines(content)).unwrap(),
            Block::Plain(content) => writeln!(out, "{pad}plain: {}", inlines(content)).unwrap(),
            Block::List(list) => {
                match list.start {
                    Some(start) => writeln!(out, "{pad}ol start={start}").unwrap(),
                    None => writeln!(out, "{pad}ul").unwrap(),
                }
                for item in &list.items {
                    let task = match item.task {
                        Some(true) => " [x]",
                        Some(false) => " [ ]",
                        None => "",
                    };
                    writeln!(out, "{pad}  item L{}{task}", item.line).unwrap();
                    render_blocks(&item.blocks, depth + 2, out);
                }
            }
            Block::Code(code) => {
                writeln!(out, "{pad}code {} L{}", code.lang.as_deref().unwrap_or("-"), code.line).unwrap();
                for line in code.code.lines() {
                    writeln!(out, "{pad}  | {line}").unwrap();
                }
            }
            Block::Table(table) => {
                writeln!(out, "{pad}table L{} {:?}", table.line, table.alignments).unwrap();
                let row = |cells: &Vec<Vec<Inline>>| cells.iter().map(|c| inlines(c)).collect::<Vec<_>>().join(" | ");
                writeln!(out, "{pad}  head: {}", row(&table.header)).unwrap();
                for cells in &table.rows {
                    writeln!(out, "{pad}  row: {}", row(cells)).unwrap();
                }
            }
            Block::Quote(quote) => {
                writeln!(out, "{pad}quote {:?}", quote.callout).unwrap();
                render_blocks(&quote.blocks, depth + 1, out);
            }
            Block::Rule => writeln!(out, "{pad}rule").unwrap(),
            Block::Details(details) => {
                let open = if details.open { " open" } else { "" };
                writeln!(out, "{pad}details{open}: {}", inlines(&details.summary)).unwrap();
                render_blocks(&details.blocks, depth + 1, out);
            }
            Block::Html(html) => writeln!(out, "{pad}html (as text): {html:?}").unwrap(),
        }
    }
}

pub fn inlines(content: &[Inline]) -> String {
    let mut out = String::new();
    for inline in content {
        match inline {
            Inline::Text(text) => out.push_str(text),
            Inline::Code(code) => write!(out, "`{code}`").unwrap(),
            Inline::Emphasis(c) => write!(out, "*{}*", inlines(c)).unwrap(),
            Inline::Strong(c) => write!(out, "**{}**", inlines(c)).unwrap(),
            Inline::Strikethrough(c) => write!(out, "~~{}~~", inlines(c)).unwrap(),
            Inline::Link(link) => write!(out, "[{}]({})", inlines(&link.content), target(&link.target)).unwrap(),
            Inline::Image(image) => {
                let src = match &image.src {
                    ImageSource::Url(url) => format!("url:{url}"),
                    ImageSource::File(path) => format!("file:{path}"),
                    ImageSource::Blocked(src) => format!("blocked:{src}"),
                };
                write!(out, "![{}]({src})", image.alt).unwrap()
            }
            Inline::FootnoteReference(label) => write!(out, "[^{label}]").unwrap(),
            Inline::SoftBreak => out.push('↵'),
            Inline::HardBreak => out.push('⤶'),
            Inline::Tagged(tagged) => write!(out, "<{:?}>{}</>", tagged.tag, inlines(&tagged.content)).unwrap(),
            Inline::Html(html) => write!(out, "‹html:{html}›").unwrap(),
        }
    }
    out
}

fn target(target: &LinkTarget) -> String {
    match target {
        LinkTarget::External(url) => format!("external:{url}"),
        LinkTarget::Anchor(anchor) => format!("#{anchor}"),
        LinkTarget::Runbook { slug, anchor } => match anchor {
            Some(anchor) => format!("runbook:{slug}#{anchor}"),
            None => format!("runbook:{slug}"),
        },
        LinkTarget::MissingRunbook { href } => format!("missing:{href}"),
        LinkTarget::File { path } => format!("file:{path}"),
        LinkTarget::Unsafe { href } => format!("unsafe:{href}"),
    }
}
