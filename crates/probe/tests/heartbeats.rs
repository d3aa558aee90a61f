//! Heartbeats through simulated time: a job that reports in is up while its beats come, and a
//! missed beat is "down" through the same detector, history and alerts as a probed endpoint;
//! before its first beat it is unknown, never "up". And the config that declares them.

use api::{Outcome, ProbeReport, State};
use config::Config;
use probe::alerts::SendResult;
use probe::heartbeat::{outcome, BeatTaken};
use probe::monitor::MonitorState;
use probe::parse_config;

const T0: i64 = 1_796_392_800; // 2026-12-04 14:00 UTC

const CONFIG: &str = r#"
[probe]
confirm_seconds = 0
recover_seconds = 0

[[endpoint]]
name = "api"
url = "https://api.example.com/health"

[[heartbeat]]
name = "backup"
period_seconds = 300
grace_seconds = 60
token = "secret:BACKUP_BEAT_TOKEN"
runbook = "incident-response#database-unavailable-sev1"

[[alert]]
kind = "webhook"
url = "secret:HOOK"
"#;

fn config() -> Config {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    config
}

/// One round a minute from every region (the api healthy); the job beats at the minutes
/// `beats(minute)` says. Returns each minute's state of `backup` and the alerts delivered.
fn simulate(
    config: &Config,
    minutes: i64,
    beats: impl Fn(i64) -> bool,
) -> (Vec<String>, Vec<(i64, String)>, MonitorState) {
    let mut state = MonitorState::default();
    let mut states = Vec::new();
    let mut told = Vec::new();
    for minute in 0..minutes {
        let at = T0 + 60 * minute;
        if beats(minute) {
            state.beats.beat(config, "backup", at * 1000 - 5_000);
        }
        let reports: Vec<(String, Vec<ProbeReport>)> = ["weur", "enam", "apac"]
            .iter()
            .map(|r| {
                (r.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome: Outcome::Ok, latency_ms: 40 }])
            })
            .collect();
        state.tick(config, at * 1000, &reports).expect("in time order");
        let status = state.status(config, at);
        states
            .push(status.endpoints.iter().find(|e| e.name == "backup").expect("the heartbeat is shown").shown_state());
        let target = &config.alerts[0];
        while let Some(batch) = state.outbox.batch_for(config, target, at) {
            state.outbox.settle(config, &batch, &SendResult::Delivered, at);
            told.extend(batch.alerts.iter().map(|a| (minute, a.headline())));
        }
    }
    (states, told, state)
}

#[test]
fn a_missed_beat_is_down_and_alerts_like_an_endpoint_and_the_next_beat_recovers_it() {
    let config = config();
    // Every five minutes for the first hour, nothing for half an hour, then every five again.
    let beats = |minute: i64| minute % 5 == 0 && !(60..90).contains(&minute);
    let (states, told, state) = simulate(&config, 120, beats);
    // The last beat before the gap is at minute 55 (less 5 s): missed once 6 minutes pass.
    assert!(states[..61].iter().all(|s| s == "up"), "up while the beats come: {:?}", &states[..61]);
    let first_down = states.iter().position(|s| s == "down").expect("declared down");
    assert_eq!(first_down, 62, "down one period and its grace after the last beat");
    assert!(states[62..90].iter().all(|s| s == "down"));
    assert!(states[90..].iter().all(|s| s == "up"), "the next beat recovers it");
    // Alerts: the same messages a probed endpoint gets, with the reason.
    let about_backup: Vec<&(i64, String)> = told.iter().filter(|(_, h)| h.contains("backup")).collect();
    assert_eq!(about_backup.len(), 2, "{told:?}");
    assert_eq!(about_backup[0].0, 62);
    assert!(about_backup[0].1.contains("down"), "{:?}", about_backup[0]);
    assert_eq!(about_backup[1].0, 90);
    assert!(about_backup[1].1.contains("up") || about_backup[1].1.contains("recovered"), "{:?}", about_backup[1]);
    // History and incidents, as for any endpoint.
    let incidents: Vec<_> = state.open_incidents.values().filter(|i| i.endpoint == "backup").collect();
    assert!(incidents.is_empty(), "the outage ended");
    let status = state.status(&config, T0 + 120 * 60);
    let backup = status.endpoints.iter().find(|e| e.name == "backup").unwrap();
    let uptime = backup.uptime_24h.expect("history kept");
    assert!((70.0..80.0).contains(&uptime), "about 28 of 120 minutes down: {uptime}");
    assert_eq!(backup.runbook.as_deref(), Some("incident-response#database-unavailable-sev1"));
}

#[test]
fn before_its_first_beat_a_heartbeat_is_unknown_then_down_once_its_period_passes() {
    let config = config();
    let (states, told, _) = simulate(&config, 10, |_| false);
    assert!(states[..7].iter().all(|s| s == State::Unknown.label()), "{states:?}");
    // One failing result is not yet believed (for a probe, its recheck confirms it); the
    // next report does.
    assert_ne!(states[7], "down", "{states:?}");
    assert_eq!(states[8..], ["down", "down"], "{states:?}");
    assert!(told.iter().any(|(minute, h)| *minute == 8 && h.contains("backup")), "{told:?}");
}

#[test]
fn the_failure_says_what_was_expected() {
    let at = T0 * 1000;
    assert_eq!(outcome(300, 60, Some(at - 360_000), 0, at), Outcome::Ok);
    let missed = outcome(300, 60, Some(at - 361_000), 0, at);
    assert_eq!(missed, Outcome::Error { message: "no beat in time (expected every 5 min, 1 min grace)".into() });
    let never = outcome(86_400, 3_600, None, at - 90_001_000, at);
    assert_eq!(never, Outcome::Error { message: "no beat yet (expected every 1 d, 1 h grace)".into() });
    assert_eq!(outcome(90, 0, None, at, at), Outcome::Unknown { reason: "waiting for the first beat".into() });
}

#[test]
fn beats_are_saved_at_most_once_a_minute_and_never_go_back_in_time() {
    let config = config();
    let mut state = MonitorState::default();
    assert_eq!(state.beats.beat(&config, "backup", T0 * 1000), BeatTaken::Save);
    assert_eq!(state.beats.beat(&config, "backup", T0 * 1000 + 10_000), BeatTaken::Held);
    assert_eq!(state.beats.beat(&config, "backup", T0 * 1000 + 70_000), BeatTaken::Save);
    // A beat dated earlier (a clock that went back) keeps the latest.
    state.beats.beat(&config, "backup", T0 * 1000 - 3_600_000);
    assert_eq!(state.beats.last_ms["backup"], T0 * 1000 + 70_000);
    // Only heartbeats beat: an endpoint's name or an unknown one is refused.
    assert_eq!(state.beats.beat(&config, "api", T0 * 1000), BeatTaken::Unknown);
    assert_eq!(state.beats.beat(&config, "../..", T0 * 1000), BeatTaken::Unknown);
    // A heartbeat removed from the config is forgotten.
    let (without, errors) = parse_config("[[endpoint]]\nname = \"api\"\nurl = \"https://api.example.com/\"\n");
    assert_eq!(errors, []);
    state.beats.watch(&without, T0 * 1000);
    assert!(state.beats.last_ms.is_empty() && state.beats.watched_since_ms.is_empty());
}

#[test]
fn the_regions_never_probe_a_heartbeat_and_it_costs_no_probe_budget() {
    let config = config();
    let backup = config.endpoints.iter().find(|e| e.name == "backup").unwrap();
    assert!(!backup.is_probed());
    assert_eq!(backup.heartbeat(), Some((300, 60, "BACKUP_BEAT_TOKEN")));
    // As many endpoints as a region's round can probe, and the most heartbeats: the
    // heartbeats take none of the round's requests.
    let allowed = config::limits::FREE_SUBREQUESTS_PER_INVOCATION - config::limits::SUBREQUEST_HEADROOM;
    let mut text: String =
        (0..allowed).map(|n| format!("[[endpoint]]\nname = \"e{n}\"\nurl = \"https://e{n}.example.com/\"\n")).collect();
    text.extend(
        (0..config::heartbeat::MAX_HEARTBEATS)
            .map(|n| format!("[[heartbeat]]\nname = \"h{n}\"\nperiod_seconds = 3600\ntoken = \"secret:T\"\n")),
    );
    let (full, errors) = parse_config(&text);
    assert_eq!(errors, [], "the round's budget counts probed endpoints only");
    assert_eq!(full.endpoints.len(), allowed + config::heartbeat::MAX_HEARTBEATS);
    let one_more = format!("{text}[[endpoint]]\nname = \"extra\"\nurl = \"https://extra.example.com/\"\n");
    assert!(parse_config(&one_more).1.iter().any(|e| e.message.contains("requests per region per round")));
}

#[test]
fn regions_reporting_in_turns_declare_a_missed_beat_down_at_once_never_regional_first() {
    // As deployed: each region reports on its own alarm, a third of an interval apart.
    let config = config();
    let mut state = MonitorState::default();
    let mut told = Vec::new();
    let regions = ["weur", "enam", "apac"];
    let mut shown = Vec::new();
    for step in 0..90 {
        let at = T0 + 20 * (step / 3) + 7 * (step % 3);
        if step < 30 && step % 15 == 0 {
            state.beats.beat(&config, "backup", at * 1000);
        }
        let region = regions[step as usize % 3];
        let list = vec![ProbeReport { endpoint: "api".into(), outcome: Outcome::Ok, latency_ms: 40 }];
        state.report(&config, region, at * 1000, &list).expect("in time order");
        shown.push(state.status(&config, at).endpoints.iter().find(|e| e.name == "backup").unwrap().shown_state());
        while let Some(batch) = state.outbox.batch_for(&config, &config.alerts[0], at) {
            state.outbox.settle(&config, &batch, &SendResult::Delivered, at);
            told.extend(batch.alerts.iter().map(|a| a.headline()));
        }
    }
    assert!(shown.iter().any(|s| s == "down"), "{shown:?}");
    assert!(!shown.iter().any(|s| s.contains("regional")), "{shown:?}");
    let about: Vec<&String> = told.iter().filter(|h| h.contains("backup")).collect();
    assert_eq!(about.len(), 1, "one message, and it says down: {told:?}");
    assert!(about[0].contains("down"), "{about:?}");
}

fn errors_of(heartbeat: &str) -> Vec<String> {
    let text = format!("[[endpoint]]\nname = \"api\"\nurl = \"https://api.example.com/\"\n{heartbeat}");
    parse_config(&text).1.into_iter().map(|e| e.message).collect()
}

#[test]
fn a_heartbeat_with_a_mistake_is_refused_with_its_reason() {
    let table = |body: &str| format!("[[heartbeat]]\n{body}\n");
    let cases = [
        (
            "name = \"b\"\nperiod_seconds = 59\ntoken = \"secret:T\"",
            "period_seconds = 59 is out of range: 60 to 604800",
        ),
        ("name = \"b\"\nperiod_seconds = 604801\ntoken = \"secret:T\"", "out of range"),
        (
            "name = \"b\"\nperiod_seconds = 60\ngrace_seconds = 86401\ntoken = \"secret:T\"",
            "grace_seconds is at most 86400",
        ),
        ("name = \"b\"\nperiod_seconds = 60\ntoken = \"hunter2\"", "token must name a Worker secret"),
        ("name = \"b\"\nperiod_seconds = 60\ntoken = \"secret:PROBE_TOKEN\"", "PROBE_TOKEN opens other routes"),
        ("name = \"b\"\nperiod_seconds = 60\ntoken = \"secret:UPDATES_TOKEN\"", "UPDATES_TOKEN opens other routes"),
        ("name = \"api\"\nperiod_seconds = 60\ntoken = \"secret:T\"", "two endpoints are named \"api\""),
        ("name = \"../..\"\nperiod_seconds = 60\ntoken = \"secret:T\"", "must be 1 to 64 letters"),
        ("name = \"b\"\nperiod_seconds = 60\ntoken = \"secret:T\"\nurl = \"https://x\"", "unknown field `url`"),
    ];
    for (body, expected) in cases {
        let errors = errors_of(&table(body));
        assert!(errors.iter().any(|e| e.contains(expected)), "{body}: {errors:?}");
    }
    assert_eq!(errors_of(&table("name = \"b\"\nperiod_seconds = 60\ntoken = \"secret:T\"")), Vec::<String>::new());
    let many: String = (0..=config::heartbeat::MAX_HEARTBEATS)
        .map(|n| table(&format!("name = \"b{n}\"\nperiod_seconds = 60\ntoken = \"secret:T\"")))
        .collect();
    let errors = errors_of(&many);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("at most 50 heartbeats"));
}
