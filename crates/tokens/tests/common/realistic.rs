//! A realistic incident on the team's runbook: every step checked, every template field
//! filled with what a team types during a real one. Shared by the share-link tests and the
//! benchmark (which includes this file by path).

use runbook::incident::Incident;
use runbook::Runbook;

// 2026-11-28 20:07:00 UTC
pub const START: i64 = 1_795_896_420;

/// What a team types during a real incident, for every field of every template.
pub fn realistic_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("brief description", "Checkout API returning 502 errors"),
        ("what's broken, who's affected", "All users cannot complete checkout"),
        ("next update", "21:45"),
        ("what fixed it", "Rolled back to release 2.13"),
        ("title", "Checkout outage after release 2.14"),
        ("name", "Dana Reyes"),
        (
            "brief description of what happened",
            "Release 2.14 exhausted the database connection pool; checkout failed with 502 for 41 minutes.",
        ),
        (
            "technical explanation",
            "A new retry loop opened a connection per attempt and never closed it, so the pool filled within minutes.",
        ),
        ("task 1", "Alert on connection pool use above 80%"),
        ("task 2", "Load test retries before release"),
        ("lesson 1", "A canary stage would have caught this"),
        ("lesson 2", "The rollback steps worked well"),
    ]
}

/// The team's runbook run to the end: every step checked, every field filled.
pub fn full_incident(runbook: &Runbook) -> Incident {
    let mut incident = Incident::new("k3x9q2ma", "incident-response", START);
    incident.set_severity("SEV2", START + 120);
    for (i, step) in runbook.steps.iter().enumerate() {
        incident.toggle_step(step.id, START + 60 + i as i64 * 95);
    }
    for (i, (key, value)) in realistic_fields().into_iter().enumerate() {
        incident.set_field(key, value, START + 300 + i as i64 * 200);
    }
    incident.variables.insert("EC2_HOST".into(), "10.0.12.7".into());
    incident.record_copy("Communication template", START + 500);
    incident.record_copy("Update communication", START + 4900);
    incident.next_update_at = Some(START + 2300);
    incident.resolve(START + 4980);
    incident
}
