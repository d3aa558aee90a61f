//! Incidents in the saved format for the live room's worker tests, made by the real encoder:
//! `cargo run -p room --example room_fixtures` prints them as JSON. The test clients send
//! these as their copies: the room's first incident, one person's check, another's offline
//! work, a severity change, what the room holds after a check (with who made it), and
//! hostile ones (another incident, a time in the future).

use runbook::incident::Incident;
use runbook::steps::StepId;
use tokens::codec::encode;

fn main() {
    if let Some(n) = std::env::args().skip_while(|a| a != "--series").nth(1) {
        return series(n.parse().expect("--series N"));
    }
    // 2026-01-01: a past start, as any real incident's.
    let start = 1_767_225_600;
    let base = Incident::new("inc-live", "incident-response", start);
    let mut ana_checks = base.clone();
    ana_checks.set_step(StepId(1), true, start + 60);
    let mut ana_severity = ana_checks.clone();
    ana_severity.set_severity("SEV1", start + 120);
    let mut ben_offline = base.clone();
    for step in [2, 3, 4] {
        ben_offline.set_step(StepId(step), true, start + 90 + i64::from(step));
    }
    ben_offline.set_field("brief description", "API returns 502 → é ├── 😀 مرحبا", start + 100);
    let other = Incident::new("inc-other", "incident-response", start);
    let mut future = base.clone();
    future.set_step(StepId(9), true, 4_102_444_800); // 2100
                                                     // What the room holds after Ana's check: the same, with her name on the step.
    let mut room = room::rules::Room::open(&encode(&base), start + 30).expect("opens");
    room.change(1, &encode(&ana_checks), "Ana", start + 60).expect("taken");
    let fixtures = [
        ("base", encode(&base)),
        ("ana_checks", encode(&ana_checks)),
        ("ana_checks_in_room", room.incident_token()),
        ("ana_severity", encode(&ana_severity)),
        ("ben_offline", encode(&ben_offline)),
        ("other", encode(&other)),
        ("future", encode(&future)),
    ];
    let fields: Vec<String> = fixtures.iter().map(|(name, token)| format!("  {name:?}: {token:?}")).collect();
    println!("{{\n{}\n}}", fields.join(",\n"));
}

/// `--series N`: an incident worked change by change (the room cost bench sends them in
/// turn): steps checked, a status typed a few words at a time, severity set and resolved.
fn series(n: usize) {
    let start = 1_767_225_600;
    let mut incident = Incident::new("inc-bench", "incident-response", start);
    let base = encode(&incident);
    let words = "Checkout API returns 502 for one request in five since the deploy at 14:02 → rolling back é";
    let mut changes = Vec::with_capacity(n);
    for i in 0..n {
        let at = start + 60 + i as i64 * 5;
        match i % 4 {
            0 => {
                let typed: String = words.chars().cycle().take(1 + i % words.chars().count()).collect();
                incident.set_field("brief description", &typed, at);
            }
            1 if i % 40 == 1 => incident.set_severity(["SEV1", "SEV2"][i / 40 % 2], at),
            _ => incident.set_step(StepId(i as u32), true, at),
        }
        changes.push(encode(&incident));
    }
    let json = serde_json::json!({ "base": base, "changes": changes });
    println!("{json}");
}
