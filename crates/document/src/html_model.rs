//! Raw HTML of the subset (`crate::html`) turned into the model: inline tags paired into
//! elements, `<details>` blocks folded around the blocks between their opening and closing
//! tags. A tag without its partner stays text, so nothing is lost and nothing is guessed.

use crate::html::{tokens, Token};
use crate::model::{Block, Details, Inline, InlineTag, Tagged};
use crate::text::plain_text;

/// Makes links and images from what tags say: the parser classifies them as it does
/// markdown's, with its diagnostics.
pub(crate) trait Resolve {
    fn link(&mut self, href: &str, title: &str, content: Vec<Inline>, line: u32) -> Inline;
    fn image(&mut self, src: &str, alt: &str, title: &str, line: u32) -> Inline;
}

/// A piece of inline content: a node already built, or a tag with the HTML it came from.
enum Item {
    Node(Inline),
    Tag { token: Token, raw: String },
}

const VOID: &[&str] = &["br", "img"];

/// Inline tags nest at most this deep, and `<details>` sections at most [`MAX_SECTIONS`]:
/// deeper ones stay text, so hostile nesting can neither overflow a stack here or in the
/// views nor cost more than linear time.
const MAX_TAG_DEPTH: usize = 16;
const MAX_SECTIONS: usize = 8;
const BLOCK_ONLY: &[&str] = &["details", "summary"];

/// Inline content with the subset's tags read: `<kbd>…</kbd>` becomes an element, `<br>` a
/// break, `<a href>` a link; an unpaired tag stays as text.
pub(crate) fn read_inline(inlines: Vec<Inline>, line: u32, resolve: &mut dyn Resolve) -> Vec<Inline> {
    if !inlines.iter().any(|i| matches!(i, Inline::Html(_))) {
        return inlines;
    }
    let mut items = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Html(raw) => match tokens(&raw).as_deref() {
                Some([token]) if !matches!(token, Token::Text(_)) => {
                    items.push(Item::Tag { token: token.clone(), raw });
                }
                _ => items.push(Item::Node(Inline::Html(raw))),
            },
            other => items.push(Item::Node(other)),
        }
    }
    build(items, line, resolve)
}

/// Tokens of a whole piece of HTML as inline content; `None` when any tag stays unpaired
/// or is one only blocks take.
fn inline_tokens(tokens: Vec<Token>, line: u32, resolve: &mut dyn Resolve) -> Option<Vec<Inline>> {
    let items = tokens
        .into_iter()
        .map(|token| match token {
            Token::Text(text) => Item::Node(Inline::Text(text)),
            token => Item::Tag { raw: String::new(), token },
        })
        .collect();
    let inlines = build(items, line, resolve);
    (!contains_raw(&inlines)).then_some(inlines)
}

fn contains_raw(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Html(_) => true,
        Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => contains_raw(c),
        Inline::Tagged(t) => contains_raw(&t.content),
        Inline::Link(l) => contains_raw(&l.content),
        _ => false,
    })
}

/// Pairs opening and closing tags (strictly nested), then builds the elements.
fn build(items: Vec<Item>, line: u32, resolve: &mut dyn Resolve) -> Vec<Inline> {
    let mut partner = vec![None; items.len()];
    let mut open: Vec<(usize, &str)> = Vec::new();
    for (at, item) in items.iter().enumerate() {
        match item {
            Item::Tag { token: Token::Open { name, .. }, .. }
                if !VOID.contains(&name.as_str()) && open.len() < MAX_TAG_DEPTH =>
            {
                open.push((at, name))
            }
            Item::Tag { token: Token::Close { name }, .. } => {
                if let Some(depth) = open.iter().rposition(|(_, n)| n == name) {
                    // Tags opened inside this one and never closed stay text.
                    open.truncate(depth + 1);
                    let (start, _) = open.pop().expect("found above");
                    partner[start] = Some(at);
                    partner[at] = Some(start);
                }
            }
            _ => {}
        }
    }
    let mut items: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    elements(&mut items, &partner, 0, partner.len(), line, resolve)
}

fn elements(
    items: &mut [Option<Item>],
    partner: &[Option<usize>],
    from: usize,
    to: usize,
    line: u32,
    resolve: &mut dyn Resolve,
) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut at = from;
    while at < to {
        let Some(item) = items[at].take() else {
            at += 1;
            continue;
        };
        match item {
            Item::Node(Inline::Text(text)) => match out.last_mut() {
                Some(Inline::Text(previous)) => previous.push_str(&text),
                _ => out.push(Inline::Text(text)),
            },
            Item::Node(node) => out.push(node),
            Item::Tag { token, raw } => match (&token, partner[at]) {
                (Token::Open { name, .. }, _) if name == "br" => out.push(Inline::HardBreak),
                (Token::Open { name, .. }, _) if name == "img" => {
                    let attribute = |key| token.attribute(key).unwrap_or_default();
                    match token.attribute("src") {
                        Some(src) => out.push(resolve.image(src, attribute("alt"), attribute("title"), line)),
                        None => out.push(Inline::Text(attribute("alt").to_string())),
                    }
                }
                (Token::Open { name, .. }, Some(end)) if !BLOCK_ONLY.contains(&name.as_str()) => {
                    let content = elements(items, partner, at + 1, end, line, resolve);
                    items[end] = None;
                    out.extend(element(name, &token, content, line, resolve));
                    at = end;
                }
                _ => out.push(Inline::Html(if raw.is_empty() { describe(&token) } else { raw })),
            },
        }
        at += 1;
    }
    out
}

/// What a paired tag means around `content`.
fn element(name: &str, token: &Token, content: Vec<Inline>, line: u32, resolve: &mut dyn Resolve) -> Vec<Inline> {
    let tagged = |tag| vec![Inline::Tagged(Tagged { tag, content: content.clone() })];
    match name {
        "b" | "strong" => vec![Inline::Strong(content)],
        "i" | "em" => vec![Inline::Emphasis(content)],
        "del" | "s" | "strike" => vec![Inline::Strikethrough(content)],
        "code" => vec![Inline::Code(plain_text(&content))],
        "kbd" => tagged(InlineTag::Kbd),
        "sub" => tagged(InlineTag::Sub),
        "sup" => tagged(InlineTag::Sup),
        "ins" => tagged(InlineTag::Ins),
        "mark" => tagged(InlineTag::Mark),
        "a" => match token.attribute("href") {
            Some(href) => vec![resolve.link(href, token.attribute("title").unwrap_or_default(), content, line)],
            None => content,
        },
        // `nobr`, `span`, `p`, `div`: the content, without the wrapper.
        _ => content,
    }
}

/// A tag written back as text, for one that stays unpaired.
fn describe(token: &Token) -> String {
    match token {
        Token::Open { name, .. } => format!("<{name}>"),
        Token::Close { name } => format!("</{name}>"),
        Token::Text(text) => text.clone(),
    }
}

/// Blocks with raw HTML of the subset read: a `<details>` opening folds the blocks up to its
/// closing `</details>` (or the end of the container: a browser closes it there too), and an
/// HTML block of inline tags only (`<img …>`, `<p><kbd>…</kbd></p>`) becomes a paragraph.
pub(crate) fn fold_blocks(blocks: Vec<(Block, u32)>, resolve: &mut dyn Resolve) -> Vec<Block> {
    fold(blocks, resolve, 0)
}

fn fold(blocks: Vec<(Block, u32)>, resolve: &mut dyn Resolve, sections: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut rest: std::collections::VecDeque<(Block, u32)> = blocks.into();
    while let Some((block, line)) = rest.pop_front() {
        let Block::Html(raw) = &block else {
            out.push(block);
            continue;
        };
        let Some(tokens) = tokens(raw) else {
            out.push(block);
            continue;
        };
        let tokens: Vec<Token> =
            tokens.into_iter().filter(|t| !matches!(t, Token::Text(text) if text.trim().is_empty())).collect();
        if tokens.first().is_some_and(|t| t.is_open("details")) && sections < MAX_SECTIONS {
            match opening(&tokens, line, resolve) {
                Some((mut details, closed)) => {
                    if !closed {
                        let mut inner = Vec::new();
                        let mut depth = 1;
                        while let Some((next, next_line)) = rest.pop_front() {
                            // `</details>` then another `<details>` in one piece of HTML: the
                            // section ends at the close, and what follows is read afresh.
                            if let Block::Html(raw) = &next {
                                if let Some((start, end)) = closing_of(raw, depth) {
                                    let (before, after) = (raw[..start].trim(), raw[end..].trim_start());
                                    if !before.is_empty() {
                                        inner.push((Block::Html(before.to_string()), next_line));
                                    }
                                    if !after.trim().is_empty() {
                                        let skipped = &raw[..raw.len() - after.len()];
                                        let after_line = next_line + skipped.matches('\n').count() as u32;
                                        rest.push_front((Block::Html(after.to_string()), after_line));
                                    }
                                    break;
                                }
                            }
                            depth += details_balance(&next);
                            if depth <= 0 {
                                break;
                            }
                            inner.push((next, next_line));
                        }
                        details.blocks.extend(fold(inner, resolve, sections + 1));
                    }
                    out.push(Block::Details(details));
                }
                None => out.push(block),
            }
        } else if tokens.iter().any(|t| BLOCK_ONLY.iter().any(|tag| t.is_open(tag) || t.is_close(tag))) {
            out.push(block);
        } else {
            match inline_tokens(tokens, line, resolve) {
                Some(inlines) if !inlines.is_empty() => out.push(Block::Paragraph(inlines)),
                Some(_) => {}
                None => out.push(block),
            }
        }
    }
    out
}

/// `<details [open]>[<summary>…</summary>][content][</details>]`: the section, and whether
/// it closed in the same piece of HTML.
fn opening(tokens: &[Token], line: u32, resolve: &mut dyn Resolve) -> Option<(Details, bool)> {
    let open = tokens[0].attribute("open").is_some();
    let mut rest = &tokens[1..];
    let mut summary = vec![Inline::Text("Details".into())];
    if rest.first().is_some_and(|t| t.is_open("summary")) {
        let end = rest.iter().position(|t| t.is_close("summary"))?;
        summary = inline_tokens(rest[1..end].to_vec(), line, resolve)?;
        rest = &rest[end + 1..];
    }
    let closed = rest.last().is_some_and(|t| t.is_close("details"));
    let content = if closed { &rest[..rest.len() - 1] } else { rest };
    let mut blocks = Vec::new();
    if !content.is_empty() {
        blocks.push(Block::Paragraph(inline_tokens(content.to_vec(), line, resolve)?));
    }
    Some((Details { open, summary, blocks }, closed))
}

/// Where the `</details>` that closes `depth` open sections lies in `raw`, if it does.
fn closing_of(raw: &str, mut depth: i32) -> Option<(usize, usize)> {
    let lower = raw.to_ascii_lowercase();
    let mut at = 0;
    while let Some(offset) = lower[at..].find("details") {
        let name = at + offset;
        at = name + "details".len();
        let boundary = lower[at..].starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace());
        if !boundary {
            continue;
        }
        if lower[..name].ends_with("</") {
            depth -= 1;
            if depth == 0 {
                let end = lower[at..].find('>').map_or(lower.len(), |close| at + close + 1);
                return Some((name - 2, end));
            }
        } else if lower[..name].ends_with('<') {
            depth += 1;
        }
    }
    None
}

/// How a block changes the depth of open `<details>`: +1 for an opening, -1 for a closing.
fn details_balance(block: &Block) -> i32 {
    let Block::Html(raw) = block else { return 0 };
    tokens(raw).map_or(0, |tokens| {
        tokens.iter().map(|t| i32::from(t.is_open("details")) - i32::from(t.is_close("details"))).sum()
    })
}
