//! Every runbook renders as written: the whole build path (markdown → document → runbook →
//! the page's HTML, drawn by the components the site runs) never panics, for the CommonMark
//! and GFM spec examples and runbook shapes with non-ASCII text (`corpus/build_path.json`),
//! as they are and mutated: characters of every kind put in at any place, examples joined,
//! wrapped in code blocks, lists and quotes. Run with `--features ssr`.
#![cfg(feature = "ssr")]

use std::sync::OnceLock;

use proptest::prelude::*;
use runbook::Runbook;

fn corpus() -> &'static [String] {
    static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/build_path.json")).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        value["examples"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()).collect()
    })
}

/// The page of `markdown` as a runbook, as the build draws it.
fn render(markdown: &str) -> String {
    let document = document::parse("fuzzed.md", markdown);
    let runbook: &'static Runbook = Box::leak(Box::new(Runbook::from_document(document)));
    app::prerender::render_runbook(runbook)
}

#[test]
fn every_spec_example_and_runbook_shape_renders_as_a_page() {
    let corpus = corpus();
    assert!(corpus.len() > 700, "the corpus holds the spec examples: {}", corpus.len());
    for (index, example) in corpus.iter().enumerate() {
        let html = std::panic::catch_unwind(|| render(example))
            .unwrap_or_else(|_| panic!("example {index} panicked: {example:?}"));
        assert!(html.contains("<article class=\"doc\""), "example {index} has no article: {example:?}");
    }
}

#[test]
fn the_page_keeps_every_word_of_a_non_ascii_runbook() {
    let html = render("# Café → ops\n\n```text\n├── app\n│   └── main.rs\n```\n\n- [ ] تحقق من الخادم 🔥\n");
    for word in ["Café → ops", "├── app", "└── main.rs", "تحقق من الخادم 🔥"] {
        assert!(html.contains(word), "{word} is on the page");
    }
}

/// Text put into a seed: every kind of character a runbook may hold, and markdown's own.
fn insert() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("é".to_string()),
        Just("→".to_string()),
        Just("├──".to_string()),
        Just("🔥".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{200b}".to_string()),
        Just("عربي".to_string()),
        Just("\n```\n".to_string()),
        Just("\n    ".to_string()),
        Just("[Placeholder]".to_string()),
        Just("<details><summary>x</summary>".to_string()),
        Just("EC2_HOST".to_string()),
        Just("|".to_string()),
        Just("\n- [ ] ".to_string()),
        Just("\n> ".to_string()),
        Just("\n# ".to_string()),
        Just("\t".to_string()),
        Just("\r\n".to_string()),
        Just(";".to_string()),
        Just(" https://wiki.example.com/Störung".to_string()),
        Just("&amp;".to_string()),
        "\\PC{0,8}",
    ]
}

/// A seed mutated: text put in at character boundaries, another seed joined, or a wrapper.
fn mutated() -> impl Strategy<Value = String> {
    let count = corpus().len();
    (0..count, 0..count, proptest::collection::vec((any::<prop::sample::Index>(), insert()), 0..6), 0..5u8).prop_map(
        |(first, second, inserts, wrapper)| {
            let mut text = corpus()[first].clone();
            for (at, piece) in inserts {
                let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
                text.insert_str(boundaries[at.index(boundaries.len())], &piece);
            }
            match wrapper {
                0 => format!("{text}\n{}", corpus()[second]),
                1 => format!("```\n{text}\n```\n"),
                2 => text.lines().map(|l| format!("- {l}\n")).collect(),
                3 => text.lines().map(|l| format!("> {l}\n")).collect(),
                _ => text,
            }
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_500, ..ProptestConfig::default() })]

    #[test]
    fn no_mutation_of_a_seed_stops_the_build(markdown in mutated()) {
        let html = render(&markdown);
        prop_assert!(html.contains("<article class=\"doc\""));
    }

    #[test]
    fn no_text_at_all_stops_the_build(markdown in "\\PC{0,300}") {
        let html = render(&markdown);
        prop_assert!(html.contains("<article class=\"doc\""));
    }
}
