//! What the cockpit bar shows at a moment, decided natively: the view only draws a Summary.

mod common;

use common::team_runbook_source;
use runbook::cockpit::Escalation;
use runbook::cockpit_summary::summary;
use runbook::incident::Incident;
use runbook::phases::Window;
use runbook::{parse, Runbook};

// 2026-11-28 20:07:00 UTC
const START: i64 = 1_795_896_420;

fn team() -> Runbook {
    parse("incident-response.md", team_runbook_source())
}

#[test]
fn an_open_incident_shows_its_phase_escalation_and_next_update_in_words() {
    let runbook = team();
    let mut incident = Incident::new("i1", "incident-response", START);
    incident.set_severity("SEV2", START + 60);
    incident.next_update_at = Some(START + 15 * 60);
    let at = summary(&runbook, &incident, START + 6 * 60 + 50);
    assert!(!at.resolved);
    assert_eq!(at.elapsed, 6 * 60 + 50);
    assert!(at.phase.is_some(), "the team runbook has timed phases");
    assert_eq!(
        at.escalation.as_ref().map(Escalation::words),
        Some(("Escalate", "to Engineering lead in 23:10".into()))
    );
    assert!(!at.escalation_due());
    assert_eq!(at.next_update_words().as_deref(), Some("in 8:10"));
    let late = summary(&runbook, &incident, START + 16 * 60);
    assert!(late.next_update_overdue());
    assert_eq!(late.next_update_words().as_deref(), Some("overdue 1:00"));
    let due = summary(&runbook, &incident, START + 3600);
    assert!(due.escalation_due());
    assert_eq!(due.escalation.as_ref().map(Escalation::words), Some(("Escalate now", "Engineering lead".into())));
}

#[test]
fn a_resolved_incident_shows_no_phase_escalation_or_reminder_and_its_clock_stops() {
    let runbook = team();
    let mut incident = Incident::new("i1", "incident-response", START);
    incident.set_severity("SEV1", START);
    incident.next_update_at = Some(START + 600);
    incident.resolve(START + 1200);
    let at = summary(&runbook, &incident, START + 7200);
    assert!(at.resolved);
    assert_eq!(at.elapsed, 1200, "the time to resolve, not the time since");
    assert_eq!((at.phase, at.escalation.clone(), at.next_update_in), (None, None, None));
    assert!(!at.escalation_due() && !at.next_update_overdue());
}

#[test]
fn a_time_window_reads_in_minutes_open_ended_or_not() {
    assert_eq!(Window { start: 0, end: Some(300) }.words(), "0–5 min");
    assert_eq!(Window { start: 1800, end: None }.words(), "30+ min");
    let unclocked = Escalation::Unclocked { to: "CTO".into(), when: "Next standup".into() };
    assert_eq!(unclocked.words(), ("Escalate", "to CTO: Next standup".to_string()));
}

#[test]
fn a_template_asks_for_each_field_once() {
    let runbook = team();
    for template in &runbook.templates {
        let asked: Vec<&str> = template.distinct_fields().iter().map(|f| f.key.as_str()).collect();
        let all: std::collections::BTreeSet<&str> = template.fields().map(|f| f.key.as_str()).collect();
        let once: std::collections::BTreeSet<&str> = asked.iter().copied().collect();
        assert_eq!(once.len(), asked.len(), "no field asked twice in {:?}", template.title);
        assert_eq!(once, all, "every field asked in {:?}", template.title);
    }
}

#[test]
fn the_contents_list_two_levels_below_the_title_and_mark_the_phases() {
    let runbook = team();
    let entries = runbook::contents::contents(&runbook);
    assert!(entries.iter().all(|e| e.heading.level >= 2 && e.heading.level <= 3));
    assert!(entries.iter().any(|e| e.sub) && entries.iter().any(|e| !e.sub));
    let phases: Vec<usize> = entries.iter().filter_map(|e| e.phase).collect();
    assert_eq!(phases, (0..runbook.phases.len()).collect::<Vec<_>>(), "every phase, in order");
}
