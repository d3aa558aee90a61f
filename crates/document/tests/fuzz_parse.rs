//! Property tests: markdown-shaped noise never panics the parser, and what it returns
//! stays consistent (unique anchors, lines inside the file, highlights inside snippets).

use document::search::SearchIndex;
use document::{parse, Library};
use proptest::prelude::*;

/// Pieces that exercise every construct and its broken forms.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "---\n", "title: x\n", "tags: [a, \"b\n", "variables:\n  A: 1\n", "  - x\n", "key: |\n", "# ", "## ", "### ",
    "Heading (SEV1)\n", "text ", "*", "**", "_", "~~", "`", "```", "```bash\n", "~~~\n", "\n", "\r\n", "\n\n", "> ",
    "> [!WARNING]\n", "- ", "- [ ] ", "- [x] ", "1. ", "  ", "    ", "\t", "| a | b |\n", "|---|:-:|\n", "| c |\n",
    "[link](", "other.md#a", "../X.md", "javascript:alert(1)", ")", "![img](", "[^n]", "[^n]: note\n", "<div>",
    "<script>", "<!--", "-->", "<br>", "[ref][nowhere]", "[Placeholder]", "&amp;", "\\", "ü", "\u{feff}", "é\u{301}",
    "İ", "ß", "\u{200b}", "http://EC2_HOST:8765/api", "$SECRET", "${#X}",
];

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..120).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn parsing_markdown_noise_never_panics_and_stays_consistent(source in markdown()) {
        let runbook = parse("fuzz.md", &source);
        let lines = source.lines().count().max(1) as u32 + 1;
        let mut anchors: Vec<&str> = runbook.headings.iter().map(|h| h.anchor.as_str()).collect();
        anchors.sort_unstable();
        let before = anchors.len();
        anchors.dedup();
        prop_assert_eq!(before, anchors.len(), "anchors are unique");
        for heading in &runbook.headings {
            prop_assert!(heading.line >= 1 && heading.line <= lines);
        }
        for diagnostic in &runbook.diagnostics {
            prop_assert!(diagnostic.line >= 1 && diagnostic.line <= lines, "{}", diagnostic);
        }
        prop_assert!(!runbook.title.is_empty());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parser(source in any::<Vec<u8>>()) {
        let text = String::from_utf8_lossy(&source);
        let _ = parse("bytes.md", &text);
    }

    #[test]
    fn search_highlights_always_fall_inside_their_snippet(source in markdown(), query in "[a-zA-Zü ()#.\\-]{0,12}") {
        let library = Library::build("runbooks", [("a.md", source.as_str())]);
        for hit in SearchIndex::build(library.documents()).search(&query, 20) {
            for range in &hit.highlights {
                prop_assert!(hit.snippet.get(range.clone()).is_some(), "{:?} in {:?}", range, hit.snippet);
            }
        }
    }
}
