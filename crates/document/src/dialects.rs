//! What other documentation tools add to markdown, read before the markdown is: Hugo
//! shortcodes (`{{< ref "x.md" >}}`), Docusaurus admonitions (`:::warning`) and MkDocs
//! admonitions (`!!! note`). Each becomes the markdown that means the same (a link target, a
//! GitHub alert), line for line, so every line number stays true; a shortcode whose meaning
//! is not clear is removed with a diagnostic, its content kept, and never shown as template
//! syntax. Fenced code is left exactly as written.

mod fences;
mod hugo;

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;

/// `source` with the dialects read, and what could not be. The title an admonition gives
/// itself (`:::danger Data at risk`, `!!! note "Before you start"`) is put in `titles` with
/// the line of the alert it opens.
pub fn normalise<'s>(
    source: &'s str,
    file: &str,
    first_line: u32,
    diagnostics: &mut Vec<Diagnostic>,
    titles: &mut Vec<(u32, String)>,
) -> Cow<'s, str> {
    let looks_foreign = ["{{", ":::", "!!!", "???", "TOC]", "TOC_]"].iter().any(|mark| source.contains(mark));
    if !looks_foreign {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut fences = fences::Fences::default();
    let mut admonition = Admonition::None;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let number = first_line + index as u32;
        let (text, ending) = line.strip_suffix('\n').map_or((line, ""), |t| (t, "\n"));
        let text = text.strip_suffix('\r').unwrap_or(text);
        // MkDocs content is indented four spaces past its opening; it ends at the first line
        // that is not, and a fence left open inside ends with it.
        if let Admonition::MkDocs { opener, kept } = &admonition {
            let inner = text
                .strip_prefix(opener.as_str())
                .and_then(|t| t.strip_prefix("    ").or_else(|| t.strip_prefix('\t')));
            match inner {
                Some(inner) => {
                    fences.is_code(inner);
                    out.push_str(&format!("{kept}> {inner}{ending}"));
                    continue;
                }
                None if text.trim().is_empty() => {
                    out.push_str(&format!("{kept}>{ending}"));
                    continue;
                }
                None => {
                    admonition = Admonition::None;
                    fences.close();
                }
            }
        }
        if fences.is_code(text) {
            push_quoted(&mut out, &admonition, text, ending);
            continue;
        }
        let opener = &text[..text.len() - text.trim_start_matches([' ', '\t']).len()];
        // Kept inside a list item; elsewhere (MDX indents its components) the alert starts
        // the line, where four spaces would make it code.
        let kept = if fences.in_list_item(fences::width(opener)) { opener } else { "" };
        if let Some((kind, title)) = docusaurus_opening(text) {
            admonition = Admonition::Docusaurus { strip: opener.len(), kept: kept.to_string() };
            titles.extend(title.map(|title| (number, title)));
            out.push_str(&format!("{kept}> [!{kind}]{ending}"));
        } else if matches!(admonition, Admonition::Docusaurus { .. }) && text.trim() == ":::" {
            admonition = Admonition::None;
            out.push_str(ending);
        } else if is_toc_marker(text) {
            // The page draws its own table of contents.
            out.push_str(ending);
        } else if let Some((kind, title)) = mkdocs_opening(text) {
            admonition = Admonition::MkDocs { opener: opener.to_string(), kept: kept.to_string() };
            titles.extend(title.map(|title| (number, title)));
            out.push_str(&format!("{kept}> [!{kind}]{ending}"));
        } else {
            let text = hugo::shortcodes(text, file, number, diagnostics);
            push_quoted(&mut out, &admonition, &text, ending);
        }
    }
    Cow::Owned(out)
}

/// The admonition being read: the indentation its lines are written at, and the one kept
/// for the alert (a list item's).
enum Admonition {
    None,
    Docusaurus { strip: usize, kept: String },
    MkDocs { opener: String, kept: String },
}

/// A line of a Docusaurus block as a line of the alert's quote.
fn push_quoted(out: &mut String, admonition: &Admonition, text: &str, ending: &str) {
    match admonition {
        Admonition::Docusaurus { strip, kept } => {
            // Spaces and tabs only: their bytes are characters.
            let own = text.len() - text.trim_start_matches([' ', '\t']).len();
            out.push_str(kept);
            out.push_str("> ");
            out.push_str(&text[own.min(*strip)..]);
        }
        _ => out.push_str(text),
    }
    out.push_str(ending);
}

/// GitLab's `[[_TOC_]]`, and `[TOC]` of other generators, alone on a line.
fn is_toc_marker(line: &str) -> bool {
    matches!(line.trim().to_ascii_uppercase().as_str(), "[[_TOC_]]" | "[TOC]" | "[[TOC]]")
}

/// The GitHub alert a Docusaurus `:::kind [title]` (or `:::kind[title]`) line opens, and
/// its title.
fn docusaurus_opening(line: &str) -> Option<(&'static str, Option<String>)> {
    let rest = line.trim().strip_prefix(":::")?;
    let word = &rest[..rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len()];
    let title = rest[word.len()..].trim();
    let title = title.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(title);
    Some((alert_kind(word)?, Some(title.trim().to_string()).filter(|t| !t.is_empty())))
}

/// The GitHub alert a MkDocs `!!! kind ["title"]` (or collapsible `???`) line opens, and its
/// title (`""` asks for none).
fn mkdocs_opening(line: &str) -> Option<(&'static str, Option<String>)> {
    let trimmed = line.trim();
    let rest =
        trimmed.strip_prefix("!!!").or_else(|| trimmed.strip_prefix("???+")).or_else(|| trimmed.strip_prefix("???"))?;
    let kind = alert_kind(rest.split_whitespace().next()?)?;
    let quoted =
        rest.find('"').and_then(|start| rest.rfind('"').filter(|end| *end > start).map(|end| &rest[start + 1..end]));
    Some((kind, quoted.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)))
}

fn alert_kind(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "note" | "info" | "abstract" | "summary" | "example" | "quote" | "question" => "NOTE",
        "tip" | "hint" | "success" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "attention" => "WARNING",
        "caution" | "danger" | "error" | "failure" | "bug" => "CAUTION",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> (String, Vec<String>) {
        let mut diagnostics = Vec::new();
        let out = normalise(source, "r.md", 1, &mut diagnostics, &mut Vec::new()).into_owned();
        (out, diagnostics.iter().map(|d| d.to_string()).collect())
    }

    fn titles(source: &str) -> Vec<(u32, String)> {
        let mut titles = Vec::new();
        normalise(source, "r.md", 1, &mut Vec::new(), &mut titles);
        titles
    }

    #[test]
    fn hugo_references_become_links_and_other_shortcodes_leave_their_content() {
        let (out, notes) = read("See [RAID]({{< ref \"./NodeRAIDDegraded.md\" >}}) and {{< relref \"disk.md\" >}}.\n{{< hint info >}}Keep calm → é.{{< /hint >}}\n");
        assert_eq!(out, "See [RAID](./NodeRAIDDegraded.md) and [disk.md](disk.md).\nKeep calm → é.\n");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("r.md:2") && notes[0].contains("`hint`"), "{notes:?}");
    }

    #[test]
    fn admonitions_become_alerts_line_for_line() {
        let docusaurus = ":::warning Be careful\nThe primary is read-only.\n:::\nAfter.\n";
        assert_eq!(read(docusaurus).0, "> [!WARNING]\n> The primary is read-only.\n\nAfter.\n");
        let mkdocs = "!!! danger \"Data loss\"\n    Do not run this on the primary.\n\n    ```bash\n    rm -rf /data\n    ```\nAfter.\n";
        assert_eq!(
            read(mkdocs).0,
            "> [!CAUTION]\n> Do not run this on the primary.\n>\n> ```bash\n> rm -rf /data\n> ```\nAfter.\n"
        );
    }

    #[test]
    fn admonitions_keep_their_titles_and_their_place_in_a_list() {
        let source = ":::danger Data at risk\nx\n:::\n:::tip[Short → é]\ny\n:::\n!!! note \"Before you start\"\n    z\n!!! note \"\"\n    w\n";
        assert_eq!(
            titles(source),
            [(1, "Data at risk".into()), (4, "Short → é".into()), (7, "Before you start".into())]
        );
        assert_eq!(read("  :::note\n\u{3000}x\n").0, "> [!NOTE]\n> \u{3000}x\n", "a wide space is text");
        let listed = "1. Step one.\n\n   :::note\n   Inside the step.\n   :::\n\n2. Step two.\n";
        assert_eq!(read(listed).0, "1. Step one.\n\n   > [!NOTE]\n   > Inside the step.\n\n\n2. Step two.\n");
    }

    #[test]
    fn a_fence_in_a_list_item_or_a_quote_is_a_fence() {
        let source = "1. Run:\n\n    ```text\n    {{< ref \"x.md\" >}}\n    ```\n> ```\n> {{< ref \"q.md\" >}}\n> ```\n\nSee {{< ref \"y.md\" >}}.\n";
        let (out, _) = read(source);
        assert!(
            out.contains("    {{< ref \"x.md\" >}}\n") && out.contains("> {{< ref \"q.md\" >}}\n"),
            "code as written: {out}"
        );
        assert!(out.ends_with("See [y.md](y.md).\n"), "after the fences, read again: {out}");
        let left_open = "> ```\n> code\n\n:::note\nRead again {{< ref \"z.md\" >}}.\n:::\n";
        assert!(read(left_open).0.contains("> [!NOTE]\n> Read again [z.md](z.md).\n"), "{:?}", read(left_open).0);
    }

    #[test]
    fn an_admonition_indented_outside_a_list_starts_its_line() {
        let mdx = "<TabItem>\n\n    :::tip\n    Use the replica.\n    :::\n\n</TabItem>\n";
        assert_eq!(read(mdx).0, "<TabItem>\n\n> [!TIP]\n> Use the replica.\n\n\n</TabItem>\n");
    }

    #[test]
    fn a_fence_left_open_in_a_mkdocs_block_ends_with_it() {
        let source = "!!! note\n    ```bash\n    ls\nAfter {{< ref \"y.md\" >}}.\n";
        assert!(read(source).0.ends_with("After [y.md](y.md).\n"), "{:?}", read(source).0);
    }

    #[test]
    fn a_table_of_contents_marker_leaves_its_line_empty() {
        assert_eq!(read("[[_TOC_]]\n\n## Overview\n").0, "\n\n## Overview\n");
    }

    #[test]
    fn broken_or_empty_shortcodes_stay_text_and_never_stop_the_build() {
        for line in ["{{%}}", "{{<>}}", "{{< ref", "a {{% é", "{{<{{<{{<"] {
            let (out, _) = read(&format!("{line}\n"));
            assert!(out.ends_with('\n'), "{line:?} → {out:?}");
        }
        assert_eq!(read(&"{{<".repeat(50_000)).0.len(), 150_000, "a line of openings is text, read once");
    }

    #[test]
    fn fenced_code_is_left_as_written() {
        let source = "```text\n{{< ref \"x.md\" >}}\n:::note\n!!! note\n```\n";
        assert_eq!(read(source), (source.to_string(), vec![]));
    }
}
