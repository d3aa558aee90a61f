//! Markdown that is broken or hostile still renders, with a clear message where it matters.

mod common;

use common::render;
use document::{parse, Block};

#[test]
fn an_unclosed_code_fence_is_reported_and_its_text_kept() {
    let runbook = parse("r.md", "# Restart\n\n```bash\nsudo systemctl restart app\n\n## Not a heading\n");
    assert_eq!(
        runbook.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["r.md:3: warning: code block has no closing fence, so the text after it is shown as code"]
    );
    let Some(Block::Code(code)) = runbook.blocks.last() else { panic!("code block expected") };
    assert_eq!(code.code, "sudo systemctl restart app\n\n## Not a heading");
}

#[test]
fn closed_fences_inside_quotes_and_lists_are_not_reported() {
    let runbook = parse("r.md", "> ```\n> quoted code\n> ```\n\n1. Step\n   ~~~~sh\n   ls\n   ~~~~\n");
    assert!(runbook.diagnostics.is_empty(), "{:?}", runbook.diagnostics);
}

#[test]
fn thousands_of_nested_quotes_are_flattened_not_overflowed() {
    let source = format!("{}deep text\n", "> ".repeat(5000));
    let runbook = parse("r.md", &source);
    assert!(render(&runbook).contains("deep text"));
    fn depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Quote(q) => 1 + depth(&q.blocks),
                Block::List(l) => 1 + l.items.iter().map(|i| depth(&i.blocks)).max().unwrap_or(0),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
    assert!(depth(&runbook.blocks) <= 32);
}

#[test]
fn deeply_nested_lists_and_emphasis_keep_their_text() {
    let lists: String = (0..300).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect();
    assert!(render(&parse("r.md", &lists)).contains("level 299"));
    let emphasis = format!("{}core{}", "*_".repeat(2000), "_*".repeat(2000));
    assert!(render(&parse("r.md", &emphasis)).contains("core"));
}

#[test]
fn empty_and_whitespace_files_are_empty_runbooks() {
    for source in ["", "\n\n", "---\n---\n", "\u{feff}"] {
        let runbook = parse("empty.md", source);
        assert!(runbook.blocks.is_empty(), "{source:?}");
        assert_eq!(runbook.title, "Empty");
    }
}

#[test]
fn script_in_headings_and_tables_never_runs() {
    let runbook = parse("r.md", "# <img src=x onerror=alert(1)>\n\n| a |\n|---|\n| <script>alert(2)</script> |\n");
    let rendered = render(&runbook);
    // An image GitHub would show is shown; its handler is never read.
    assert!(rendered.contains("h1 #section L1: ![](file:x)"), "{rendered}");
    assert!(!rendered.contains("onerror"), "{rendered}");
    assert!(rendered.contains("row: ‹html:<script>›alert(2)‹html:</script>›"), "{rendered}");
}
