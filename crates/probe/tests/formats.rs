//! Statuspage v2 JSON, badges and the Atom feed, from one scripted outage.

use api::DetectedIncident;
use api::Outcome;
use api::ProbeReport;
use probe::formats::{atom, badge, statuspage};
use probe::monitor::MonitorState;
use probe::parse_config;

const T0: i64 = 1_795_896_000; // 2026-11-28 20:00 UTC
const CONFIG: &str = "[site]\ntitle = \"Aragora\"\nprobe_api = \"https://probe.example.com\"\n[[endpoint]]\nname = \"api\"\nurl = \"http://api.example.com/\"\n[[endpoint]]\nname = \"www\"\nurl = \"http://www.example.com/\"\n[[maintenance]]\ntitle = \"DB <upgrade>\"\nstart = 2026-11-29T02:00:00Z\nend = 2026-11-29T03:00:00Z\n";

fn scripted() -> (probe::Config, api::StatusReport, Vec<DetectedIncident>) {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    let mut state = MonitorState::default();
    let mut incidents = Vec::new();
    for minute in 0..3 {
        let reports = ["weur", "enam", "apac"]
            .iter()
            .map(|r| {
                let list = vec![
                    ProbeReport { endpoint: "api".into(), outcome: Outcome::Timeout, latency_ms: 10_000 },
                    ProbeReport { endpoint: "www".into(), outcome: Outcome::Ok, latency_ms: 40 },
                ];
                (r.to_string(), list)
            })
            .collect::<Vec<_>>();
        incidents.extend(state.tick(&config, (T0 + 60 * minute) * 1000, &reports).unwrap().incidents);
    }
    let report = state.status(&config, T0 + 180);
    (config, report, incidents)
}

#[test]
fn statuspage_summary_maps_states_and_lists_unresolved_incidents_and_maintenance() {
    let (config, report, incidents) = scripted();
    let summary = statuspage::summary(&config, &report, &incidents);
    assert_eq!(summary["page"]["name"], "Aragora");
    assert_eq!(summary["page"]["updated_at"], "2026-11-28T20:03:00.000Z");
    let statuses: Vec<&str> =
        summary["components"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["major_outage", "operational"]);
    assert_eq!(summary["status"]["indicator"], "critical");
    assert_eq!(summary["status"]["description"], "Major System Outage");
    let incident = &summary["incidents"][0];
    assert_eq!((incident["status"].as_str(), incident["impact"].as_str()), (Some("investigating"), Some("critical")));
    assert_eq!(incident["incident_updates"][0]["body"], "api is down from weur, enam, apac: timed out.");
    let maintenance = &summary["scheduled_maintenances"][0];
    assert_eq!(
        (maintenance["status"].as_str(), maintenance["scheduled_for"].as_str()),
        (Some("scheduled"), Some("2026-11-29T02:00:00.000Z"))
    );
    assert_eq!(statuspage::status(&config, &report)["status"]["indicator"], "critical");
}

#[test]
fn badges_say_the_state_in_svg_and_shields_json() {
    use api::State;
    assert_eq!(
        badge::shields("api", badge::Shown::State(State::Regional)),
        serde_json::json!({ "schemaVersion": 1, "label": "api", "message": "regional outage", "color": "orange" })
    );
    assert_eq!(badge::shields("api", badge::Shown::Maintenance)["message"], "maintenance");
    let svg = badge::svg("a<b", badge::Shown::State(State::Up));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("<title>a&lt;b: up</title>"));
    assert!(svg.contains("fill=\"#4c1\""));
}

#[test]
fn a_flapping_endpoint_badge_says_flapping_in_the_colour_of_its_worst_state() {
    use api::State;
    let (_, report, _) = scripted();
    let mut endpoint = report.endpoints.iter().find(|e| e.maintenance.is_none()).expect("an endpoint").clone();
    (endpoint.state, endpoint.flapping) = (State::Down, true);
    let shown = badge::Shown::of_endpoint(&endpoint, false);
    assert_eq!(badge::shields("api", shown)["message"], "flapping");
    assert_eq!(badge::shields("api", shown)["color"], "red");
    assert_eq!(
        badge::shields("api", badge::Shown::of_endpoint(&endpoint, true))["message"],
        "stale",
        "a stopped probe claims nothing"
    );
}

#[test]
fn the_atom_feed_has_the_required_elements_and_escapes_text() {
    let (config, _, incidents) = scripted();
    let feed = atom::feed(&config, &[], &incidents, T0 + 180, "https://probe.example.com/feed.atom");
    assert!(
        feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    for element in [
        "<id>urn:outpost:feed:aragora</id>",
        "<title>Aragora incidents</title>",
        "<author><name>Aragora</name></author>",
    ] {
        assert!(feed.contains(element), "{element}");
    }
    assert!(feed.contains("<title>Maintenance: DB &lt;upgrade&gt;</title>"));
    assert!(feed.contains("<id>urn:outpost:incident:1</id>"));
    assert_eq!(feed.matches("<entry>").count(), 2);
}
