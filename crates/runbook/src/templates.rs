//! Communication templates: fenced blocks with `[Placeholder]` fields, such as
//! `INCIDENT: [Brief description]`, `SEVERITY: SEV[1-4]`, `**Date:** YYYY-MM-DD`.

use document::commands::is_shell;
use document::model::{Block, CodeBlock};
use document::text::plain_text;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Template {
    /// What the runbook calls it: "Post-mortem template", "Update communication".
    pub title: String,
    /// Line of the code block, which the view replaces with the form.
    pub line: u32,
    pub section: String,
    pub segments: Vec<Segment>,
    pub is_post_mortem: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Segment {
    Text(String),
    Field(Field),
    /// The post-mortem's `- HH:MM - [Event]` lines, replaced by the incident's timeline.
    Timeline(String),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    /// Fields with the same key share one value across all templates: "brief description".
    pub key: String,
    /// The placeholder as written, shown while the field is empty: "[Brief description]".
    pub placeholder: String,
    pub kind: FieldKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FieldKind {
    Text,
    /// `SEV[1-4]`: follows the incident's severity.
    Severity,
    /// `YYYY-MM-DD`: the incident's date.
    Date,
    /// `HH:MM` or `[Time]`: now.
    Time,
    /// `NEXT UPDATE: [Time]`: when the next update is due; starts a reminder.
    NextUpdate,
    /// `DURATION: [How long it lasted]` or `**Duration:** HH:MM`: from the clock.
    Duration {
        clock_format: bool,
    },
}

impl Template {
    /// The id of its form on the page, `template-post-mortem-template`: the one way a view
    /// or a link names a template.
    pub fn anchor(&self) -> String {
        format!("template-{}", self.title.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-"))
    }

    /// Each field once, in order of first use: fields of one name share one value, so a
    /// form asks for each once.
    pub fn distinct_fields(&self) -> Vec<&Field> {
        let mut seen: Vec<&str> = Vec::new();
        self.fields()
            .filter(|f| {
                let new = !seen.contains(&f.key.as_str());
                seen.push(&f.key);
                new
            })
            .collect()
    }

    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Field(f) => Some(f),
            _ => None,
        })
    }

    /// The filled-in text. `value` gives a field's text (`None` keeps the placeholder);
    /// `timeline` replaces the post-mortem's timeline lines when it has any.
    pub fn render(&self, value: &dyn Fn(&Field) -> Option<String>, timeline: &[String]) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Field(field) => out.push_str(&value(field).unwrap_or_else(|| field.placeholder.clone())),
                Segment::Timeline(written) if timeline.is_empty() => out.push_str(written),
                Segment::Timeline(_) => out.push_str(&timeline.join("\n")),
            }
        }
        out
    }
}

/// Templates among the blocks: non-shell fenced blocks that hold at least one field.
pub fn find_templates(blocks: &[Block]) -> Vec<Template> {
    let mut templates = Vec::new();
    let mut walker = Walker { section: String::new(), section_title: String::new(), last_label: String::new() };
    walker.walk(blocks, &mut templates);
    templates
}

/// Languages a message is written in. A block of code or data (`json`, `yaml`, `hcl`…) is
/// never a template: its `[1]` and `["a"]` are the language's own brackets.
fn is_prose(lang: Option<&str>) -> bool {
    let lang = lang.map(str::to_ascii_lowercase);
    matches!(
        lang.as_deref(),
        None | Some("text" | "txt" | "plain" | "plaintext" | "markdown" | "md" | "email" | "mail")
    )
}

struct Walker {
    section: String,
    section_title: String,
    /// The text just before a block, e.g. "**Post-mortem template:**".
    last_label: String,
}

impl Walker {
    fn walk(&mut self, blocks: &[Block], out: &mut Vec<Template>) {
        for block in blocks {
            match block {
                Block::Heading(h) => {
                    self.section = h.anchor.clone();
                    self.section_title = crate::phases::bare_title(&plain_text(&h.content));
                    self.last_label.clear();
                }
                Block::Paragraph(inlines) | Block::Plain(inlines) => self.last_label = plain_text(inlines),
                Block::List(list) => list.items.iter().for_each(|item| self.walk(&item.blocks, out)),
                Block::Quote(quote) => self.walk(&quote.blocks, out),
                Block::Details(details) => self.walk(&details.blocks, out),
                Block::Code(code) => {
                    if let Some(template) = self.template(code) {
                        out.push(template);
                    }
                }
                _ => {}
            }
        }
    }

    fn template(&self, code: &CodeBlock) -> Option<Template> {
        if is_shell(code.lang.as_deref()) || !is_prose(code.lang.as_deref()) {
            return None;
        }
        let segments = parse_segments(&code.code);
        if !segments.iter().any(|s| matches!(s, Segment::Field(_) | Segment::Timeline(_))) {
            return None;
        }
        let label = self.last_label.trim().trim_end_matches(':').trim().to_string();
        let title = match label.to_lowercase().as_str() {
            "" | "template" => format!("{} template", self.section_title),
            _ => label,
        };
        let lower = format!("{title} {}", code.code).to_lowercase();
        let is_post_mortem =
            ["post-mortem", "postmortem", "post mortem", "retrospective"].iter().any(|k| lower.contains(k))
                || segments.iter().any(|s| matches!(s, Segment::Timeline(_)));
        Some(Template { title, line: code.line, section: self.section.clone(), segments, is_post_mortem })
    }
}

fn parse_segments(code: &str) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut text = String::new();
    let mut timeline = String::new();
    for line in code.split_inclusive('\n') {
        if is_timeline_line(line) {
            timeline.push_str(line);
            continue;
        }
        flush_timeline(&mut segments, &mut text, &mut timeline);
        parse_line(line, &mut segments, &mut text);
    }
    flush_timeline(&mut segments, &mut text, &mut timeline);
    flush(&mut segments, &mut text);
    segments
}

/// The timeline lines gathered so far become one segment; the newline after the last one
/// stays text, so the block reads back as written.
fn flush_timeline(segments: &mut Vec<Segment>, text: &mut String, timeline: &mut String) {
    if timeline.is_empty() {
        return;
    }
    flush(segments, text);
    let written = timeline.strip_suffix('\n');
    segments.push(Segment::Timeline(written.unwrap_or(timeline).to_string()));
    if written.is_some() {
        text.push('\n');
    }
    timeline.clear();
}

fn flush(segments: &mut Vec<Segment>, text: &mut String) {
    if !text.is_empty() {
        segments.push(Segment::Text(std::mem::take(text)));
    }
}

/// `- HH:MM - [Event]`: one entry of a post-mortem timeline.
fn is_timeline_line(line: &str) -> bool {
    let rest = line.trim().trim_start_matches(['-', '*']).trim_start();
    rest.starts_with("HH:MM") && rest.contains('[')
}

/// One pass over the line: each position is looked at once, and the next `[` and `]` are
/// found once per stretch (a line of 200,000 `[` is linear, not quadratic).
fn parse_line(line: &str, segments: &mut Vec<Segment>, text: &mut String) {
    let label = line_label(line);
    let bytes = line.as_bytes();
    let mut next = Next { open: NextByte::new(b'['), close: NextByte::new(b']') };
    let (mut done, mut at) = (0, 0);
    while at < bytes.len() {
        // Compared as bytes: `at` walks every byte, most of a non-ASCII character included,
        // and a field only ever starts at an ASCII byte (so on a character boundary).
        let rest = &bytes[at..];
        let starts = match bytes[at] {
            b'[' => true,
            b'Y' => rest.starts_with(b"YYYY-MM-DD"),
            b'H' => rest.starts_with(b"HH:MM"),
            _ => false,
        };
        if !starts {
            at += 1;
            continue;
        }
        let (field, length) = field_at(line, at, &label, &mut next);
        let Some(field) = field else {
            at += length;
            continue;
        };
        let field_start = at - severity_prefix_len(&line[done..at], &field);
        text.push_str(&line[done..field_start]);
        let placeholder = line[field_start..at + length].to_string();
        flush(segments, text);
        segments.push(Segment::Field(Field { placeholder, ..field }));
        at += length;
        done = at;
    }
    text.push_str(&line[done..]);
}

/// The next position of a byte at or after a point, remembered while the point moves
/// forward, so finding it for every point of a line costs one pass.
struct NextByte {
    byte: u8,
    found: Option<usize>,
    searched_from: usize,
    none_after: bool,
}

impl NextByte {
    fn new(byte: u8) -> NextByte {
        NextByte { byte, found: None, searched_from: 0, none_after: false }
    }

    fn at_or_after(&mut self, line: &[u8], from: usize) -> Option<usize> {
        if self.none_after && from >= self.searched_from {
            return None;
        }
        if let Some(found) = self.found.filter(|&f| f >= from && from >= self.searched_from) {
            return Some(found);
        }
        self.searched_from = from;
        self.found = line[from.min(line.len())..].iter().position(|&b| b == self.byte).map(|p| p + from);
        self.none_after = self.found.is_none();
        self.found
    }
}

struct Next {
    open: NextByte,
    close: NextByte,
}

/// For `SEV[1-4]`, the field starts at the letters before the bracket.
fn severity_prefix_len(before: &str, field: &Field) -> usize {
    if field.kind != FieldKind::Severity {
        return 0;
    }
    before.len() - before.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len()
}

/// The field starting at byte `at` of `line` (which begins with `[`, `YYYY-MM-DD` or
/// `HH:MM`), and how many bytes it covers; `None` with a length to skip when it is not a field.
fn field_at(line: &str, at: usize, label: &str, next: &mut Next) -> (Option<Field>, usize) {
    let text = &line[at..];
    let field = |key: &str, kind| Some(Field { key: key.to_string(), placeholder: String::new(), kind });
    if text.starts_with("YYYY-MM-DD") {
        return (field("date", FieldKind::Date), 10);
    }
    if text.starts_with("HH:MM") {
        return match label {
            "duration" => (field("duration", FieldKind::Duration { clock_format: true }), 5),
            _ => (field("time", FieldKind::Time), 5),
        };
    }
    let bytes = line.as_bytes();
    let Some(close) = next.close.at_or_after(bytes, at + 1).map(|c| c - at) else {
        return (None, 1);
    };
    let nested = next.open.at_or_after(bytes, at + 1).is_some_and(|open| open - at < close);
    let inner = &text[1..close];
    if inner.is_empty() || nested || matches!(inner, " " | "x" | "X") {
        return (None, 1);
    }
    let is_range = inner.split_once('-').is_some_and(|(a, b)| {
        a.trim().chars().all(|c| c.is_ascii_digit())
            && b.trim().chars().all(|c| c.is_ascii_digit())
            && !a.trim().is_empty()
    });
    if is_range {
        return (field("severity", FieldKind::Severity), close + 1);
    }
    let key = inner.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let kind = match (key.as_str(), label) {
        ("time", "next update") => FieldKind::NextUpdate,
        (_, "duration") => FieldKind::Duration { clock_format: false },
        ("time", _) => FieldKind::Time,
        ("date", _) => FieldKind::Date,
        _ => FieldKind::Text,
    };
    let key = match kind {
        FieldKind::NextUpdate => "next update".to_string(),
        FieldKind::Duration { .. } => "duration".to_string(),
        _ => key,
    };
    (Some(Field { key, placeholder: String::new(), kind }), close + 1)
}

/// `**Duration:** HH:MM` → `duration`; `NEXT UPDATE: [Time]` → `next update`.
fn line_label(line: &str) -> String {
    let Some((label, _)) = line.split_once(':') else {
        return String::new();
    };
    let label: String = label.chars().filter(|c| c.is_alphanumeric() || c.is_whitespace()).collect();
    label.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}
