//! Instant search over titles, headings and text of every runbook, run in the browser.
//!
//! A site holds tens of runbooks, not millions of pages: a scan over per-section text is
//! instant and needs no index format to ship or keep in sync.

use std::ops::Range;

use crate::model::Document;
use crate::text::blocks_text;

/// One searchable unit: a runbook's section (or its opening, before any heading).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(from = "Section", into = "Section")]
struct Entry {
    slug: String,
    runbook_title: String,
    /// Empty for a runbook's opening text.
    heading: String,
    anchor: Option<String>,
    text: String,
    heading_folded: Folded,
    title_folded: Folded,
    text_folded: Folded,
}

/// What a published index holds of an entry: its text. The folded copies are larger than
/// the text and follow from it, so they are made again when the index is read.
#[derive(serde::Serialize, serde::Deserialize)]
struct Section {
    slug: String,
    runbook_title: String,
    heading: String,
    anchor: Option<String>,
    text: String,
}

impl From<Section> for Entry {
    fn from(section: Section) -> Entry {
        let Section { slug, runbook_title, heading, anchor, text } = section;
        Entry {
            heading_folded: Folded::new(&heading),
            title_folded: Folded::new(&runbook_title),
            text_folded: Folded::new(&text),
            slug,
            runbook_title,
            heading,
            anchor,
            text,
        }
    }
}

impl From<Entry> for Section {
    fn from(entry: Entry) -> Section {
        let Entry { slug, runbook_title, heading, anchor, text, .. } = entry;
        Section { slug, runbook_title, heading, anchor, text }
    }
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// A search result: where to go, and a snippet to show why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub slug: String,
    pub runbook_title: String,
    pub heading: String,
    /// The heading's anchor; `None` for the top of the runbook.
    pub anchor: Option<String>,
    pub snippet: String,
    /// Byte ranges of `snippet` that matched the query.
    pub highlights: Vec<Range<usize>>,
}

impl SearchIndex {
    /// Indexes every section of `documents` (a library's [`crate::Library::documents`]).
    pub fn build<'a>(documents: impl IntoIterator<Item = &'a Document>) -> SearchIndex {
        let mut entries = Vec::new();
        for runbook in documents {
            for section in runbook.sections() {
                let mut text = String::new();
                if section.heading.is_none() {
                    text.push_str(&runbook.description);
                    text.push('\n');
                }
                blocks_text(section.blocks, &mut text);
                let heading = section.heading.map(|h| crate::text::plain_text(&h.content)).unwrap_or_default();
                entries.push(Entry::from(Section {
                    slug: runbook.slug.clone(),
                    runbook_title: runbook.title.clone(),
                    anchor: section.heading.map(|h| h.anchor.clone()),
                    heading,
                    text,
                }));
            }
        }
        SearchIndex { entries }
    }

    /// Sections matching every word of `query` (case-insensitive), best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query = fold(query);
        let terms: Vec<&str> = query.split_whitespace().collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let phrase = terms.join(" ");
        // The best `limit` hits, best score first, ties in document order: each entry is
        // placed by binary search, so a search over thousands of sections stays linear.
        let mut scored: Vec<(u32, usize)> = Vec::with_capacity(limit + 1);
        for (position, entry) in self.entries.iter().enumerate() {
            let mut score = 0;
            let mut all_found = true;
            for term in &terms {
                let in_heading = entry.heading_folded.text.contains(term);
                let in_title = entry.title_folded.text.contains(term);
                let in_text = entry.text_folded.text.matches(term).take(5).count() as u32;
                if !in_heading && !in_title && in_text == 0 {
                    all_found = false;
                    break;
                }
                score += 10 * in_heading as u32 + 3 * in_title as u32 + in_text;
                if starts_word(&entry.heading_folded.text, term) {
                    score += 5;
                }
            }
            if !all_found {
                continue;
            }
            if terms.len() > 1 {
                score += 30 * entry.heading_folded.text.contains(&phrase) as u32;
                score += 15 * entry.text_folded.text.contains(&phrase) as u32;
            }
            let at = scored.partition_point(|&(best, _)| best >= score);
            if at < limit {
                scored.insert(at, (score, position));
                scored.truncate(limit);
            }
        }
        scored.into_iter().map(|(_, position)| self.hit(&self.entries[position], &terms, &phrase)).collect()
    }

    fn hit(&self, entry: &Entry, terms: &[&str], phrase: &str) -> Hit {
        let (snippet, highlights) = snippet(&entry.text, &entry.text_folded, terms, phrase);
        Hit {
            slug: entry.slug.clone(),
            runbook_title: entry.runbook_title.clone(),
            heading: entry.heading.clone(),
            anchor: entry.anchor.clone(),
            snippet,
            highlights,
        }
    }
}

/// A lowercased copy of a text, with a map back to the original's byte offsets, so
/// matches found case-insensitively can be highlighted in the original.
#[derive(Debug, Clone)]
struct Folded {
    text: String,
    /// For each byte of `text`, the byte offset in the original of the char it came from.
    origin: Vec<usize>,
}

impl Folded {
    fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len());
        for (offset, c) in original.char_indices() {
            let before = text.len();
            if c.is_whitespace() {
                text.push(' ');
            } else {
                text.extend(c.to_lowercase());
            }
            origin.extend(std::iter::repeat_n(offset, text.len() - before));
        }
        origin.push(original.len());
        Folded { text, origin }
    }

    fn original_range(&self, folded: Range<usize>) -> Range<usize> {
        self.origin[folded.start]..self.origin[folded.end]
    }
}

fn fold(text: &str) -> String {
    Folded::new(text).text
}

fn starts_word(text: &str, term: &str) -> bool {
    text.match_indices(term).any(|(i, _)| i == 0 || !text[..i].ends_with(char::is_alphanumeric))
}

const SNIPPET_BEFORE: usize = 40;
const SNIPPET_LEN: usize = 160;

/// About one line of `text` around the best match, with every term's matches marked.
fn snippet(text: &str, folded: &Folded, terms: &[&str], phrase: &str) -> (String, Vec<Range<usize>>) {
    let first_match = folded.text.find(phrase).or_else(|| terms.iter().filter_map(|t| folded.text.find(t)).min());
    let center = first_match.map_or(0, |m| folded.origin[m]);
    let mut start = floor_boundary(text, center.saturating_sub(SNIPPET_BEFORE));
    if let Some(line_start) = text[start..center].rfind('\n') {
        start += line_start + 1;
    }
    let end = floor_boundary(text, (start + SNIPPET_LEN).min(text.len()));
    let raw = &text[start..end];
    let mut highlights: Vec<Range<usize>> = Vec::new();
    for term in terms {
        for (at, _) in folded.text.match_indices(term) {
            let range = folded.original_range(at..at + term.len());
            if range.start >= start && range.end <= end {
                highlights.push(range.start - start..range.end - start);
            }
        }
    }
    crate::small_sort::sort_by_key(&mut highlights, |r| (r.start, r.end));
    highlights.dedup_by(|later, earlier| {
        let overlaps = later.start <= earlier.end;
        if overlaps {
            earlier.end = earlier.end.max(later.end);
        }
        overlaps
    });
    // Newlines become spaces one-for-one, so highlight offsets stay valid.
    let snippet = raw.replace('\n', " ");
    (snippet, highlights)
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}
