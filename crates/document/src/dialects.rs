//! What other documentation tools add to markdown, read before the markdown is: Hugo
//! shortcodes (`{{< ref "x.md" >}}`), Docusaurus admonitions (`:::warning`) and MkDocs
//! admonitions (`!!! note`). Each becomes the markdown that means the same (a link target, a
//! GitHub alert), line for line, so every line number stays true; a shortcode whose meaning
//! is not clear is removed with a diagnostic, its content kept, and never shown as template
//! syntax. Fenced code is left exactly as written.

use std::borrow::Cow;

use crate::diagnostic::Diagnostic;

/// `source` with the dialects read, and what could not be.
pub fn normalise<'s>(source: &'s str, file: &str, first_line: u32, diagnostics: &mut Vec<Diagnostic>) -> Cow<'s, str> {
    let looks_foreign = ["{{", ":::", "!!!", "???", "TOC]", "TOC_]"].iter().any(|mark| source.contains(mark));
    if !looks_foreign {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut fence: Option<(char, usize)> = None;
    let mut admonition = Admonition::None;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let number = first_line + index as u32;
        let (text, ending) = line.strip_suffix('\n').map_or((line, ""), |t| (t, "\n"));
        let text = text.strip_suffix('\r').unwrap_or(text);
        // MkDocs content is indented four spaces; it ends at the first line that is not.
        if let Admonition::MkDocs = admonition {
            match text.strip_prefix("    ").or_else(|| text.strip_prefix('\t')) {
                Some(inner) => {
                    fence = next_fence(fence, inner);
                    out.push_str(&format!("> {inner}{ending}"));
                    continue;
                }
                None if text.trim().is_empty() => {
                    out.push_str(&format!(">{ending}"));
                    continue;
                }
                None => admonition = Admonition::None,
            }
        }
        let was_code = fence.is_some();
        fence = next_fence(fence, text);
        if was_code || fence.is_some() {
            push_quoted(&mut out, &admonition, text, ending);
            continue;
        }
        if let Some(kind) = docusaurus_opening(text) {
            admonition = Admonition::Docusaurus;
            out.push_str(&format!("> [!{kind}]{ending}"));
        } else if matches!(admonition, Admonition::Docusaurus) && text.trim() == ":::" {
            admonition = Admonition::None;
            out.push_str(ending);
        } else if is_toc_marker(text) {
            // The page draws its own table of contents.
            out.push_str(ending);
        } else if let Some(kind) = mkdocs_opening(text) {
            admonition = Admonition::MkDocs;
            out.push_str(&format!("> [!{kind}]{ending}"));
        } else {
            let text = shortcodes(text, file, number, diagnostics);
            push_quoted(&mut out, &admonition, &text, ending);
        }
    }
    Cow::Owned(out)
}

enum Admonition {
    None,
    Docusaurus,
    MkDocs,
}

fn push_quoted(out: &mut String, admonition: &Admonition, text: &str, ending: &str) {
    match admonition {
        Admonition::None => out.push_str(text),
        _ => {
            out.push_str("> ");
            out.push_str(text);
        }
    }
    out.push_str(ending);
}

/// The fence state after `line`: a ``` or ~~~ line opens one, the same kind at least as
/// long closes it.
fn next_fence(fence: Option<(char, usize)>, line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let trimmed = line.trim_start_matches(' ');
    let marker = trimmed.chars().next().filter(|c| (*c == '`' || *c == '~') && indent <= 3);
    let Some(marker) = marker else { return fence };
    let run = trimmed.chars().take_while(|c| *c == marker).count();
    match fence {
        None if run >= 3 => Some((marker, run)),
        Some((open, len)) if open == marker && run >= len && trimmed[run..].trim().is_empty() => None,
        other => other,
    }
}

/// GitLab's `[[_TOC_]]`, and `[TOC]` of other generators, alone on a line.
fn is_toc_marker(line: &str) -> bool {
    matches!(line.trim().to_ascii_uppercase().as_str(), "[[_TOC_]]" | "[TOC]" | "[[TOC]]")
}

/// The GitHub alert a Docusaurus `:::kind [title]` line opens.
fn docusaurus_opening(line: &str) -> Option<&'static str> {
    let rest = line.trim().strip_prefix(":::")?;
    alert_kind(rest.split_whitespace().next()?)
}

/// The GitHub alert a MkDocs `!!! kind ["title"]` (or collapsible `???`) line opens.
fn mkdocs_opening(line: &str) -> Option<&'static str> {
    let trimmed = line.trim_end();
    let rest =
        trimmed.strip_prefix("!!!").or_else(|| trimmed.strip_prefix("???+")).or_else(|| trimmed.strip_prefix("???"))?;
    alert_kind(rest.split_whitespace().next()?)
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

/// Hugo shortcodes on one line: `{{< ref "x.md" >}}` and `relref` become the path they
/// name (a link when written as one); any other is removed, its content kept, with a
/// diagnostic.
fn shortcodes(line: &str, file: &str, number: u32, diagnostics: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let close = match after.chars().next() {
            Some('<') => ">}}",
            Some('%') => "%}}",
            _ => {
                out.push_str(&rest[..start + 2]);
                rest = after;
                continue;
            }
        };
        // The closing is looked for after the opening's own `<` or `%` (`{{%}}` is no shortcode).
        let Some(end) = after[1..].find(close).map(|end| end + 1) else {
            // No closing anywhere after: the rest of the line is text.
            break;
        };
        out.push_str(&rest[..start]);
        let inner = after[1..end].trim();
        let mut words = inner.split_whitespace();
        let name = words.next().unwrap_or_default();
        if matches!(name, "ref" | "relref") {
            let target: String = words.collect::<Vec<_>>().join(" ");
            let target = target.trim_matches(|c| c == '"' || c == '\'');
            if out.ends_with("](") || out.ends_with("]( ") {
                out.push_str(target);
            } else {
                out.push_str(&format!("[{target}]({target})"));
            }
        } else if !name.starts_with('/') {
            diagnostics.push(Diagnostic::warning(
                file,
                number,
                format!("Hugo shortcode `{name}` is not something Outpost reads; its text is shown without it"),
            ));
        }
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(source: &str) -> (String, Vec<String>) {
        let mut diagnostics = Vec::new();
        let out = normalise(source, "r.md", 1, &mut diagnostics).into_owned();
        (out, diagnostics.iter().map(|d| d.to_string()).collect())
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
