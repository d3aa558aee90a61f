//! The decisions the site makes when someone acts, on the team's runbook, natively.

use std::collections::BTreeMap;

use api::outage::{OutageLink, OutageState};
use runbook::actions::{
    arrival, incident_for_outage, incident_id, orphans_note, read_outage_link, separate_copy, start, start_from_outage,
    Arrival, OutageLinkRefusal,
};
use runbook::incident::Incident;
use runbook::merge::CLOCK_SKEW;
use runbook::Runbook;

const NOW: i64 = 1_795_896_700;

fn team_runbook() -> Runbook {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/runbooks/incident-response.md"))
            .unwrap();
    Runbook::from_document(document::parse("incident-response.md", &text))
}

fn outage() -> OutageLink {
    OutageLink {
        endpoint: "api".into(),
        state: OutageState::Down,
        onset: NOW - 40,
        declared: NOW - 20,
        regions: vec!["weur".into(), "enam".into()],
        cause: "HTTP 503".into(),
    }
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn starting_from_a_runbook_keeps_only_host_values_that_fit_their_placeholder() {
    let runbook = team_runbook();
    let offered = values(&[("EC2_HOST", "203.0.113.7"), ("NOT_A_VARIABLE", "x")]);
    let incident = start(&runbook, "k3x9q2".into(), NOW, &offered);
    assert_eq!(
        (incident.id.as_str(), incident.runbook.as_str(), incident.started_at),
        ("k3x9q2", "incident-response", NOW)
    );
    assert_eq!(incident.variables, values(&[("EC2_HOST", "203.0.113.7")]));
    let hostile = start(&runbook, "k3x9q3".into(), NOW, &values(&[("EC2_HOST", "--no-preserve-root; rm -rf /")]));
    assert!(hostile.variables.is_empty(), "a value that is not a host is refused, not saved");
}

#[test]
fn an_outage_starts_one_incident_and_a_second_click_finds_it() {
    let runbook = team_runbook();
    let first = start_from_outage(&runbook, "a1".into(), &outage(), &values(&[("EC2_HOST", "203.0.113.7")]));
    assert_eq!(first.started_at, NOW - 40, "the outage's onset");
    assert_eq!(first.severity.as_deref(), Some("SEV1"));
    assert_eq!(first.variables.get("EC2_HOST").map(String::as_str), Some("203.0.113.7"));
    let list = vec![Incident::new("other", "incident-response", NOW), first.clone()];
    assert_eq!(incident_for_outage(&list, &runbook, &outage()).map(|i| i.id.as_str()), Some("a1"));
    let later = OutageLink { onset: NOW, declared: NOW, ..outage() };
    assert!(incident_for_outage(&list, &runbook, &later).is_none(), "another outage of the same endpoint is new");
}

#[test]
fn an_outage_link_is_refused_when_unreadable_unknown_or_from_the_future() {
    let known = vec!["api".to_string(), "web".to_string()];
    // As the router hands it over: the query value, percent-decoded.
    let param = document::links::percent_decode(&outage().to_param());
    assert_eq!(read_outage_link(&param, NOW, Some(&known)), Ok(outage()));
    assert_eq!(read_outage_link(&param, NOW, None), Ok(outage()), "a site without a probe list trusts the link rules");
    let refused = read_outage_link(&param, NOW, Some(&["web".to_string()])).unwrap_err();
    assert_eq!(refused, OutageLinkRefusal::UnknownEndpoint("api".into()));
    assert_eq!(refused.to_string(), "this site's probe has no endpoint named \"api\"");
    let ahead = OutageLink { onset: NOW + CLOCK_SKEW + 1, declared: NOW + CLOCK_SKEW + 1, ..outage() };
    let ahead = document::links::percent_decode(&ahead.to_param());
    assert_eq!(read_outage_link(&ahead, NOW, Some(&known)), Err(OutageLinkRefusal::FromTheFuture));
    assert!(matches!(read_outage_link("v9.x", NOW, None), Err(OutageLinkRefusal::Unreadable(_))));
}

#[test]
fn a_shared_incident_is_new_nothing_new_a_choice_another_runbook_or_from_the_future() {
    let mut incoming = Incident::new("k3x9q2", "incident-response", NOW - 600);
    assert_eq!(arrival(None, &incoming, None, NOW), Arrival::New);
    assert_eq!(arrival(Some(&incoming.clone()), &incoming, None, NOW), Arrival::NothingNew);
    let local = incoming.clone();
    incoming.set_severity("SEV2", NOW - 60);
    match arrival(Some(&local), &incoming, None, NOW) {
        Arrival::Choose(report) => assert_eq!(report.severity, Some((None, "SEV2".to_string()))),
        other => panic!("expected a choice, got {other:?}"),
    }
    let elsewhere = Incident::new("k3x9q2", "database-failover", NOW - 600);
    assert_eq!(
        arrival(Some(&elsewhere), &incoming, None, NOW),
        Arrival::OtherRunbook { here: "database-failover".into() }
    );
    let mut ahead = incoming.clone();
    ahead.set_severity("SEV1", NOW + CLOCK_SKEW + 60);
    assert!(
        matches!(arrival(None, &ahead, None, NOW), Arrival::FromTheFuture { .. }),
        "refused even with no copy here"
    );
}

#[test]
fn a_separate_copy_differs_only_by_its_id_and_orphans_are_counted_in_words() {
    let mut incoming = Incident::new("k3x9q2", "incident-response", NOW);
    incoming.set_severity("SEV1", NOW);
    let copy = separate_copy(&incoming, "n3w1d".into());
    assert_eq!(copy.id, "n3w1d");
    assert_eq!(Incident { id: incoming.id.clone(), ..copy }, incoming);
    assert_eq!(orphans_note(0), "");
    assert_eq!(orphans_note(1), " One checked step in the link is no longer in this runbook.");
    assert_eq!(orphans_note(3), " 3 checked steps in the link are no longer in this runbook.");
}

#[test]
fn the_merge_preview_says_each_change_in_words_with_local_times() {
    let mut local = Incident::new("k3x9q2", "incident-response", NOW);
    local.set_severity("SEV3", NOW + 60);
    let mut incoming = Incident::new("k3x9q2", "incident-response", NOW - 3600);
    incoming.set_severity("SEV1", NOW + 120);
    incoming.resolve(NOW + 180);
    let Arrival::Choose(report) = arrival(Some(&local), &incoming, None, NOW + 300) else { panic!("a choice") };
    let lines = report.changes(120);
    assert!(lines.contains(&"set severity to SEV1 (now SEV3)".to_string()), "{lines:?}");
    assert!(lines.contains(&"change whether and when the incident was resolved".to_string()), "{lines:?}");
    let start = lines.iter().find(|l| l.starts_with("move the start to")).expect("the start moves");
    assert!(start.ends_with(&format!("(now {} {})", runbook::clock::date(NOW, 120), runbook::clock::hh_mm(NOW, 120))));
}

#[test]
fn copying_a_message_that_names_the_next_update_sets_its_reminder() {
    use runbook::actions::{message_copied, type_field};
    use runbook::templates::FieldKind;
    let runbook = team_runbook();
    let template = runbook
        .templates
        .iter()
        .find(|t| t.fields().any(|f| f.kind == FieldKind::NextUpdate))
        .expect("the team's runbook has a template with NEXT UPDATE");
    let field = template.fields().find(|f| f.kind == FieldKind::NextUpdate).unwrap();
    let mut incident = Incident::new("k3x9q2", "incident-response", NOW);
    message_copied(&mut incident, template, NOW, 0);
    assert_eq!(incident.next_update_at, Some(NOW + runbook::cockpit::DEFAULT_UPDATE_INTERVAL), "the usual interval");
    assert_eq!(incident.events.last().map(|e| e.kind.words()), Some(format!("Sent: {}", template.title)));
    // 1_795_896_700 is 20:11:40 UTC: "21:00" is the same evening.
    assert!(type_field(&mut incident, field, "21:00", NOW, 0));
    assert_eq!(incident.next_update_at, Some(1_795_899_600));
    message_copied(&mut incident, template, NOW + 60, 0);
    assert_eq!(incident.next_update_at, Some(1_795_899_600), "the typed time, not the usual interval");
}

#[test]
fn a_host_value_is_made_one_line_checked_and_refused_when_the_incident_is_full() {
    use runbook::actions::{checked_value, set_incident_value, SetValueRefusal};
    let runbook = team_runbook();
    assert_eq!(checked_value(&runbook, "EC2_HOST", "  203.0.113.7\n"), Ok("203.0.113.7".to_string()));
    assert_eq!(checked_value(&runbook, "EC2_HOST", ""), Ok(String::new()), "empty unsets");
    assert!(matches!(checked_value(&runbook, "EC2_HOST", "a; rm -rf /"), Err(SetValueRefusal::Refused(_))));
    let mut incident = Incident::new("k3x9q2", "incident-response", NOW);
    for n in 0..runbook::incident::limits::VARIABLES {
        incident.variables.insert(format!("HOST_{n}"), "x".into());
    }
    assert_eq!(set_incident_value(&mut incident, "EC2_HOST", "203.0.113.7"), Err(SetValueRefusal::Full));
    assert_eq!(SetValueRefusal::Full.to_string(), "this incident holds as many host values as it can");
}

#[test]
fn the_live_outage_is_hidden_only_beside_the_same_outage_from_the_link() {
    use runbook::actions::same_outage;
    let later = OutageLink { onset: NOW + 600, declared: NOW + 620, ..outage() };
    assert!(same_outage(&outage(), &OutageLink { cause: "timeout".into(), ..outage() }));
    assert!(!same_outage(&outage(), &later), "another outage of the same endpoint is offered");
    assert!(!same_outage(&outage(), &OutageLink { endpoint: "web".into(), ..outage() }));
}

#[test]
fn a_received_link_is_compared_with_the_copy_held_under_its_cleaned_id() {
    use runbook::actions::receive;
    let runbook = team_runbook();
    let held = Incident::new("k3x9q2", "incident-response", NOW - 600);
    let mut incoming = Incident::new("k3x9q2\u{200b}", "incident-response", NOW - 600);
    incoming.set_severity("SEV1", NOW - 60);
    let received = receive(incoming, Some(&runbook), &|id| (id == held.id).then(|| held.clone()), NOW);
    assert_eq!(received.incident.id, "k3x9q2");
    assert!(
        matches!(received.arrival, Arrival::Choose(_)),
        "never saved over the copy held here: {:?}",
        received.arrival
    );
    assert_eq!((received.orphaned, received.left_out.is_empty()), (0, true));
}

#[test]
fn the_home_page_lists_every_open_incident_then_the_last_five_resolved() {
    use runbook::actions::{clock_words, home_incidents, open_on};
    let runbook = team_runbook();
    let mut list = Vec::new();
    for n in 0..8 {
        let mut incident = Incident::new(format!("r{n}"), "incident-response", NOW - 7200 + n);
        incident.resolve(NOW - 3600);
        list.push(incident);
    }
    list.insert(0, Incident::new("open1", "incident-response", NOW - 60));
    list.insert(1, Incident::new("open2", "database-failover", NOW - 30));
    let (open, recent) = home_incidents(&list);
    assert_eq!(open.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["open1", "open2"]);
    assert_eq!(recent.len(), 5);
    assert_eq!(open_on(&list, &runbook).iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["open1"]);
    assert_eq!(clock_words(&list[0], NOW), "1:00");
    assert_eq!(clock_words(&list[2], NOW), "resolved after 1h 00m");
}

#[test]
fn the_preview_lists_a_reopening_with_its_time_and_an_entry_the_limit_pushes_out() {
    use runbook::incident::{limits, Event, EventKind};
    use runbook::merge::preview;
    let start = NOW - 40_000;
    let mut local = Incident::new("k3x9q2", "incident-response", start);
    for n in 0..limits::EVENTS as i64 {
        local.events.push(Event::new(start + 60 * (n + 1), EventKind::MessageCopied { template: format!("t{n}") }));
    }
    let oldest = local.events[0].clone();
    let mut incoming = local.clone();
    incoming.events = vec![oldest, Event::new(NOW - 60, EventKind::Reopened)];
    let report = preview(&local, &incoming, NOW).expect("same runbook");
    let lines = report.changes(0);
    assert!(lines.iter().any(|l| l.starts_with("add to the timeline at") && l.ends_with("Reopened")), "{lines:?}");
    assert_eq!(report.events_dropped, 1, "this copy's oldest entry is gone, though the link holds it too");
}

#[test]
fn incident_ids_are_eight_base36_characters_for_any_number() {
    for random in [0.0, 1e-12, 0.5, 0.999_999_999_999, 1.0, -3.0, 7.5, f64::NAN, f64::INFINITY] {
        let id = incident_id(random);
        assert_eq!(id.len(), 8, "{random}: {id}");
        assert!(id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()), "{random}: {id}");
    }
    assert_eq!(incident_id(0.0), "00000000");
    assert_eq!(incident_id(1.0), "zzzzzzzz", "the top of the range stays eight characters");
    assert_ne!(incident_id(0.25), incident_id(0.75));
}

#[test]
fn a_step_id_reads_back_from_what_its_checkbox_id_holds() {
    use runbook::steps::StepId;
    let runbook = team_runbook();
    for step in runbook.steps.iter().take(50) {
        assert_eq!(step.id.to_string().parse::<StepId>(), Ok(step.id));
    }
    for bad in ["", "1234567", "123456789", "1234567g", "+1234567", "é1234567"] {
        assert!(bad.parse::<StepId>().is_err(), "{bad:?}");
    }
}
