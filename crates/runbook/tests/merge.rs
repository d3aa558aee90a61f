//! Opening a link for an incident already held here merges the two copies.

use runbook::incident::limits;
use runbook::incident::Incident;
use runbook::merge::{merge, preview, MergeRefusal};
use runbook::steps::StepId;

const T: i64 = 1_795_896_420;
/// This browser's clock: after everything in the tests.
const NOW: i64 = T + 86_400;

fn base() -> Incident {
    let mut incident = Incident::new("abc", "incident-response", T);
    incident.toggle_step(StepId(1), T + 60);
    incident.set_field("brief description", "API down", T + 100);
    incident.set_severity("SEV2", T + 30);
    incident
}

#[test]
fn checks_are_united_and_local_progress_is_never_lost() {
    let mut local = base();
    local.toggle_step(StepId(2), T + 200);
    let mut incoming = base();
    incoming.toggle_step(StepId(3), T + 300);
    incoming.toggle_step(StepId(1), T + 400); // unchecked in the link: still checked here
    let report = merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local.checks.keys().copied().collect::<Vec<_>>(), [StepId(1), StepId(2), StepId(3)]);
    assert_eq!(local.checks[&StepId(1)], T + 60, "a step checked on both sides keeps this browser's time");
    assert_eq!(report.added_checks, 1);
}

#[test]
fn each_field_keeps_its_newer_value() {
    let mut local = base();
    local.set_field("impact", "All users", T + 500);
    let mut incoming = base();
    incoming.set_field("brief description", "Checkout API returns 502", T + 600);
    incoming.set_field("impact", "Some users", T + 400);
    let report = merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local.fields["brief description"], "Checkout API returns 502");
    assert_eq!(local.fields["impact"], "All users", "the local edit is newer");
    assert_eq!(report.updated_fields, ["brief description"]);
}

#[test]
fn severity_and_resolution_follow_the_latest_change_of_either_copy() {
    let mut local = base();
    let mut incoming = base();
    incoming.set_severity("SEV1", T + 900);
    incoming.resolve(T + 3000);
    let report = merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local.severity.as_deref(), Some("SEV1"));
    assert_eq!(local.resolved_at, Some(T + 3000));
    assert_eq!(report.severity, Some((Some("SEV2".into()), "SEV1".into())));
    assert!(report.resolution_changed);
    assert_eq!(report.summary(), "severity SEV1 (was SEV2), resolution state updated");

    let mut reopened_here = local.clone();
    reopened_here.reopen(T + 4000);
    let report = merge(&mut reopened_here, &incoming, NOW).expect("merges");
    assert_eq!(reopened_here.resolved_at, None, "reopening here is newer than the link's resolution");
    assert!(!report.resolution_changed);
}

#[test]
fn merging_the_same_link_twice_changes_nothing_the_second_time() {
    let mut local = base();
    let mut incoming = base();
    incoming.toggle_step(StepId(9), T + 700);
    incoming.record_copy("Communication template", T + 710);
    merge(&mut local, &incoming, NOW).expect("merges");
    let once = local.clone();
    let report = merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local, once);
    assert!(report.is_empty());
    assert_eq!(report.summary(), "nothing new: this browser already had everything in the link");
}

#[test]
fn the_earlier_start_and_new_hosts_are_taken() {
    let mut local = base();
    local.variables.insert("EC2_HOST".into(), "10.0.0.5".into());
    let mut incoming = base();
    incoming.set_start(T - 600);
    incoming.variables.insert("EC2_HOST".into(), "10.9.9.9".into());
    incoming.variables.insert("LIGHTSAIL_HOST".into(), "10.0.0.6".into());
    let report = merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local.started_at, T - 600);
    assert_eq!(local.variables["EC2_HOST"], "10.0.0.5", "this browser's own host value stays");
    assert_eq!(report.added_variables, ["LIGHTSAIL_HOST"]);
}

#[test]
fn a_preview_says_what_would_change_and_changes_nothing() {
    let local = base();
    let mut incoming = base();
    incoming.started_at = 0; // a link moving the start back to 1970
    incoming.toggle_step(StepId(9), T + 500);
    incoming.resolve(T + 900);
    let report = preview(&local, &incoming, NOW).expect("previews");
    assert_eq!(report.start_moved, Some((T, 0)));
    assert_eq!(report.added_checks, 1);
    assert!(report.resolution_changed);
    assert_eq!(local, base(), "nothing changed before the user says Merge");
}

#[test]
fn a_link_for_another_runbook_never_merges() {
    let mut local = base();
    let mut incoming = base();
    incoming.runbook = "database-failover".into();
    let refused = merge(&mut local, &incoming, NOW).unwrap_err();
    assert_eq!(
        refused,
        MergeRefusal::OtherRunbook { here: "incident-response".into(), link: "database-failover".into() }
    );
    assert_eq!(local, base());
}

#[test]
fn events_dated_in_the_future_are_refused() {
    let mut local = base();
    let mut incoming = base();
    incoming.set_severity("SEV1", NOW + 3600); // pinning severity with a future-dated event
    assert_eq!(merge(&mut local, &incoming, NOW).unwrap_err(), MergeRefusal::FromTheFuture { at: NOW + 3600 });
    assert_eq!(local, base());
    let mut skewed = base();
    skewed.set_severity("SEV1", NOW + 120);
    assert!(merge(&mut local, &skewed, NOW).is_ok(), "a clock two minutes ahead is fine");
}

#[test]
fn a_merge_keeps_the_incident_within_its_limits() {
    let mut local = base();
    let mut incoming = base();
    for i in 0..10_000 {
        incoming.record_copy("Update communication", T + i);
    }
    assert_eq!(incoming.events.len(), limits::EVENTS, "a copy never grows past the limit");
    incoming.events =
        (0..10_000).map(|i| runbook::incident::Event::new(T + i, runbook::incident::EventKind::Resolved)).collect();
    incoming.fields.insert("huge".into(), "x".repeat(70_000));
    incoming.field_times.insert("huge".into(), T + 10);
    merge(&mut local, &incoming, NOW).expect("merges");
    assert!(local.events.len() <= limits::EVENTS);
    assert_eq!(local.fields["huge"].chars().count(), limits::FIELD_CHARS);
}

#[test]
fn the_probes_outage_comes_from_a_link_when_this_copy_lacks_it_and_never_replaces_it() {
    let outage = |endpoint: &str, recovered| runbook::incident::ProbeOutage {
        endpoint: endpoint.into(),
        state: api::State::Down,
        onset: T - 60,
        declared: T,
        regions: vec!["weur".into()],
        cause: "HTTP 503".into(),
        recovered,
    };
    // This copy knew nothing of the probe: it follows it now, and the preview says so.
    let mut local = base();
    let mut incoming = base();
    incoming.probe = Some(outage("api", None));
    assert!(preview(&local, &incoming, NOW).unwrap().summary().contains("the probe's news of api"));
    merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local.probe, incoming.probe);
    // A recovery the link has heard of and this copy has not.
    incoming.probe = Some(outage("api", Some(T + 900)));
    merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local.probe.as_ref().unwrap().recovered, Some(T + 900));
    // Another endpoint's outage never replaces the one this incident follows.
    incoming.probe = Some(outage("www", None));
    let report = merge(&mut local, &incoming, NOW).expect("merges");
    assert_eq!(local.probe.as_ref().unwrap().endpoint, "api");
    assert_eq!(report.probe_from_link, None);
}
