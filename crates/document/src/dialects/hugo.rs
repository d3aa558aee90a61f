//! Hugo shortcodes on one line of markdown: `{{< ref "x.md" >}}` and `relref` become the
//! path they name (a link when written as one), `{{< figure src=… >}}` an image; any other is
//! removed, its content kept, with a diagnostic. Code spans are left as written.

use crate::diagnostic::Diagnostic;

pub(super) fn shortcodes(line: &str, file: &str, number: u32, diagnostics: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        if let Some(tick) = rest.find('`').filter(|tick| *tick < start) {
            // A code span is copied as written; a run of backticks with no match is text.
            let run = rest[tick..].len() - rest[tick..].trim_start_matches('`').len();
            let after = tick + run;
            let end = closing_ticks(&rest[after..], run).map_or(after, |close| after + close + run);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
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
        let name = inner.split_whitespace().next().unwrap_or_default();
        let arguments = inner[name.len()..].trim();
        match name {
            "ref" | "relref" => {
                let target = attribute(arguments, "path").unwrap_or_else(|| arguments.trim_matches(['"', '\'']));
                if out.ends_with("](") || out.ends_with("]( ") {
                    out.push_str(target);
                } else {
                    out.push_str(&format!("[{target}]({target})"));
                }
            }
            "figure" => {
                let src = attribute(arguments, "src").unwrap_or_default();
                let alt =
                    ["alt", "caption", "title"].iter().find_map(|key| attribute(arguments, key)).unwrap_or_default();
                let alt = alt.replace(['[', ']'], "");
                out.push_str(&format!("![{alt}](<{}>)", src.replace(['<', '>'], "")));
            }
            _ if name.starts_with('/') => {}
            _ => diagnostics.push(Diagnostic::warning(
                file,
                number,
                format!("Hugo shortcode `{name}` is not something Outpost reads; its text is shown without it"),
            )),
        }
        rest = &after[end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// Where a run of exactly `run` backticks starts in `text`, closing a code span.
fn closing_ticks(text: &str, run: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(offset) = text[at..].find('`') {
        let start = at + offset;
        let length = text[start..].len() - text[start..].trim_start_matches('`').len();
        if length == run {
            return Some(start);
        }
        at = start + length;
    }
    None
}

/// The value of `key="value"` (or `key='value'`) among a shortcode's arguments.
fn attribute<'a>(arguments: &'a str, key: &str) -> Option<&'a str> {
    let mut at = 0;
    while let Some(offset) = arguments[at..].find(key) {
        let start = at + offset;
        at = start + key.len();
        let boundary = start == 0 || arguments[..start].ends_with(char::is_whitespace);
        let Some(value) = arguments[at..].trim_start().strip_prefix('=').map(str::trim_start) else { continue };
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        if boundary {
            return value[1..].find(quote).map(|end| &value[1..1 + end]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> (String, usize) {
        let mut diagnostics = Vec::new();
        let out = shortcodes(line, "r.md", 1, &mut diagnostics);
        (out, diagnostics.len())
    }

    #[test]
    fn a_figure_is_an_image_with_its_words() {
        let line = r#"{{< figure src="../img/raid → é.png" caption="The array [degraded]" >}}"#;
        assert_eq!(read(line), ("![The array degraded](<../img/raid → é.png>)".into(), 0));
        assert_eq!(read(r#"{{< ref path="disk.md" lang="en" >}}"#).0, "[disk.md](disk.md)");
    }

    #[test]
    fn a_shortcode_inside_a_code_span_is_left_as_written() {
        let line = "Write `{{< ref \"x.md\" >}}` or ``{{< hint >}}``, then {{< ref \"y.md\" >}}; a lone ` stays.";
        assert_eq!(
            read(line).0,
            "Write `{{< ref \"x.md\" >}}` or ``{{< hint >}}``, then [y.md](y.md); a lone ` stays."
        );
    }
}
