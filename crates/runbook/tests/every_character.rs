//! Every character: runbooks with non-ASCII text in every kind of block derive incident mode
//! without a panic, and a template written with such text reads back exactly as written.
//! The named shapes are the ones that once stopped the whole site's build.

use document::model::{Block, CodeBlock};
use proptest::prelude::*;
use runbook::templates::{FieldKind, Template};
use runbook::{parse, Runbook};

fn code_blocks(blocks: &[Block], out: &mut Vec<CodeBlock>) {
    for block in blocks {
        match block {
            Block::Code(code) => out.push(code.clone()),
            Block::List(list) => list.items.iter().for_each(|item| code_blocks(&item.blocks, out)),
            Block::Quote(quote) => code_blocks(&quote.blocks, out),
            _ => {}
        }
    }
}

fn codes(runbook: &Runbook) -> Vec<String> {
    let mut out = Vec::new();
    code_blocks(&runbook.blocks, &mut out);
    out.into_iter().map(|c| c.code).collect()
}

fn unfilled(template: &Template) -> String {
    template.render(&|_| None, &[])
}

#[test]
fn a_text_block_with_a_box_drawn_tree_keeps_every_line() {
    let source = "# Layout\n\n```text\n├── app\n│   └── src\n└── café → ∑ total\n```\n";
    let runbook = parse("tree.md", source);
    assert_eq!(codes(&runbook), ["├── app\n│   └── src\n└── café → ∑ total"]);
    assert!(runbook.templates.is_empty(), "a tree has no fields");
}

#[test]
fn yaml_with_an_arrow_and_an_indented_sum_render_as_written() {
    let source = "# Config\n\n```yaml\nroute: a → b\n```\n\n    ∑ total = 3\n";
    let runbook = parse("yaml.md", source);
    assert_eq!(codes(&runbook), ["route: a → b", "∑ total = 3"]);
}

#[test]
fn json_with_an_em_dash_and_terraform_output_with_box_drawing_build() {
    let source = concat!(
        "# Alert\n\n```json\n{\"ainfo\": \"—\", \"b\": 1}\n```\n\n",
        "```\n╷\n│ Error: Invalid value [for] `name`\n╵\n```\n",
    );
    let runbook = parse("alert.md", source);
    assert_eq!(codes(&runbook)[0], "{\"ainfo\": \"—\", \"b\": 1}");
    let template = &runbook.templates[0];
    assert_eq!(unfilled(template), "╷\n│ Error: Invalid value [for] `name`\n╵");
    assert_eq!(template.fields().map(|f| f.key.as_str()).collect::<Vec<_>>(), ["for"]);
}

#[test]
fn fields_between_non_ascii_text_keep_their_names_and_neighbours() {
    let source =
        "# Mise à jour\n\n```\nINCIDENT → [Brève description] — SEV[1-4]\nÉtat: [Statut] 🔥 HH:MM YYYY-MM-DD\n```\n";
    let runbook = parse("fr.md", source);
    let template = &runbook.templates[0];
    let fields: Vec<(&str, &str, FieldKind)> =
        template.fields().map(|f| (f.key.as_str(), f.placeholder.as_str(), f.kind)).collect();
    assert_eq!(
        fields,
        [
            ("brève description", "[Brève description]", FieldKind::Text),
            ("severity", "SEV[1-4]", FieldKind::Severity),
            ("statut", "[Statut]", FieldKind::Text),
            ("time", "HH:MM", FieldKind::Time),
            ("date", "YYYY-MM-DD", FieldKind::Date),
        ]
    );
    assert_eq!(unfilled(template), "INCIDENT → [Brève description] — SEV[1-4]\nÉtat: [Statut] 🔥 HH:MM YYYY-MM-DD");
    let filled = template.render(&|f| Some(format!("«{}»", f.key)), &[]);
    assert_eq!(filled, "INCIDENT → «brève description» — «severity»\nÉtat: «statut» 🔥 «time» «date»");
}

#[test]
fn right_to_left_and_combining_text_in_a_template_read_back_as_written() {
    let code = "عنوان: [الوصف]\nnaïve e\u{301} [x\u{200b}y] \u{202e}[evil]\u{202c}";
    let source = format!("# RTL\n\n```\n{code}\n```\n");
    let runbook = parse("rtl.md", &source);
    assert_eq!(unfilled(&runbook.templates[0]), code);
}

/// Pieces of markdown with non-ASCII text placed in every kind of block.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "# ", "## ", "### 1. Détection (0-5 minutes)\n", "\n", "\n\n", "```\n", "```text\n", "```json\n", "```bash\n",
    "~~~yaml\n", "    ", "> ", "- ", "- [ ] ", "1. ", "| SEV1 | é | → |\n", "|---|---|---|\n", "[", "]", "[Brève]",
    "SEV[1-4]", "HH:MM", "YYYY-MM-DD", "H", "Y", "HH", "YYYY", "├── ", "│   └── ", "╷", "╵", "—", "→", "∑", "café",
    "🔥", "👩‍🚒", "عربي", "\u{202e}", "\u{200b}", "é\u{301}", "ß", "İ", "$SECRET", "<commit-hash>", "EC2_HOST",
    "http://EC2_HOST:8765/é", "NEXT UPDATE: [Time]", "**Duration:** HH:MM", "- HH:MM - [Event]\n", "text ",
];

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn non_ascii_in_any_block_never_panics_and_templates_read_back(source in markdown()) {
        let runbook = parse("fuzz.md", &source);
        let mut blocks = Vec::new();
        code_blocks(&runbook.blocks, &mut blocks);
        for template in &runbook.templates {
            let block = blocks.iter().find(|b| b.line == template.line);
            prop_assert!(block.is_some(), "a template stands for a code block");
            prop_assert_eq!(unfilled(template), block.map(|b| b.code.clone()).unwrap_or_default());
        }
    }

    #[test]
    fn any_text_in_a_plain_code_block_never_panics(code in "\\PC{0,60}") {
        let source = format!("# T\n\n```\n{}\n```\n", code.replace('`', "'"));
        let runbook = parse("any.md", &source);
        for template in &runbook.templates {
            prop_assert_eq!(unfilled(template), codes(&runbook)[0].clone());
        }
    }
}
