//! What "Post to status page" sends from the team's own templates, and the resolution the
//! cockpit posts.

use api::{PostedIncident, PostedUpdate, UpdateStatus};
use runbook::incident::{Incident, ProbeOutage};
use runbook::status_post::{resolution_post, update_post};

const NOW: i64 = 1_796_392_800;

fn incident() -> Incident {
    let mut incident = Incident::new("k3x9", "incident-response", NOW - 600);
    incident.set_severity("SEV1", NOW - 590);
    incident
}

#[test]
fn the_communication_template_posts_its_status_title_and_severity() {
    let message = "INCIDENT: Debates fail → é users\nSEVERITY: SEV1\nIMPACT: All users\nSTATUS: Investigating\nNEXT UPDATE: 14:30\n";
    let post = update_post(&incident(), "Incident Response", message);
    assert_eq!(post.incident, "k3x9");
    assert_eq!(post.title, "Debates fail → é users");
    assert_eq!(post.status, UpdateStatus::Investigating);
    assert_eq!(post.severity.as_deref(), Some("SEV1"));
    assert_eq!(post.text, message.trim());
}

#[test]
fn the_resolution_template_posts_resolved() {
    let message = "INCIDENT: Debates fail\nSTATUS: RESOLVED\nRESOLUTION: Rolled back\nDURATION: 00:10";
    assert_eq!(update_post(&incident(), "Incident Response", message).status, UpdateStatus::Resolved);
}

#[test]
fn an_unfilled_title_falls_back_to_the_probe_then_the_runbook() {
    let message = "INCIDENT: [Brief description]\nSTATUS: [Investigating/Identified]";
    let plain = update_post(&incident(), "Incident Response", message);
    assert_eq!((plain.title.as_str(), plain.status), ("Incident Response", UpdateStatus::Investigating));
    assert!(plain.endpoints.is_empty());
    let mut from_outage = incident();
    from_outage.probe = Some(ProbeOutage {
        endpoint: "api".into(),
        state: api::State::Down,
        onset: NOW - 700,
        declared: NOW - 690,
        regions: vec!["weur".into()],
        cause: "HTTP 503".into(),
        recovered: None,
    });
    let post = update_post(&from_outage, "Incident Response", message);
    assert_eq!((post.title.as_str(), post.endpoints.clone()), ("api down", vec!["api".to_string()]));
    // A message without a STATUS line, once the incident is resolved, resolves.
    from_outage.resolve(NOW);
    assert_eq!(update_post(&from_outage, "x", "All good again.").status, UpdateStatus::Resolved);
}

fn posted(status: UpdateStatus) -> PostedIncident {
    PostedIncident {
        key: "k3x9".into(),
        title: "Debates fail".into(),
        status,
        severity: None,
        endpoints: Vec::new(),
        started_at: NOW - 500,
        updated_at: NOW - 500,
        resolved_at: (status == UpdateStatus::Resolved).then_some(NOW - 500),
        updates: vec![PostedUpdate { number: 1, at: NOW - 500, status, text: "t".into() }],
    }
}

#[test]
fn resolving_posts_a_resolution_only_where_an_update_is_still_open() {
    let mut resolved = incident();
    resolved.resolve(NOW);
    let post = resolution_post(&resolved, Some(&posted(UpdateStatus::Identified)), NOW).unwrap();
    assert_eq!((post.status, post.title.as_str()), (UpdateStatus::Resolved, "Debates fail"));
    assert_eq!(post.text, "Resolved. The incident lasted 10m.");
    assert_eq!(resolution_post(&resolved, Some(&posted(UpdateStatus::Resolved)), NOW), None);
    assert_eq!(resolution_post(&resolved, None, NOW), None);
}
