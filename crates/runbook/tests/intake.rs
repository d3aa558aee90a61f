//! A valid but hostile link's incident, brought within its limits before anything is saved:
//! the reproductions of an outside review, each as a test.

mod common;

use api::State;
use common::team_runbook_source;
use runbook::actions::{arrival, Arrival};
use runbook::incident::{limits, Event, EventKind, Incident, ProbeOutage};
use runbook::intake::{within_limits, ORPHANED_CHECKS, ORPHANED_FIELDS};
use runbook::merge::{check_times, MergeRefusal, REMINDER_HORIZON};
use runbook::steps::StepId;
use runbook::values::{check, Refusal, ValueError, ValueKind};
use runbook::{parse, Runbook};

// 2026-11-28 20:07:00 UTC
const START: i64 = 1_795_896_420;
const NOW: i64 = START + 3600;

fn team() -> Runbook {
    parse("incident-response.md", team_runbook_source())
}

/// 2,000 made-up step ids and 64 made-up field keys: 13.7 KB as a link.
fn stuffed() -> Incident {
    let mut incident = Incident::new("k3x9q2", "incident-response", START);
    for n in 0..2_000u32 {
        incident.checks.insert(StepId(0x4000_0000 + n), START + 60);
    }
    for n in 0..64 {
        incident.fields.insert(format!("made up {n}"), "x".into());
        incident.field_times.insert(format!("made up {n}"), START + 60);
    }
    incident
}

#[test]
fn a_stuffed_link_leaves_room_to_check_every_step_and_type_every_field() {
    let runbook = team();
    let (mut incident, left_out) = within_limits(stuffed(), Some(&runbook));
    assert_eq!(incident.checks.len(), ORPHANED_CHECKS);
    assert_eq!(left_out.checks, 2_000 - ORPHANED_CHECKS);
    assert_eq!(incident.field_times.len(), ORPHANED_FIELDS);
    assert_eq!(left_out.fields, 64 - ORPHANED_FIELDS);
    assert!(left_out
        .words()
        .unwrap()
        .starts_with("Left out of the link: 1900 checked steps this runbook does not have"));
    for step in &runbook.steps {
        incident.toggle_step(step.id, NOW);
    }
    assert!(runbook.steps.iter().all(|s| incident.checks.contains_key(&s.id)), "every step can still be checked");
    for template in &runbook.templates {
        for field in template.fields() {
            assert!(incident.set_field(&field.key, "typed", NOW), "field {:?} can still be typed", field.key);
        }
    }
}

#[test]
fn the_merge_preview_counts_only_the_runbooks_steps_as_steps_to_check() {
    let runbook = team();
    let (mut incoming, _) = within_limits(stuffed(), Some(&runbook));
    incoming.toggle_step(runbook.steps[0].id, START + 120);
    let local = Incident::new("k3x9q2", "incident-response", START);
    let Arrival::Choose(report) = arrival(Some(&local), &incoming, Some(&runbook), NOW) else { panic!("a choice") };
    let lines = report.changes(0);
    assert!(lines.contains(&"check 1 more step".to_string()), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("keep {ORPHANED_CHECKS} checked steps this runbook does not have"))),
        "{lines:?}"
    );
}

#[test]
fn the_merge_preview_lists_the_outage_the_timeline_and_the_reminder() {
    let runbook = team();
    let local = Incident::new("k3x9q2", "incident-response", START);
    let mut incoming = local.clone();
    incoming.probe = Some(ProbeOutage {
        endpoint: "api".into(),
        state: State::Down,
        onset: START,
        declared: START + 20,
        regions: vec!["weur".into()],
        cause: "HTTP 503".into(),
        recovered: Some(START + 600),
    });
    incoming
        .events
        .push(Event::new(START + 300, EventKind::MessageCopied { template: "### Root Cause\nmade up".into() }));
    incoming.next_update_at = Some(NOW + 900);
    let (incoming, _) = within_limits(incoming, Some(&runbook));
    let Arrival::Choose(report) = arrival(Some(&local), &incoming, Some(&runbook), NOW) else { panic!("a choice") };
    let lines = report.changes(0);
    assert!(lines.iter().any(|l| l.contains("the probe's outage of api")), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("set the next update reminder to")), "{lines:?}");
    let timeline = lines.iter().find(|l| l.starts_with("add to the timeline at")).expect("the event is listed");
    assert!(
        timeline.ends_with("Sent: ### Root Causemade up"),
        "one line, as the post-mortem would show it: {timeline}"
    );
}

#[test]
fn a_reminder_far_ahead_is_from_the_future_and_one_within_a_day_is_not() {
    let mut incident = Incident::new("k3x9q2", "incident-response", START);
    incident.next_update_at = Some(NOW + 1800);
    assert_eq!(check_times(&incident, NOW), Ok(()));
    let far = 4_102_444_800; // 2100-01-01
    incident.next_update_at = Some(far);
    assert_eq!(check_times(&incident, NOW), Err(MergeRefusal::FromTheFuture { at: far }));
    incident.next_update_at = Some(NOW + REMINDER_HORIZON + 3600);
    assert!(check_times(&incident, NOW).is_err());
}

#[test]
fn a_link_keeps_only_the_runbooks_placeholders_and_clean_one_line_words() {
    let runbook = team();
    let mut incident = Incident::new("k3x9q2\u{202e}", "incident-response", START);
    incident.variables.insert("EC2_HOST".into(), "--no-preserve-root".into());
    incident.variables.insert("NOT_A_PLACEHOLDER".into(), "203.0.113.7".into());
    incident.severity = Some("SEV1\u{200b}\n".into());
    for n in 0..(limits::EVENTS + 10) as i64 {
        incident.events.push(Event::new(START + limits::EVENTS as i64 + 10 - n, EventKind::Resolved));
    }
    let (incident, left_out) = within_limits(incident, Some(&runbook));
    // Kept as the link had it, so the hosts panel can say why it is refused; never used.
    assert_eq!(incident.variables.keys().collect::<Vec<_>>(), ["EC2_HOST"]);
    assert!(runbook.check_value("EC2_HOST", &incident.variables["EC2_HOST"]).is_err());
    assert_eq!(left_out.variables, 1);
    assert_eq!((incident.id.as_str(), incident.severity.as_deref()), ("k3x9q2", Some("SEV1")));
    assert_eq!(incident.events.len(), limits::EVENTS);
    assert!(incident.events.windows(2).all(|w| w[0].at <= w[1].at), "in time order");
    assert_eq!(incident.events[0].at, START + 11, "the oldest were left out");
}

#[test]
fn other_values_refuse_a_leading_dash_and_a_parent_folder() {
    assert_eq!(check(ValueKind::Other, "../.."), Err(Refusal::ParentFolder));
    assert_eq!(check(ValueKind::Other, "cache/../../etc"), Err(Refusal::ParentFolder));
    assert_eq!(check(ValueKind::Other, "--no-preserve-root"), Err(Refusal::LeadingDash));
    assert_eq!(check(ValueKind::Other, "-rf"), Err(Refusal::LeadingDash));
    assert_eq!(check(ValueKind::Other, "@/home/u/.aws/credentials"), Err(Refusal::LeadingDash));
    assert_eq!(check(ValueKind::Other, "v1.2..v1.3"), Ok("v1.2..v1.3".into()), "'..' inside a word is no folder");
    assert_eq!(check(ValueKind::Other, "app-cache/2026"), Ok("app-cache/2026".into()));
}

#[test]
fn a_time_wrapped_to_the_far_past_and_an_id_that_is_no_address_are_made_safe() {
    let runbook = team();
    let mut incident = Incident::new("a/b?x\u{202e}", "incident-response", START);
    incident.resolved_at = Some(i64::MIN);
    incident.next_update_at = Some(i64::MIN + 5);
    incident.checks.insert(runbook.steps[0].id, i64::MIN);
    let (incident, _) = within_limits(incident, Some(&runbook));
    assert_eq!(incident.id, "abx");
    assert_eq!(incident.resolved_at, Some(START), "resolved no earlier than it started");
    assert_eq!(incident.next_update_at, None);
    assert_eq!(incident.checks[&runbook.steps[0].id], START);
    let (nameless, _) = within_limits(Incident::new("/?#", "incident-response", START), Some(&runbook));
    assert_eq!(nameless.id, "shared");
}

#[test]
fn setting_a_step_as_seen_never_inverts_a_change_made_elsewhere_first() {
    let runbook = team();
    let step = runbook.steps[0].id;
    let mut incident = Incident::new("k3x9q2", "incident-response", START);
    incident.set_step(step, true, START + 60);
    incident.set_step(step, true, START + 120);
    assert_eq!(incident.checks.get(&step), Some(&(START + 60)), "ticked twice: still ticked, at the first time");
    incident.set_step(step, false, START + 180);
    incident.set_step(step, false, START + 240);
    assert!(!incident.checks.contains_key(&step));
}

#[test]
fn a_merge_that_pushes_old_timeline_entries_out_says_so() {
    let runbook = team();
    let mut local = Incident::new("k3x9q2", "incident-response", START);
    local.record_copy("Status Page Update", START + 60);
    let mut incoming = local.clone();
    for n in 0..limits::EVENTS as i64 {
        incoming.events.push(Event::new(START + 120 + n * 60, EventKind::MessageCopied { template: format!("t{n}") }));
    }
    let (incoming, _) = within_limits(incoming, Some(&runbook));
    let Arrival::Choose(report) = arrival(Some(&local), &incoming, Some(&runbook), START + 86_400) else {
        panic!("a choice")
    };
    assert_eq!(report.events_dropped, 1, "this copy's own entry is pushed out");
    assert!(
        report.changes(0).iter().any(|l| l.starts_with("drop this copy's 1 oldest timeline entry")),
        "{:?}",
        report.changes(0)
    );
}

#[test]
fn a_host_value_is_never_made_to_fit_by_what_intake_takes_out() {
    let runbook = team();
    let mut incident = Incident::new("k3x9q2", "incident-response", START);
    // Without the zero-width space this is a good host; with it, the link's value is no host.
    incident.variables.insert("EC2_HOST".into(), "ip-10-0-0-1\u{200b}.internal".into());
    incident.variables.insert("LIGHTSAIL_HOST".into(), format!("{}.example.com", "a".repeat(900)));
    let (incident, _) = within_limits(incident, Some(&runbook));
    assert_eq!(incident.variables["EC2_HOST"], "ip-10-0-0-1\u{fffd}.internal", "the invisible character is shown");
    assert!(runbook.check_value("EC2_HOST", &incident.variables["EC2_HOST"]).is_err(), "and still refused");
    assert_eq!(incident.variables["LIGHTSAIL_HOST"].chars().count(), runbook::values::MAX_VALUE_CHARS + 1);
    assert!(
        matches!(
            runbook.check_value("LIGHTSAIL_HOST", &incident.variables["LIGHTSAIL_HOST"]),
            Err(ValueError::Refused { refusal: Refusal::TooLong, .. })
        ),
        "a cut value stays refused as too long"
    );
}

#[test]
fn a_field_text_cut_to_its_limit_is_said() {
    let runbook = team();
    let key = runbook.templates[0].fields().next().expect("the team's first template has a field").key.clone();
    let mut incident = Incident::new("k3x9q2", "incident-response", START);
    incident.fields.insert(key.clone(), "é".repeat(limits::FIELD_CHARS + 5));
    incident.field_times.insert(key.clone(), START + 60);
    let (incident, left_out) = within_limits(incident, Some(&runbook));
    assert_eq!(incident.fields[&key].chars().count(), limits::FIELD_CHARS);
    assert_eq!(left_out.cut_fields, 1);
    assert_eq!(left_out.words().as_deref(), Some("Left out of the link: 1 field text cut to its limit."));
}

#[test]
fn merge_after_merge_never_fills_the_incident_with_checks_no_step_holds() {
    use runbook::actions::receive;
    use runbook::merge::merge;
    let runbook = team();
    let mut local = Incident::new("k3x9q2", "incident-response", START);
    // Thirty links, each with a hundred made-up step ids of its own, each merged.
    for link in 0..30u32 {
        let mut incoming = Incident::new("k3x9q2", "incident-response", START);
        for n in 0..100u32 {
            incoming.checks.insert(StepId(0x4000_0000 + link * 1000 + n), START + 60);
        }
        let received = receive(incoming, Some(&runbook), &|_| Some(local.clone()), NOW);
        if link > 0 {
            assert_eq!(received.left_out.checks, 100, "link {link}: no room left, every made-up check said");
        }
        merge(&mut local, &received.incident, NOW).expect("same runbook, no future times");
    }
    let orphans = local.checks.keys().filter(|id| !runbook.steps.iter().any(|s| s.id == **id)).count();
    assert_eq!(orphans, ORPHANED_CHECKS);
    for step in &runbook.steps {
        local.set_step(step.id, true, NOW);
    }
    assert!(runbook.steps.iter().all(|s| local.checks.contains_key(&s.id)), "every step can still be checked");
}

#[test]
fn a_long_host_value_padded_with_spaces_stays_refused_through_intake_and_merge() {
    use runbook::merge::merge;
    let runbook = team();
    let padded = format!("db.example.com{};x", " ".repeat(240));
    let mut incoming = Incident::new("k3x9q2", "incident-response", START);
    incoming.variables.insert("EC2_HOST".into(), padded);
    let (incoming, _) = within_limits(incoming, Some(&runbook));
    assert!(runbook.check_value("EC2_HOST", &incoming.variables["EC2_HOST"]).is_err(), "refused after intake");
    let mut local = Incident::new("k3x9q2", "incident-response", START);
    merge(&mut local, &incoming, NOW).expect("same runbook");
    if let Some(value) = local.variables.get("EC2_HOST") {
        assert!(runbook.check_value("EC2_HOST", value).is_err(), "refused after merge: {value:?}");
    }
}

#[test]
fn made_up_fields_from_merge_after_merge_leave_every_field_of_the_runbook_typeable() {
    use runbook::actions::receive;
    use runbook::merge::merge;
    let runbook = team();
    let mut local = Incident::new("k3x9q2", "incident-response", START);
    for link in 0..5 {
        let mut incoming = Incident::new("k3x9q2", "incident-response", START);
        for n in 0..ORPHANED_FIELDS {
            incoming.fields.insert(format!("made up {link}.{n}"), "x".into());
            incoming.field_times.insert(format!("made up {link}.{n}"), START + 60);
        }
        let received = receive(incoming, Some(&runbook), &|_| Some(local.clone()), NOW);
        merge(&mut local, &received.incident, NOW).expect("same runbook");
    }
    assert_eq!(local.field_times.len(), ORPHANED_FIELDS);
    for template in &runbook.templates {
        for field in template.fields() {
            assert!(local.set_field(&field.key, "typed", NOW), "field {:?} can still be typed", field.key);
        }
    }
}

#[test]
fn probe_times_from_the_far_past_are_brought_to_the_earliest_time_kept() {
    let mut incoming = Incident::new("k3x9q2", "incident-response", 0);
    incoming.probe = Some(ProbeOutage {
        endpoint: "api".into(),
        state: State::Down,
        onset: i64::MIN,
        declared: i64::MIN + 5,
        regions: vec!["weur".into()],
        cause: "HTTP 503".into(),
        recovered: Some(i64::MIN + 946_684_800),
    });
    let (incident, _) = within_limits(incoming, Some(&team()));
    let probe = incident.probe.expect("kept");
    assert!(probe.onset >= incident.started_at && probe.declared >= probe.onset);
    assert!(probe.recovered.is_some_and(|at| at >= probe.declared));
}
