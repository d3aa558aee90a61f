//! Parsing runbooks built to be slow: each must stay linear. Run by `cargo xtask bench`,
//! which records the figures in docs/benchmarks.md. Prints `name<TAB>median µs<TAB>what`.

use std::hint::black_box;

use bench_timing::report;

fn main() {
    let brackets = format!("# T\n\n## Steps\n\n```text\nINCIDENT: {}\n```\n", "[".repeat(200_000));
    report("hostile_template_brackets", "a template line of 200,000 `[` (was 6.5 s)", || {
        black_box(runbook::parse("a.md", black_box(&brackets)));
    });
    let keys: String = (0..100_000).map(|i| format!("key{i}: value\n")).collect();
    let front_matter = format!("---\n{keys}---\n# T\n");
    report("hostile_front_matter_keys", "front matter with 100,000 keys (was 31 s)", || {
        black_box(runbook::parse("a.md", black_box(&front_matter)));
    });
    let phases: String = (0..5_000).map(|i| format!("### {i}. Phase (0-5 minutes)\n\n- [ ] step {i}\n\n")).collect();
    let phases = format!("# T\n\n## Response\n\n{phases}");
    report("hostile_phase_headings", "5,000 phase headings, each with a step", || {
        black_box(runbook::parse("a.md", black_box(&phases)));
    });
}
