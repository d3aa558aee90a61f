//! Markdown body → blocks. The only place parser options are chosen, so every caller
//! (site, build-time checks, benches, fuzzers) reads markdown the same way.

use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, BrokenLink, CodeBlockKind, Event, LinkType, Options, Parser, Tag};

use crate::autolink;
use crate::commands::{command_groups, is_shell};
use crate::diagnostic::{Diagnostic, LineIndex};
use crate::html_model::{self, Resolve};
use crate::links::{classify, KnownRunbooks};
use crate::model::*;
use crate::slug::{heading_anchor, AnchorSet};
use crate::text::plain_text;

/// Deeper nesting than this (hostile input: thousands of `>`) is flattened, so neither this
/// builder nor the views that walk the tree can overflow the stack.
const MAX_DEPTH: usize = 32;

pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

pub(crate) struct Body {
    pub blocks: Vec<Block>,
    pub footnotes: Vec<FootnoteDefinition>,
    pub headings: Vec<HeadingRef>,
}

pub(crate) struct Context<'a> {
    pub file: &'a str,
    /// Path of this runbook relative to the runbooks folder, for resolving relative links.
    pub relative_path: &'a str,
    pub known: Option<&'a KnownRunbooks>,
    pub first_line: u32,
    /// The titles other tools' admonitions give their alerts, by the alert's line
    /// (`dialects::normalise`).
    pub callout_titles: &'a [(u32, String)],
}

pub(crate) fn parse_body(body: &str, context: &Context, diagnostics: &mut Vec<Diagnostic>) -> Body {
    let lines = LineIndex::new(body, context.first_line);
    let mut broken = Vec::new();
    let callback = |link: BrokenLink| {
        // `[Placeholder]` shortcut brackets are template fields, not links; only an explicit
        // `[text][ref]` with no definition is a mistake worth reporting.
        if matches!(link.link_type, LinkType::Reference | LinkType::Collapsed) {
            broken.push((link.span.start, link.reference.to_string()));
        }
        None
    };
    let parser = Parser::new_with_broken_link_callback(body, options(), Some(callback));
    let mut builder = Builder {
        events: parser.into_offset_iter().peekable(),
        source: body,
        lines: &lines,
        context,
        diagnostics: &mut *diagnostics,
        anchors: AnchorSet::default(),
        headings: Vec::new(),
        footnotes: Vec::new(),
        task_marker: None,
        depth: 0,
        in_link: 0,
    };
    let mut blocks = builder.blocks();
    // A stray end event (never expected) must not cut the document short.
    while builder.events.peek().is_some() {
        blocks.extend(builder.blocks());
    }
    let (headings, footnotes) = (builder.headings, builder.footnotes);
    for (offset, reference) in broken {
        diagnostics.push(Diagnostic::warning(
            context.file,
            lines.line(offset),
            format!("link reference `[{reference}]` is not defined; shown as text"),
        ));
    }
    Body { blocks, footnotes, headings }
}

struct Builder<'a, 'd, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    events: Peekable<I>,
    source: &'a str,
    lines: &'d LineIndex,
    context: &'d Context<'d>,
    diagnostics: &'d mut Vec<Diagnostic>,
    anchors: AnchorSet,
    headings: Vec<HeadingRef>,
    footnotes: Vec<FootnoteDefinition>,
    /// The `[ ]`/`[x]` marker of the list item being read.
    task_marker: Option<bool>,
    depth: usize,
    /// Links being read: text inside one is never made a link again.
    in_link: usize,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Builder<'a, '_, I> {
    /// Reads blocks up to the end of the enclosing container (or the document).
    fn blocks(&mut self) -> Vec<Block> {
        self.depth += 1;
        let mut blocks: Vec<(Block, u32)> = Vec::new();
        let mut loose_inlines = Vec::new();
        let mut loose_line = 0;
        let mut transparent = 0usize;
        while let Some((event, range)) = self.events.next() {
            let line = self.lines.line(range.start);
            if self.depth > MAX_DEPTH {
                match event {
                    Event::Start(_) => transparent += 1,
                    Event::End(_) if transparent > 0 => transparent -= 1,
                    Event::End(_) => break,
                    other => self.inline_event(other, line, &mut loose_inlines),
                }
                continue;
            }
            let block = match event {
                Event::End(_) => break,
                Event::Start(Tag::Paragraph) => Block::Paragraph(self.inlines()),
                Event::Start(Tag::Heading { level, .. }) => self.heading(level as u8, line),
                Event::Start(Tag::BlockQuote(kind)) => {
                    let title = kind.and_then(|_| {
                        self.context.callout_titles.iter().find(|(at, _)| *at == line).map(|(_, title)| title.clone())
                    });
                    Block::Quote(Quote { callout: kind.map(callout), title, blocks: self.blocks() })
                }
                Event::Start(Tag::CodeBlock(kind)) => self.code_block(kind, range, line),
                Event::Start(Tag::HtmlBlock) => match self.html_block() {
                    Some(html) => Block::Html(html),
                    None => continue,
                },
                Event::Start(Tag::List(start)) => Block::List(List { start, items: self.list_items() }),
                Event::Start(Tag::Table(alignments)) => self.table(alignments, line),
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let blocks = self.blocks();
                    self.footnotes.push(FootnoteDefinition { label: label.to_string(), blocks });
                    continue;
                }
                Event::Rule => Block::Rule,
                Event::Html(html) => Block::Html(html.to_string()),
                other => {
                    if loose_inlines.is_empty() {
                        loose_line = line;
                    }
                    self.inline_event(other, line, &mut loose_inlines);
                    continue;
                }
            };
            if !loose_inlines.is_empty() {
                let inlines = html_model::read_inline(std::mem::take(&mut loose_inlines), loose_line, self);
                blocks.push((Block::Plain(inlines), loose_line));
            }
            blocks.push((block, line));
        }
        if !loose_inlines.is_empty() {
            let inlines = html_model::read_inline(loose_inlines, loose_line, self);
            blocks.push((Block::Plain(inlines), loose_line));
        }
        self.depth -= 1;
        html_model::fold_blocks(blocks, self)
    }

    /// Reads inline content up to the end of the enclosing span or block.
    fn inlines(&mut self) -> Vec<Inline> {
        self.depth += 1;
        let mut inlines = Vec::new();
        let mut transparent = 0usize;
        let mut first_line = None;
        while let Some((event, range)) = self.events.next() {
            let line = self.lines.line(range.start);
            first_line.get_or_insert(line);
            match event {
                Event::End(_) if transparent > 0 => transparent -= 1,
                Event::End(_) => break,
                Event::Start(_) if self.depth > MAX_DEPTH => transparent += 1,
                other => self.inline_event(other, line, &mut inlines),
            }
        }
        self.depth -= 1;
        let inlines = html_model::read_inline(inlines, first_line.unwrap_or_default(), self);
        if self.in_link > 0 {
            return inlines;
        }
        autolink::link_text(inlines, first_line.unwrap_or_default())
    }

    fn inline_event(&mut self, event: Event<'a>, line: u32, out: &mut Vec<Inline>) {
        let inline = match event {
            Event::Text(text) => {
                if let Some(Inline::Text(previous)) = out.last_mut() {
                    previous.push_str(&text);
                    return;
                }
                Inline::Text(text.to_string())
            }
            Event::Code(code) => Inline::Code(code.to_string()),
            Event::SoftBreak => Inline::SoftBreak,
            Event::HardBreak => Inline::HardBreak,
            Event::TaskListMarker(checked) => {
                self.task_marker = Some(checked);
                return;
            }
            Event::FootnoteReference(label) => Inline::FootnoteReference(label.to_string()),
            Event::InlineHtml(html) | Event::Html(html) => match inline_html(&html) {
                Some(inline) => inline,
                None => return,
            },
            Event::InlineMath(text) | Event::DisplayMath(text) => Inline::Code(text.to_string()),
            Event::Start(Tag::Emphasis) => Inline::Emphasis(self.inlines()),
            Event::Start(Tag::Strong) => Inline::Strong(self.inlines()),
            Event::Start(Tag::Strikethrough) => Inline::Strikethrough(self.inlines()),
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                // `<oncall@example.com>` is an email, not a file next to the runbook.
                let email = link_type == LinkType::Email && !dest_url.starts_with("mailto:");
                let href = if email { format!("mailto:{dest_url}") } else { dest_url.to_string() };
                self.link(&href, &title, line)
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => self.image(&dest_url, &title, line),
            // Any other container inside inline content: keep its text, drop the wrapper.
            Event::Start(_) => {
                out.extend(self.inlines());
                return;
            }
            Event::End(_) | Event::Rule => return,
        };
        out.push(inline);
    }

    fn heading(&mut self, level: u8, line: u32) -> Block {
        let content = self.inlines();
        let text = plain_text(&content);
        let anchor = self.anchors.unique(heading_anchor(&text));
        self.headings.push(HeadingRef { level, text: text.trim().to_string(), anchor: anchor.clone(), line });
        Block::Heading(Heading { level, content, anchor, line })
    }

    fn code_block(&mut self, kind: CodeBlockKind<'a>, range: Range<usize>, line: u32) -> Block {
        let mut code = String::new();
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(_) => break,
                _ => {}
            }
        }
        if code.ends_with('\n') {
            code.pop();
        }
        let lang = match kind {
            CodeBlockKind::Fenced(info) => {
                if !fence_is_closed(&self.source[range]) {
                    self.diagnostics.push(Diagnostic::warning(
                        self.context.file,
                        line,
                        "code block has no closing fence, so the text after it is shown as code",
                    ));
                }
                info.split_whitespace().next().map(str::to_string)
            }
            CodeBlockKind::Indented => None,
        };
        let groups = if is_shell(lang.as_deref()) { command_groups(&code) } else { Vec::new() };
        Block::Code(CodeBlock { lang, code, line, groups })
    }

    /// Raw HTML is kept as text; a block that is only HTML comments is dropped.
    fn html_block(&mut self) -> Option<String> {
        let mut html = String::new();
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Html(text) | Event::Text(text) | Event::InlineHtml(text) => html.push_str(&text),
                Event::End(_) => break,
                _ => {}
            }
        }
        let html = html.trim_end().to_string();
        (!is_only_comments(&html)).then_some(html)
    }

    fn list_items(&mut self) -> Vec<ListItem> {
        let mut items = Vec::new();
        while let Some((event, range)) = self.events.next() {
            match event {
                Event::Start(Tag::Item) => {
                    let outer_marker = self.task_marker.take();
                    let blocks = self.blocks();
                    let task = std::mem::replace(&mut self.task_marker, outer_marker);
                    items.push(ListItem { task, blocks, line: self.lines.line(range.start) });
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        items
    }

    fn table(&mut self, alignments: Vec<pulldown_cmark::Alignment>, line: u32) -> Block {
        let alignments = alignments.into_iter().map(alignment).collect();
        let mut table = Table { alignments, header: Vec::new(), rows: Vec::new(), line };
        while let Some((event, _)) = self.events.next() {
            match event {
                Event::Start(Tag::TableHead) => table.header = self.table_cells(),
                Event::Start(Tag::TableRow) => {
                    let row = self.table_cells();
                    table.rows.push(row);
                }
                Event::End(_) => break,
                _ => {}
            }
        }
        Block::Table(table)
    }

    fn table_cells(&mut self) -> Vec<Vec<Inline>> {
        let mut cells = Vec::new();
        while let Some((event, _)) = self.events.next() {
            match event {
                Event::Start(Tag::TableCell) => cells.push(self.inlines()),
                Event::End(_) => break,
                _ => {}
            }
        }
        cells
    }

    fn link(&mut self, href: &str, title: &str, line: u32) -> Inline {
        let target = self.link_target(href, line);
        self.in_link += 1;
        let content = self.inlines();
        self.in_link -= 1;
        Inline::Link(Link { target, title: title.to_string(), content, line })
    }

    /// Where `href` goes, with a diagnostic for a missing runbook or a refused scheme.
    fn link_target(&mut self, href: &str, line: u32) -> LinkTarget {
        let target = classify(href, self.context.relative_path, self.context.known);
        let file = self.context.file;
        match &target {
            LinkTarget::MissingRunbook { href } => self.diagnostics.push(Diagnostic::warning(
                file,
                line,
                format!("link to a runbook this site doesn't have: {href}"),
            )),
            LinkTarget::Unsafe { href } => self.diagnostics.push(Diagnostic::warning(
                file,
                line,
                format!("link `{href}` uses a scheme the site does not follow; shown as text"),
            )),
            _ => {}
        }
        target
    }

    fn image(&mut self, src: &str, title: &str, line: u32) -> Inline {
        let alt = plain_text(&self.inlines());
        let src = self.image_source(src, line);
        Inline::Image(Image { src, alt, title: title.to_string(), line })
    }

    /// Where an image loads from, with a diagnostic when it cannot be.
    fn image_source(&mut self, src: &str, line: u32) -> ImageSource {
        let lower = src.trim().to_ascii_lowercase();
        if lower.starts_with("data:image/") {
            ImageSource::Url(src.trim().to_string())
        } else {
            match classify(src, self.context.relative_path, None) {
                LinkTarget::External(url) if !url.starts_with("mailto:") && !url.starts_with("tel:") => {
                    ImageSource::Url(url)
                }
                LinkTarget::File { path } => ImageSource::File(path),
                _ => {
                    self.diagnostics.push(Diagnostic::warning(
                        self.context.file,
                        line,
                        format!("image `{src}` cannot be loaded from the site; its description is shown instead"),
                    ));
                    ImageSource::Blocked(src.to_string())
                }
            }
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Resolve for Builder<'a, '_, I> {
    fn link(&mut self, href: &str, title: &str, content: Vec<Inline>, line: u32) -> Inline {
        let target = self.link_target(href, line);
        Inline::Link(Link { target, title: title.to_string(), content, line })
    }

    fn image(&mut self, src: &str, alt: &str, title: &str, line: u32) -> Inline {
        let src = self.image_source(src, line);
        Inline::Image(Image { src, alt: alt.to_string(), title: title.to_string(), line })
    }
}

fn inline_html(html: &str) -> Option<Inline> {
    let compact: String = html.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    if matches!(compact.as_str(), "<br>" | "<br/>") {
        return Some(Inline::HardBreak);
    }
    (!is_only_comments(html)).then(|| Inline::Html(html.to_string()))
}

fn is_only_comments(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether a fenced block's source ends with a closing fence of the opening's kind.
fn fence_is_closed(block_source: &str) -> bool {
    let opening = block_source.trim_start();
    let fence_char = match opening.chars().next() {
        Some(c @ ('`' | '~')) => c,
        _ => return true,
    };
    let fence_len = opening.chars().take_while(|&c| c == fence_char).count();
    let mut lines = block_source.trim_end().lines();
    lines.next();
    lines.last().is_some_and(|last| {
        // Inside a block quote the closing fence line starts with `>`.
        let last = last.trim_start_matches(|c: char| c == '>' || c.is_whitespace()).trim_end();
        last.len() >= fence_len && last.chars().all(|c| c == fence_char)
    })
}

fn callout(kind: BlockQuoteKind) -> Callout {
    match kind {
        BlockQuoteKind::Note => Callout::Note,
        BlockQuoteKind::Tip => Callout::Tip,
        BlockQuoteKind::Important => Callout::Important,
        BlockQuoteKind::Warning => Callout::Warning,
        BlockQuoteKind::Caution => Callout::Caution,
    }
}

fn alignment(alignment: pulldown_cmark::Alignment) -> Alignment {
    match alignment {
        pulldown_cmark::Alignment::None => Alignment::None,
        pulldown_cmark::Alignment::Left => Alignment::Left,
        pulldown_cmark::Alignment::Center => Alignment::Center,
        pulldown_cmark::Alignment::Right => Alignment::Right,
    }
}
