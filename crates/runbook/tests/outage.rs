//! An incident started from the probe's outage link, on the team's runbook.

use api::outage::{OutageLink, OutageState};
use runbook::outage::{incident_from_outage, is_from, suggested_severity, timeline};
use runbook::Runbook;

fn team_runbook() -> Runbook {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/runbooks/incident-response.md"))
            .unwrap();
    Runbook::from_document(document::parse("incident-response.md", &text))
}

fn outage(state: OutageState) -> OutageLink {
    OutageLink {
        endpoint: "api".into(),
        state,
        onset: 1_795_896_660,
        declared: 1_795_896_680,
        regions: vec!["weur".into(), "enam".into(), "apac".into()],
        cause: "HTTP 503".into(),
    }
}

#[test]
fn the_team_runbook_suggests_sev1_for_down_then_each_next_level() {
    let runbook = team_runbook();
    let severities = &runbook.severities;
    assert_eq!(suggested_severity(severities, OutageState::Down), Some("SEV1"), "service down, all users affected");
    assert_eq!(suggested_severity(severities, OutageState::Regional), Some("SEV2"));
    assert_eq!(suggested_severity(severities, OutageState::Degraded), Some("SEV3"));
    assert_eq!(suggested_severity(&Default::default(), OutageState::Down), None, "no table, no suggestion");
}

#[test]
fn an_incident_from_an_outage_starts_at_its_onset_with_the_probe_in_its_timeline() {
    let runbook = team_runbook();
    let incident = incident_from_outage(&runbook, "k3x9q2", &outage(OutageState::Down));
    assert_eq!(incident.started_at, 1_795_896_660, "the outage's onset, not the click");
    assert_eq!(incident.severity.as_deref(), Some("SEV1"));
    assert_eq!(incident.events[0].at, 1_795_896_680, "set when the probe declared it");
    assert!(is_from(&incident, &outage(OutageState::Down)));
    let mut other = outage(OutageState::Down);
    other.onset += 600;
    assert!(!is_from(&incident, &other), "a later outage of the same endpoint is another incident");
    let lines = timeline(incident.probe.as_ref().unwrap());
    assert_eq!(lines[0], (1_795_896_660, "api down from weur, enam, apac: HTTP 503 (probe)".to_string()));
    assert_eq!(lines[1], (1_795_896_680, "The probe declared api down".to_string()));
}

#[test]
fn recovery_is_kept_once_and_never_before_the_onset() {
    let runbook = team_runbook();
    let mut incident = incident_from_outage(&runbook, "k3x9q2", &outage(OutageState::Regional));
    assert!(!incident.probe_recovered(1_795_896_000), "before the outage began");
    assert!(incident.probe_recovered(1_795_897_000));
    assert!(!incident.probe_recovered(1_795_898_000), "kept once");
    assert_eq!(incident.probe.as_ref().unwrap().recovered, Some(1_795_897_000));
    assert_eq!(timeline(incident.probe.as_ref().unwrap()).last().unwrap().1, "api recovered (probe)");
    assert!(incident.probe_worsened(api::State::Down, &["weur".to_string(), "seas".to_string()]));
    assert_eq!(incident.probe.as_ref().unwrap().state, api::State::Down);
    assert!(!incident.probe_worsened(api::State::Regional, &[]), "a milder state changes nothing");
}

#[test]
fn the_probe_followed_is_noted_when_it_recovers_or_worsens_and_not_otherwise() {
    use runbook::outage::{follow, Follow};
    let probe = runbook::incident::ProbeOutage {
        endpoint: "api".into(),
        state: api::State::Regional,
        onset: 1_000,
        declared: 1_020,
        regions: vec!["apac".into()],
        cause: "HTTP 503".into(),
        recovered: None,
    };
    let status = |state: api::State, since: i64, failing: &[&str]| -> api::EndpointStatus {
        let regions: Vec<serde_json::Value> = failing
            .iter()
            .map(|r| serde_json::json!({ "region": r, "outcome": { "kind": "http_status", "status": 503 }, "latency_ms": 5, "at": since }))
            .collect();
        serde_json::from_value(serde_json::json!({
            "name": "api", "state": state, "since": since, "runbook": null, "regions": regions, "uptime_24h": null
        }))
        .unwrap()
    };
    assert_eq!(follow(&probe, &status(api::State::Up, 1_200, &[])), Some(Follow::Recovered { at: 1_200 }));
    assert_eq!(follow(&probe, &status(api::State::Up, 900, &[])), None, "up since before the outage: not its recovery");
    assert_eq!(
        follow(&probe, &status(api::State::Down, 1_100, &["apac", "weur"])),
        Some(Follow::Worsened { state: api::State::Down, regions: vec!["apac".into(), "weur".into()] })
    );
    assert_eq!(follow(&probe, &status(api::State::Regional, 1_100, &["apac"])), None, "as the incident holds it");
    let noted = runbook::incident::ProbeOutage { recovered: Some(1_200), ..probe };
    assert_eq!(follow(&noted, &status(api::State::Up, 1_200, &[])), None, "noted once");
}
