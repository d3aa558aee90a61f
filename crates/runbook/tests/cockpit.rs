//! The incident cockpit's derived values: progress, phase, escalation, fields, timeline.

mod common;

use common::team_runbook_source;
use runbook::clock::stopwatch;
use runbook::cockpit::{self, Escalation, FieldContext};
use runbook::incident::Incident;
use runbook::{parse, Runbook};

// 2026-11-28 20:07:00 UTC
const START: i64 = 1_795_896_420;

fn team() -> Runbook {
    parse("incident-response.md", team_runbook_source())
}

fn incident() -> Incident {
    Incident::new("i1", "incident-response", START)
}

#[test]
fn escalation_countdown_uses_the_matrix_row_of_the_chosen_severity() {
    let runbook = team();
    let mut incident = incident();
    let now = START + 6 * 60 + 50;
    assert_eq!(cockpit::escalation(&runbook, &incident, now), None, "no severity, no countdown");
    incident.set_severity("SEV2", now);
    let Some(Escalation::In { to, seconds }) = cockpit::escalation(&runbook, &incident, now) else {
        panic!("countdown expected")
    };
    assert_eq!((to.as_str(), stopwatch(seconds).as_str()), ("Engineering lead", "23:10"));
    assert_eq!(
        cockpit::escalation(&runbook, &incident, START + 1800),
        Some(Escalation::Due { to: "Engineering lead".into() })
    );
    incident.set_severity("SEV1", now);
    assert_eq!(cockpit::escalation(&runbook, &incident, now), Some(Escalation::Due { to: "All hands".into() }));
    incident.set_severity("SEV4", now);
    assert_eq!(
        cockpit::escalation(&runbook, &incident, now),
        Some(Escalation::Unclocked { to: "Backlog".into(), when: "Next standup".into() })
    );
}

#[test]
fn the_clock_names_the_phase_the_team_should_be_in() {
    let runbook = team();
    let incident = incident();
    let phase_at = |minutes: i64| {
        cockpit::current_phase(&runbook, &incident, START + minutes * 60).map(|p| runbook.phases[p].title.as_str())
    };
    assert_eq!(phase_at(0), Some("Detection & Triage"));
    assert_eq!(phase_at(7), Some("Communication"));
    assert_eq!(phase_at(29), Some("Investigation"));
    assert_eq!(phase_at(45), Some("Mitigation"));
    assert_eq!(phase_at(600), Some("Mitigation"));
}

#[test]
fn progress_counts_checks_per_phase_and_overall_and_unchecking_undoes() {
    let runbook = team();
    let mut incident = incident();
    for step in runbook.steps.iter().filter(|s| s.phase == Some(1)) {
        incident.toggle_step(step.id, START + 60);
    }
    incident.toggle_step(runbook.steps[0].id, START + 30);
    assert_eq!(cockpit::phase_progress(&runbook, &incident, 1), cockpit::Progress { done: 3, total: 3 });
    assert_eq!(cockpit::phase_progress(&runbook, &incident, 0), cockpit::Progress { done: 1, total: 6 });
    assert_eq!(cockpit::progress(&runbook, &incident), cockpit::Progress { done: 4, total: 40 });
    incident.toggle_step(runbook.steps[0].id, START + 90);
    assert_eq!(cockpit::phase_progress(&runbook, &incident, 0).done, 0);
}

#[test]
fn fields_are_typed_once_and_shared_while_clock_fields_fill_themselves() {
    let runbook = team();
    let mut incident = incident();
    incident.set_severity("SEV2", START + 60);
    incident.set_field("brief description", "Checkout API returns 502", START + 100);
    let now = START + 83 * 60;
    let context = FieldContext { incident: &incident, now, offset_minutes: 60 };
    let initial = runbook.templates[0].render(&|f| context.value(f), &[]);
    assert_eq!(
        initial,
        "INCIDENT: Checkout API returns 502\nSEVERITY: SEV2\nIMPACT: [What's broken, who's affected]\nSTATUS: Investigating\nNEXT UPDATE: 23:00"
    );
    incident.resolve(now);
    let context = FieldContext { incident: &incident, now: now + 600, offset_minutes: 60 };
    let resolved = runbook.templates[1].render(&|f| context.value(f), &[]);
    assert_eq!(
        resolved,
        "INCIDENT: Checkout API returns 502\nSTATUS: RESOLVED\nRESOLUTION: [What fixed it]\nDURATION: 1h 23m"
    );
}

#[test]
fn the_post_mortem_timeline_tells_the_incident_in_time_order() {
    let runbook = team();
    let mut incident = incident();
    let step = |label: &str| runbook.steps.iter().find(|s| s.label == label).expect("step").id;
    incident.toggle_step(step("Quick health check all services"), START + 120);
    incident.set_severity("SEV2", START + 180);
    incident.record_copy("Communication template", START + 400);
    incident.toggle_step(step("Check recent logs for errors"), START + 700);
    incident.resolve(START + 83 * 60);
    let lines = cockpit::timeline(&runbook, &incident, 0);
    assert_eq!(
        lines,
        [
            "- 20:07 - Incident started (Incident Response Runbook)",
            "- 20:09 - Done: Quick health check all services",
            "- 20:10 - Severity set to SEV2",
            "- 20:13 - Sent: Communication template",
            "- 20:18 - Done: Check recent logs for errors",
            "- 21:30 - Resolved",
        ]
    );
    let post_mortem = runbook.templates.iter().find(|t| t.is_post_mortem).expect("post-mortem");
    let context = FieldContext { incident: &incident, now: START + 90 * 60, offset_minutes: 0 };
    let text = post_mortem.render(&|f| context.value(f), &lines);
    assert!(
        text.starts_with("## Incident: [Title]\n**Date:** 2026-11-28\n**Duration:** 01:23\n**Severity:** SEV2\n"),
        "{text}"
    );
    assert!(text.contains("### Timeline\n- 20:07 - Incident started (Incident Response Runbook)\n"), "{text}");
    assert!(text.contains("- 21:30 - Resolved\n\n### Root Cause\n"), "{text}");
    assert!(!text.contains("HH:MM"));
}

#[test]
fn the_post_mortem_says_who_did_what_when_a_live_room_named_them() {
    let runbook = team();
    let mut incident = incident();
    let health = runbook.steps.iter().find(|s| s.label == "Quick health check all services").expect("step").id;
    let logs = runbook.steps.iter().find(|s| s.label == "Check recent logs for errors").expect("step").id;
    incident.toggle_step(health, START + 120);
    incident.toggle_step(logs, START + 130);
    incident.checked_by.insert(health, "Zoë → on call".into());
    incident.set_severity("SEV1", START + 180);
    incident.events[0].by = Some("مريم".into());
    let lines = cockpit::timeline(&runbook, &incident, 0);
    assert_eq!(
        lines[1..],
        [
            "- 20:09 - Done: Quick health check all services (by Zoë → on call)",
            "- 20:09 - Done: Check recent logs for errors",
            "- 20:10 - Severity set to SEV1 (by مريم)",
        ]
    );
}

#[test]
fn resolving_stops_the_clock_and_a_late_start_can_be_set() {
    let mut incident = incident();
    incident.resolve(START + 600);
    assert_eq!(incident.elapsed(START + 99_999), 600);
    assert!(!incident.set_start(START + 700), "a start after the resolution is refused");
    assert!(incident.set_start(START - 300));
    assert_eq!(incident.elapsed(START + 99_999), 900);
    incident.reopen(START + 1000);
    assert_eq!(incident.elapsed(START + 1000), 1300);
}
