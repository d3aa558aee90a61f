//! Plain text of model parts: for anchors, titles, descriptions and search.

use crate::model::{Block, Inline};

/// The text a reader sees in inline content, without markup.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inlines(inlines, &mut out);
    out
}

fn push_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) | Inline::Html(text) => out.push_str(text),
            Inline::Emphasis(children) | Inline::Strong(children) | Inline::Strikethrough(children) => {
                push_inlines(children, out)
            }
            Inline::Tagged(tagged) => push_inlines(&tagged.content, out),
            Inline::Link(link) => push_inlines(&link.content, out),
            Inline::Image(image) => out.push_str(&image.alt),
            Inline::FootnoteReference(_) => {}
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

/// The text of blocks, one line per paragraph, cell row or code line; headings excluded
/// (they are indexed on their own).
pub fn blocks_text(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Heading(_) | Block::Rule => {}
            Block::Paragraph(inlines) | Block::Plain(inlines) => {
                push_inlines(inlines, out);
                out.push('\n');
            }
            Block::List(list) => {
                for item in &list.items {
                    blocks_text(&item.blocks, out);
                }
            }
            Block::Code(code) => {
                out.push_str(&code.code);
                out.push('\n');
            }
            Block::Table(table) => {
                for row in std::iter::once(&table.header).chain(&table.rows) {
                    for cell in row {
                        push_inlines(cell, out);
                        out.push(' ');
                    }
                    out.push('\n');
                }
            }
            Block::Quote(quote) => blocks_text(&quote.blocks, out),
            Block::Details(details) => {
                push_inlines(&details.summary, out);
                out.push('\n');
                blocks_text(&details.blocks, out);
            }
            Block::Html(html) => {
                out.push_str(html);
                out.push('\n');
            }
        }
    }
}
