//! A weekly maintenance window through five weeks of simulated time, across the night
//! Berlin's clocks go back: trouble inside the window sends nothing, an outage that outlasts
//! it alerts when it ends, and the status JSON shows the next occurrence.

use api::{Outcome, ProbeReport};
use calendar::unix_seconds;
use probe::alerts::SendResult;
use probe::monitor::MonitorState;
use probe::parse_config;

const CONFIG: &str = r#"
[probe]
confirm_seconds = 0
recover_seconds = 0

[[endpoint]]
name = "api"
url = "https://api.example.com/health"

[[alert]]
kind = "webhook"
url = "secret:HOOK"

[[maintenance]]
title = "Weekly patching"
every = "sunday"
from = "02:00"
until = "03:00"
time_zone = "Europe/Berlin"
"#;

/// Failing spans in UTC: (start, end).
fn failing() -> Vec<(i64, i64)> {
    let utc = |month, day, hour, minute| unix_seconds(2026, month, day, hour, minute, 0);
    vec![
        // Summer time: the window is 00:00–01:00 UTC.
        (utc(10, 4, 0, 10), utc(10, 4, 0, 40)),
        (utc(10, 11, 0, 10), utc(10, 11, 0, 40)),
        (utc(10, 18, 0, 5), utc(10, 18, 0, 55)),
        // The night clocks go back: 02:00–03:00 is shown twice, 00:00–02:00 UTC.
        (utc(10, 25, 1, 10), utc(10, 25, 1, 50)),
        // Winter time: the window is 01:00–02:00 UTC; this outage outlasts it.
        (utc(11, 1, 1, 30), utc(11, 1, 2, 30)),
    ]
}

#[test]
fn five_weeks_of_a_weekly_window_hold_what_happens_inside_it_and_release_what_outlasts_it() {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    let spans = failing();
    let mut state = MonitorState::default();
    let mut sent: Vec<(i64, String)> = Vec::new();
    let (start, end) = (unix_seconds(2026, 10, 1, 0, 0, 0), unix_seconds(2026, 11, 5, 0, 0, 0));
    for at in (start..end).step_by(300) {
        let down = spans.iter().any(|(from, until)| (*from..*until).contains(&at));
        let outcome = if down { Outcome::HttpStatus { status: 503 } } else { Outcome::Ok };
        let reports: Vec<(String, Vec<ProbeReport>)> = ["weur", "enam", "apac"]
            .iter()
            .map(|r| {
                (r.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome: outcome.clone(), latency_ms: 40 }])
            })
            .collect();
        state.tick(&config, at * 1000, &reports).expect("in time order");
        while let Some(batch) = state.outbox.batch_for(&config, &config.alerts[0], at) {
            state.outbox.settle(&config, &batch, &SendResult::Delivered, at);
            sent.extend(batch.alerts.iter().map(|a| (at, a.headline())));
        }
    }
    let utc = |hour, minute| unix_seconds(2026, 11, 1, hour, minute, 0);
    assert_eq!(
        sent,
        [(utc(2, 0), "api is down".to_string()), (utc(2, 30), "api recovered (was down)".to_string())],
        "only the outage that outlasted the window, when the window ended"
    );
}

#[test]
fn the_status_json_and_feed_show_the_occurrence_under_way_or_next() {
    let (config, _) = parse_config(CONFIG);
    // Thursday 2026-12-03: the next is Sunday 2026-12-06 02:00 CET, 01:00 UTC.
    let now = unix_seconds(2026, 12, 3, 12, 0, 0);
    let windows = config.maintenance_windows(now);
    assert_eq!(windows.len(), 1);
    assert_eq!(
        (windows[0].start, windows[0].end),
        (unix_seconds(2026, 12, 6, 1, 0, 0), unix_seconds(2026, 12, 6, 2, 0, 0))
    );
    let feed = probe::formats::atom::feed(&config, &[], &[], now, "https://probe.example.com/feed.atom");
    assert!(feed.contains("Maintenance: Weekly patching"), "{feed}");
    assert!(feed.contains("2026-12-06T01:00:00Z"), "{feed}");
}
