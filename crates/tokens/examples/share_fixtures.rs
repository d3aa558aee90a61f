//! Share links the browser tests open: hostile text, a runbook the site lacks, damaged and
//! foreign tokens. Made with the real encoder so the tests exercise the real decoder.
//! `cargo run -p tokens --example share_fixtures` prints them as JSON.

use runbook::incident::Incident;
use tokens::share::encode;

const START: i64 = 1_795_896_420;
const HOSTILE: &str = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";

fn main() {
    let source = std::fs::read_to_string("runbooks/incident-response.md").expect("run from the repository root");
    let runbook = runbook::parse("incident-response.md", &source);

    let mut hostile = Incident::new("hostile1", "incident-response", START);
    for template in &runbook.templates {
        for field in template.fields() {
            hostile.set_field(&field.key, HOSTILE, START + 60);
        }
    }
    hostile.variables.insert("EC2_HOST".into(), HOSTILE.into());
    hostile.record_copy(HOSTILE, START + 120);
    hostile.toggle_step(runbook.steps[0].id, START + 90);
    let hostile_link = encode(&hostile, Some(&runbook));

    let mut elsewhere = Incident::new("other1", "<img src=x onerror=window.__pwned=3>", START);
    elsewhere.set_severity("SEV1", START);
    let missing_runbook = encode(&elsewhere, None);

    let mut good = Incident::new("good1", "incident-response", START);
    good.toggle_step(runbook.steps[0].id, START + 60);
    let good = encode(&good, Some(&runbook));
    let mut corrupted = good.clone().into_bytes();
    let last = corrupted.len() - 3;
    corrupted[last] = if corrupted[last] == b'A' { b'B' } else { b'A' };
    let corrupted = String::from_utf8(corrupted).expect("ascii");
    let truncated = &good[..good.len() - 5];

    let entries = [
        ("hostile", hostile_link.as_str()),
        ("missing_runbook", missing_runbook.as_str()),
        ("good", good.as_str()),
        ("corrupted", corrupted.as_str()),
        ("truncated", truncated),
    ];
    let body: Vec<String> = entries.iter().map(|(k, v)| format!("  {k:?}: {v:?}")).collect();
    println!("{{\n{}\n}}", body.join(",\n"));
}
