//! GFM's extended autolinks: `https://…`, `www.…` and `name@example.com` written in plain
//! text become links, as GitHub (where most runbooks are read today) shows them. The rules
//! follow the GFM spec: a valid domain, then anything up to a space or `<`, less trailing
//! punctuation, an unbalanced `)` and an entity-like `&…;`.

use crate::model::{Inline, Link, LinkTarget};

/// `inlines` with the links written in their text made links (not inside a link: a caller
/// reading a link's content does not call this).
pub fn link_text(inlines: Vec<Inline>, line: u32) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let Inline::Text(text) = &inline else {
            out.push(inline);
            continue;
        };
        let found = pieces(text);
        if found.len() == 1 && matches!(found[0], Piece::Text(_)) {
            out.push(inline);
            continue;
        }
        out.extend(found.into_iter().map(|piece| match piece {
            Piece::Text(text) => Inline::Text(text.to_string()),
            Piece::Link { text, href } => Inline::Link(Link {
                target: LinkTarget::External(href),
                title: String::new(),
                content: vec![Inline::Text(text.to_string())],
                line,
            }),
        }));
    }
    out
}

/// A run of text, or a link found in it (`text` as written, `href` where it goes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Link { text: &'a str, href: String },
}

/// `text` cut into plain runs and the links written in it, in order; all text when none.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let (mut plain_from, mut at) = (0, 0);
    while at < text.len() {
        let found = if starts_link(text, at) { url_at(text, at).or_else(|| email_at(text, at)) } else { None };
        match found {
            Some((end, href)) => {
                if plain_from < at {
                    out.push(Piece::Text(&text[plain_from..at]));
                }
                out.push(Piece::Link { text: &text[at..end], href });
                plain_from = end;
                at = end;
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_from < text.len() {
        out.push(Piece::Text(&text[plain_from..]));
    }
    out
}

/// A link may start at the beginning, after a space or after one of `*_~(`; an email also
/// anywhere its local part may not continue.
fn starts_link(text: &str, at: usize) -> bool {
    match text[..at].chars().next_back() {
        None => true,
        Some(c) => c.is_whitespace() || "*_~(".contains(c) || !(c.is_ascii_alphanumeric() || ".+-_@/:".contains(c)),
    }
}

/// `https://…`, `http://…` or `www.…` at `at`: where it ends, and its address.
fn url_at(text: &str, at: usize) -> Option<(usize, String)> {
    let rest = &text[at..];
    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    let (domain_from, prefix) = if lower.starts_with("https://") {
        (8, "")
    } else if lower.starts_with("http://") {
        (7, "")
    } else if lower.starts_with("www.") {
        (0, "http://")
    } else {
        return None;
    };
    let domain_len = valid_domain(&rest[domain_from..])?;
    let path_end = rest[domain_from + domain_len..]
        .find(|c: char| c.is_whitespace() || c == '<')
        .map_or(rest.len(), |n| domain_from + domain_len + n);
    let end = trim_trailing(&rest[..path_end]).max(domain_from + domain_len);
    Some((at + end, format!("{prefix}{}", &rest[..end])))
}

/// The length of a valid domain at the start of `text`: dot-separated segments of letters,
/// digits, `_` and `-`, at least one dot, no `_` in the last two segments.
fn valid_domain(text: &str) -> Option<usize> {
    let len = text.find(|c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c))).unwrap_or(text.len());
    let domain = text[..len].trim_end_matches('.');
    let segments: Vec<&str> = domain.split('.').collect();
    let last_two = &segments[segments.len().saturating_sub(2)..];
    (segments.len() >= 2 && segments.iter().all(|s| !s.is_empty()) && last_two.iter().all(|s| !s.contains('_')))
        .then_some(domain.len())
}

/// Where a link written as `candidate` really ends: trailing `?!.,:*_~`, a `)` without its
/// `(`, and an entity-like `&name;` are not part of it.
fn trim_trailing(candidate: &str) -> usize {
    let mut end = candidate.len();
    loop {
        let link = &candidate[..end];
        let Some(last) = link.chars().next_back() else { return end };
        let unbalanced = last == ')' && link.matches(')').count() > link.matches('(').count();
        if "?!.,:*_~'\"".contains(last) || unbalanced {
            end -= 1;
        } else if last == ';' {
            // The run of ASCII letters and digits before `;` (one byte each), so `name_start`
            // is on a character boundary whatever comes before it (`Störung;`).
            let before = &link[..end - 1];
            let name_start = before.len() - before.bytes().rev().take_while(u8::is_ascii_alphanumeric).count();
            if name_start > 0 && link[..name_start].ends_with('&') && name_start < end - 1 {
                end = name_start - 1;
            } else {
                return end;
            }
        } else {
            return end;
        }
    }
}

/// `name@example.com` at `at`: where it ends, and its `mailto:` address.
fn email_at(text: &str, at: usize) -> Option<(usize, String)> {
    let rest = &text[at..];
    let local = rest.find(|c: char| !(c.is_ascii_alphanumeric() || ".+-_".contains(c))).unwrap_or(rest.len());
    if local == 0 || !rest[local..].starts_with('@') {
        return None;
    }
    let domain = &rest[local + 1..];
    let len = domain.find(|c: char| !(c.is_ascii_alphanumeric() || ".-_".contains(c))).unwrap_or(domain.len());
    let written = domain[..len].trim_end_matches('.');
    if !written.contains('.') || written.ends_with(['-', '_']) || written.starts_with('.') {
        return None;
    }
    let end = local + 1 + written.len();
    Some((at + end, format!("mailto:{}", &rest[..end])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        pieces(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Link { text, href } => Some((text.to_string(), href)),
                Piece::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn urls_www_and_emails_in_text_become_links_as_on_github() {
        assert_eq!(
            links("see https://status.example.com/api."),
            [("https://status.example.com/api".into(), "https://status.example.com/api".into())]
        );
        assert_eq!(
            links("Visit www.commonmark.org/help for more."),
            [("www.commonmark.org/help".into(), "http://www.commonmark.org/help".into())]
        );
        assert_eq!(
            links("page oncall@example.com now"),
            [("oncall@example.com".into(), "mailto:oncall@example.com".into())]
        );
        assert_eq!(
            links("(https://a.example.com/x_(y))"),
            [("https://a.example.com/x_(y)".into(), "https://a.example.com/x_(y)".into())]
        );
        assert_eq!(
            links("https://example.com/a&amp;b&hl;"),
            [("https://example.com/a&amp;b".into(), "https://example.com/a&amp;b".into())]
        );
    }

    #[test]
    fn a_link_ending_in_a_non_ascii_letter_and_a_semicolon_is_cut_on_a_character() {
        assert_eq!(
            links("see https://wiki.example.com/Störung; then"),
            [("https://wiki.example.com/Störung;".into(), "https://wiki.example.com/Störung;".into())]
        );
        assert_eq!(
            links("https://a.example.com/é&amp;"),
            [("https://a.example.com/é".into(), "https://a.example.com/é".into())]
        );
    }

    #[test]
    fn what_is_not_a_link_stays_text() {
        assert!(links("www. and http://nodot and a@b and version 1.2.3").is_empty());
        assert!(links("file.txt, foo_bar.baz_qux.com, x@example.c_m_").is_empty());
        assert!(links("noprefixhttps://example.com").is_empty(), "a link starts at a word's start");
    }

    #[test]
    fn every_character_is_kept_in_order_whatever_the_text() {
        for text in [
            "see https://wiki.example.com/Störung; then",
            "https://a.example.com/é&amp;",
            "café https://é.example.com → ok",
            "├── www.example.com/é",
            "عربي a@example.com 🔥",
            "",
            "https://",
        ] {
            let joined: String = pieces(text)
                .into_iter()
                .map(|p| match p {
                    Piece::Text(t) | Piece::Link { text: t, .. } => t,
                })
                .collect();
            assert_eq!(joined, text);
        }
    }
}
