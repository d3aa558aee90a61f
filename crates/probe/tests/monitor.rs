//! The monitor over scripted ticks: incidents open and close with the declared state,
//! rollups close with their hour and day, and the status page shows it all as text.

use api::Outcome;
use api::ProbeReport;
use api::State;
use probe::monitor::MonitorState;
use probe::page::render;
use probe::parse_config;
use probe::rollup::{Rollup, DAY, HOUR};

/// Rounds every minute, as the scripts below run them.
const CONFIG: &str = "[site]\ntitle = \"Aragora <status>\"\n[probe]\ninterval_seconds = 60\n[[endpoint]]\nname = \"api\"\nurl = \"http://api.example.com/health\"\nrunbook = \"incident-response#complete-service-outage-sev1\"\n";
const T0: i64 = 1_795_896_000; // 2026-11-28 20:00 UTC

fn reports(pattern: &str) -> Vec<(String, Vec<ProbeReport>)> {
    ["weur", "enam", "apac"]
        .iter()
        .zip(pattern.chars())
        .filter(|(_, c)| *c != '-')
        .map(|(region, c)| {
            let outcome = if c == 'o' { Outcome::Ok } else { Outcome::HttpStatus { status: 502 } };
            (region.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome, latency_ms: 120 }])
        })
        .collect()
}

#[test]
fn an_outage_becomes_one_incident_from_first_failure_to_first_recovery() {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    let mut state = MonitorState::default();
    let script = ["ooo", "oxo", "oxo", "xxx", "xxx", "ooo", "ooo", "ooo", "ooo"];
    let mut incidents = Vec::new();
    let mut transitions = Vec::new();
    for (minute, pattern) in script.iter().enumerate() {
        let output = state.tick(&config, (T0 + 60 * minute as i64) * 1000, &reports(pattern)).unwrap();
        incidents.extend(output.incidents);
        transitions.extend(output.transitions.into_iter().map(|(_, t)| (t.from.state, t.to.state)));
    }
    assert_eq!(transitions, [(State::Up, State::Regional), (State::Regional, State::Down), (State::Down, State::Up)]);
    let last = incidents.last().expect("an incident");
    assert_eq!(
        incidents.iter().map(|i| i.id).collect::<Vec<_>>(),
        [1, 1, 1, 1],
        "opened, widened, worsened, closed: one incident"
    );
    assert_eq!((last.started_at, last.ended_at), (T0 + 60, Some(T0 + 5 * 60)));
    assert_eq!(last.worst, State::Down);
    assert_eq!(last.regions, ["enam", "weur", "apac"]);
    assert_eq!(last.cause, "HTTP 502");
    assert!(state.open_incidents.is_empty());
}

#[test]
fn an_outage_still_open_when_the_state_was_lost_closes_on_recovery_under_its_own_id() {
    let (config, _) = parse_config(CONFIG);
    let open = api::DetectedIncident {
        id: 7,
        endpoint: "api".into(),
        started_at: T0,
        ended_at: None,
        worst: State::Down,
        regions: vec!["weur".into(), "enam".into()],
        cause: "HTTP 502".into(),
    };
    let closed = api::DetectedIncident { id: 6, ended_at: Some(T0 - 60), ..open.clone() };
    let mut state = MonitorState::default();
    state.resume_open_incidents([open, closed]);
    assert_eq!(state.status(&config, T0 + 1).endpoints[0].state, State::Down, "still in its outage");
    let mut incidents = Vec::new();
    let mut alerts = Vec::new();
    for minute in 1..=3 {
        let output = state.tick(&config, (T0 + 60 * minute) * 1000, &reports("ooo")).unwrap();
        incidents.extend(output.incidents);
        alerts.extend(output.transitions.into_iter().map(|(_, t)| (t.to.state, t.alert)));
    }
    assert_eq!(alerts, [(State::Up, true)], "the recovery is announced");
    assert_eq!(incidents.iter().map(|i| (i.id, i.ended_at.is_some())).collect::<Vec<_>>(), [(7, true)]);
    assert!(state.open_incidents.is_empty());
    let output = state.tick(&config, (T0 + 240) * 1000, &reports("xxx")).unwrap();
    let output = [output, state.tick(&config, (T0 + 300) * 1000, &reports("xxx")).unwrap()];
    let next: Vec<i64> = output.iter().flat_map(|o| o.incidents.iter().map(|i| i.id)).collect();
    assert_eq!(next, [8], "a new outage takes the next id, never one in use");
}

#[test]
fn hours_and_days_are_rolled_up_when_they_end_and_uptime_counts_the_time_of_every_failed_probe() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    let mut finished = Vec::new();
    for minute in 0..(25 * 60) {
        let pattern = if minute == 30 { "xxx" } else { "ooo" };
        finished.extend(state.tick(&config, (T0 + 60 * minute) * 1000, &reports(pattern)).unwrap().finished);
    }
    let hours: Vec<_> = finished.iter().filter(|c| c.period == HOUR).collect();
    let days: Vec<_> = finished.iter().filter(|c| c.period == DAY).collect();
    assert_eq!(hours.len(), 24, "the 25th hour is still open");
    // The failing minute was never declared (a blip), but it was down time for the three
    // regions that saw it, until their next probe a minute later: its hour is 98.33 % up. The
    // last 24 hours hold that hour's last minute, 23 whole hours and 59 minutes of the open one.
    let now = T0 + 1_499 * 60;
    let uptime = state.uptime_24h("api", now).unwrap();
    let expected = (100.0 * (1.0 - 3.0 / 180.0) * 60.0 + 100.0 * (23.0 * 3_600.0 + 3_540.0)) / 86_400.0;
    assert_eq!(format!("{uptime:.6}"), format!("{expected:.6}"));
    assert_eq!((hours[0].start, hours[0].rollup.ticks), (T0, 60));
    assert_eq!((hours[0].rollup.up_ms, hours[0].rollup.down_ms), (3 * 59 * 60_000, 3 * 60_000));
    assert_eq!(days.len(), 1);
    assert_eq!((days[0].start, days[0].rollup.ticks), (T0 - 20 * HOUR, 4 * 60), "the first day began at midnight");
}

#[test]
fn the_status_page_shows_states_and_never_markup_from_config_or_probes() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    for minute in 0..3 {
        let mut list = reports("xxx");
        list[0].1[0].outcome = Outcome::Error { message: "<script>alert(1)</script>".into() };
        state.tick(&config, (T0 + 60 * minute) * 1000, &list).unwrap();
    }
    let report = state.status(&config, T0 + 200);
    let incidents: Vec<_> = state.open_incidents.values().cloned().collect();
    let html = render(&report, &incidents, None, Some("https://runbooks.example.com"));
    assert!(html.contains("<p class=\"headline down\">Major outage</p>"), "{html}");
    assert!(html.contains("<span class=\"state\">down</span>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("Aragora &lt;status&gt;"));
    assert!(html.contains("<meta http-equiv=\"refresh\" content=\"30\">"));
    // The endpoint in trouble links to its runbook section with the outage in the link; the
    // server's words travel percent-encoded, never as markup.
    let outage = format!("outage=1~api~down~{T0}~{}~weur.enam.apac~%3Cscript%3Ealert%281%29%3C%2Fscript%3E", T0 + 60);
    assert!(
        html.contains(&format!(
            "href=\"https://runbooks.example.com/r/incident-response/?{outage}#complete-service-outage-sev1\""
        )),
        "{html}"
    );
    assert!(html.contains("0.00% up in 24 h"), "every probe failed, declared or not");
}

#[test]
fn the_status_page_draws_each_day_and_each_regions_latency_from_the_rollups() {
    use std::collections::BTreeMap;
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    let (mut hourly, mut daily) = (BTreeMap::new(), BTreeMap::new());
    // 26 hours: a five-minute outage in the first hour, apac silent in the last three.
    for minute in 0..(26 * 60) {
        let mut pattern = if (10..15).contains(&minute) { "xxx" } else { "ooo" }.to_string();
        if minute >= 23 * 60 {
            pattern.replace_range(2..3, "-");
        }
        for closed in state.tick(&config, (T0 + 60 * minute) * 1000, &reports(&pattern)).unwrap().finished {
            assert_eq!(closed.endpoint, "api");
            let periods = if closed.period == HOUR { &mut hourly } else { &mut daily };
            periods.entry(closed.start).or_insert_with(Rollup::default).merge(&closed.rollup);
        }
    }
    let now = T0 + 26 * 60 * 60 - 30;
    hourly.extend(state.history.hours.of("api"));
    daily.extend(state.history.days.of("api"));
    let regions = ["weur".to_string(), "enam".to_string(), "apac".to_string()];
    let pictures = api::Pictures {
        generated_at: now,
        uptime_basis: String::new(),
        endpoints: vec![probe::pictures::endpoint_pictures("api", &regions, &hourly, &daily, now)],
    };
    let html = render(&state.status(&config, now), &[], Some(&pictures), None);
    assert_eq!(html.matches("<li class=\"cell ").count(), 90, "a cell a day");
    assert_eq!(html.matches("<li class=\"cell none\"").count(), 88, "days before the first check have no data");
    assert!(html.contains("<span class=\"tip\">2026-11-28: 97.91% up, down at times</span>"), "{html}");
    assert!(html.contains("<span class=\"tip\">2026-11-29: 100% up</span>"));
    assert_eq!(html.matches("tabindex=\"0\"").count(), 1, "only the day with trouble is in the tab order");
    assert_eq!(html.matches("<svg class=\"spark\"").count(), 2, "a line for each region that answered last");
    assert!(html.contains("aria-label=\"weur median latency over 24 hours: 150 to 150 ms\""));
    assert!(!html.contains("<script"));
}
