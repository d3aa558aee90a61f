//! A runbook's title and its one-line description (the card on the home page, search, the
//! page's meta description), as a reader expects them from runbooks written for other tools:
//! no file name where a heading says more, no table of contents or metadata as the summary.

use crate::front_matter::FrontMatter;
use crate::model::{Block, HeadingRef, Inline};
use crate::text;

/// The longest description, in characters.
pub const DESCRIPTION_CHARS: usize = 240;

/// Front matter `title`, else the first `#` heading, else the first heading of any level,
/// else the file name made readable (`gitlab-patroni-locking.md` → "Gitlab patroni locking").
pub fn title(front_matter: &FrontMatter, headings: &[HeadingRef], relative_path: &str) -> String {
    let heading = |only_top: bool| {
        headings.iter().find(|h| (!only_top || h.level == 1) && !h.text.trim().is_empty()).map(|h| h.text.clone())
    };
    front_matter
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| heading(true))
        .or_else(|| heading(false))
        .or_else(|| readable_file_name(relative_path))
        .unwrap_or_else(|| "Untitled runbook".to_string())
}

/// `gitlab-patroni_locking.md` → "Gitlab patroni locking".
fn readable_file_name(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let words: Vec<&str> = stem.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let mut text = words.join(" ");
    let first = text.chars().next()?;
    text.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
    Some(text)
}

/// The front matter's description, unless it only repeats the title; else the first
/// paragraph that says something: not a table-of-contents marker, not a "Table of Contents"
/// label, not lines of metadata (`Severity: Critical`). Cut at a sentence's end when long.
pub fn description(front_matter: &FrontMatter, title: &str, blocks: &[Block]) -> String {
    if let Some(description) = &front_matter.description {
        let description = description.trim();
        if !description.is_empty() && !description.eq_ignore_ascii_case(title.trim()) {
            return shorten(description);
        }
    }
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::Paragraph(inlines) => Some(lines_of(inlines)),
            _ => None,
        })
        .find(|text| says_something(text))
        .map(|text| shorten(&text.split_whitespace().collect::<Vec<_>>().join(" ")))
        .unwrap_or_default()
}

/// A paragraph's text with its line breaks kept (metadata is told by its lines).
fn lines_of(inlines: &[Inline]) -> String {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::SoftBreak | Inline::HardBreak => "\n".to_string(),
            other => text::plain_text(std::slice::from_ref(other)),
        })
        .collect()
}

/// Whether a paragraph's text is worth a card: not a marker, a label or metadata.
fn says_something(text: &str) -> bool {
    let flat = text.trim().trim_end_matches(':').trim().to_lowercase();
    let markers = ["[[_toc_]]", "[toc]", "[[toc]]", "{:toc}", "${toc}", "table of contents", "contents", "toc"];
    !flat.is_empty() && !markers.contains(&flat.as_str()) && !is_metadata(text)
}

/// Every line `Key: short value` (`Severity: Critical`, `Owner: @db-team`): metadata, not
/// a sentence. A line like "Note: the primary may be read-only during failover." is prose.
fn is_metadata(text: &str) -> bool {
    text.lines().filter(|l| !l.trim().is_empty()).all(|line| {
        line.split_once(':').is_some_and(|(key, value)| {
            let key_words = key.split_whitespace().count();
            let value_words = value.split_whitespace().count();
            (1..=3).contains(&key_words) && (1..=4).contains(&value_words) && !value.trim_end().ends_with('.')
        })
    })
}

/// At most [`DESCRIPTION_CHARS`]: whole sentences when the first ones fit, else cut at a word
/// with `…`. Cut on characters, never inside one.
fn shorten(text: &str) -> String {
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text.to_string();
    }
    let end = text.char_indices().nth(DESCRIPTION_CHARS).map_or(text.len(), |(at, _)| at);
    let head = &text[..end];
    if let Some(stop) = head.rfind(". ").filter(|&at| at > DESCRIPTION_CHARS / 3) {
        return head[..=stop].to_string();
    }
    let cut = head.rfind(' ').unwrap_or(end);
    format!("{}…", head[..cut].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, text: &str) -> HeadingRef {
        HeadingRef { level, text: text.into(), anchor: String::new(), line: 1 }
    }

    #[test]
    fn a_runbook_without_a_top_heading_takes_its_first_heading_then_its_file_name() {
        let none = FrontMatter::default();
        assert_eq!(title(&none, &[heading(2, "Meaning"), heading(1, "Patroni locks")], "a.md"), "Patroni locks");
        assert_eq!(title(&none, &[heading(3, "Symptoms")], "a.md"), "Symptoms");
        assert_eq!(
            title(&none, &[], "gitlab/gitlab-patroni_postgresql-locking.md"),
            "Gitlab patroni postgresql locking"
        );
        assert_eq!(title(&none, &[], "été-panne.md"), "Été panne");
        assert_eq!(title(&none, &[], "---.md"), "Untitled runbook");
    }

    #[test]
    fn markers_labels_and_metadata_are_not_a_description() {
        for text in [
            "[[_TOC_]]",
            "[TOC]",
            "Table of Contents",
            "Table of contents:",
            "Severity: Critical",
            "Severity: Critical\nTeam: Database",
        ] {
            assert!(!says_something(text), "{text:?}");
        }
        for text in [
            "Note: the primary may be read-only during failover.",
            "Patroni holds a lock on the leader key.",
            "数据库主节点故障时的处理步骤。",
        ] {
            assert!(says_something(text), "{text:?}");
        }
    }

    #[test]
    fn a_long_description_ends_at_a_sentence_or_a_word_never_inside_a_character() {
        let sentences = format!(
            "{} Second sentence that does not fit {}.",
            "First sentence, long enough to keep on its own here.".repeat(2),
            "x ".repeat(200)
        );
        assert!(shorten(&sentences).ends_with("here."));
        let cjk = "数".repeat(500);
        assert_eq!(shorten(&cjk).chars().count(), DESCRIPTION_CHARS + 1, "cut at the limit with an ellipsis");
        let words = "é ".repeat(300);
        assert!(shorten(&words).ends_with('…'));
    }
}
