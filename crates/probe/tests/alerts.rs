//! Alerts: one message per declared change per target, in order, retried until delivered,
//! never twice, held back during maintenance, dropped (and said so) when too old.

use api::Outcome;
use api::ProbeReport;
use probe::alerts::{backoff, Outbox};
use probe::monitor::MonitorState;
use probe::parse_config;

const T0: i64 = 1_795_896_000; // 2026-11-28 20:00 UTC

const CONFIG: &str = r#"
[site]
url = "https://runbooks.example.com"
probe_api = "https://probe.example.com"

[probe]
fail_ticks = 2
recover_ticks = 2

[[endpoint]]
name = "api"
url = "http://api.example.com/health"
runbook = "incident-response#complete-service-outage-sev1"

[[endpoint]]
name = "www"
url = "http://www.example.com/"

[[alert]]
kind = "slack"
url = "secret:SLACK_WEBHOOK_URL"

[[alert]]
kind = "webhook"
url = "secret:ONCALL_HOOK"
endpoints = ["api"]

[[maintenance]]
title = "Front end move"
start = 2026-11-28T20:00:00Z
end = 2026-11-28T22:00:00Z
endpoints = ["www"]
"#;

fn reports(api: &str, www: &str) -> Vec<(String, Vec<ProbeReport>)> {
    let outcome = |c: char| if c == 'o' { Outcome::Ok } else { Outcome::HttpStatus { status: 502 } };
    ["weur", "enam", "apac"]
        .iter()
        .enumerate()
        .map(|(i, region)| {
            let list = vec![
                ProbeReport { endpoint: "api".into(), outcome: outcome(api.chars().nth(i).unwrap()), latency_ms: 50 },
                ProbeReport { endpoint: "www".into(), outcome: outcome(www.chars().nth(i).unwrap()), latency_ms: 50 },
            ];
            (region.to_string(), list)
        })
        .collect()
}

fn run(ticks: &[(&str, &str)]) -> MonitorState {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    let mut state = MonitorState::default();
    for (minute, (api, www)) in ticks.iter().enumerate() {
        state.tick(&config, T0 + 60 * minute as i64, &reports(api, www));
    }
    state
}

#[test]
fn one_message_per_transition_per_target_and_none_while_the_error_text_changes() {
    let state = run(&[
        ("ooo", "ooo"),
        ("xxx", "ooo"),
        ("xxx", "ooo"),
        ("xxx", "ooo"),
        ("xxx", "ooo"),
        ("ooo", "ooo"),
        ("ooo", "ooo"),
    ]);
    let bodies: Vec<(usize, &str)> = state.outbox.pending.iter().map(|p| (p.target, p.body.as_str())).collect();
    assert_eq!(bodies.len(), 4, "down and recovered, each to Slack and the webhook: {bodies:#?}");
    let slack: serde_json::Value = serde_json::from_str(bodies[0].1).unwrap();
    assert_eq!(slack["blocks"][0]["text"]["text"], "api is down");
    let details = slack["blocks"][1]["text"]["text"].as_str().unwrap();
    assert!(details.contains("State: down since 2026-11-28 20:01 UTC"), "{details}");
    assert!(details.contains("Failing in: weur, enam, apac"));
    assert!(details.contains("Cause: HTTP 502"));
    assert!(details.contains("Runbook: https://runbooks.example.com/r/incident-response/#complete-service-outage-sev1"));
    assert!(details.contains("Status: https://probe.example.com/"));
    let hook: serde_json::Value = serde_json::from_str(bodies[1].1).unwrap();
    assert_eq!(
        (hook["type"].as_str(), hook["from"].as_str(), hook["to"].as_str()),
        (Some("outpost.state_change"), Some("up"), Some("down"))
    );
    let recovered: serde_json::Value = serde_json::from_str(bodies[2].1).unwrap();
    assert_eq!(recovered["text"].as_str().unwrap().lines().next(), Some("api recovered (was down)"));
}

#[test]
fn maintenance_holds_alerts_back_but_not_the_state() {
    let state = run(&[("ooo", "xxx"), ("ooo", "xxx"), ("ooo", "xxx")]);
    assert!(state.outbox.pending.is_empty());
    assert_eq!(state.trackers["www"].state, api::State::Down);
}

#[test]
fn a_failing_target_gets_its_messages_later_once_each_in_order() {
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo"), ("ooo", "ooo"), ("ooo", "ooo")]);
    let slack = 0;
    let mut tick = state.tick_count;
    let mut delivered = Vec::new();
    let first = state.outbox.next_for(slack, tick).unwrap().id;
    // The sink is down for three tries.
    for attempt in 1..=3 {
        state.outbox.failed(first, tick, "HTTP 503");
        assert!(state.outbox.next_for(slack, tick).is_none(), "not before its backoff");
        tick += backoff(attempt);
    }
    // It is back: everything queued arrives, oldest first, and nothing twice.
    while let Some(pending) = state.outbox.next_for(slack, tick) {
        delivered.push(pending.body.clone());
        let id = pending.id;
        state.outbox.delivered(id);
    }
    assert_eq!(delivered.len(), 2);
    assert!(delivered[0].contains("api is down") && delivered[1].contains("api recovered"));
    assert!(state.outbox.next_for(slack, tick + 1000).is_none());
    assert_eq!(state.outbox.pending.len(), 2, "the webhook's two are still queued");
}

#[test]
fn retries_back_off_to_every_half_hour() {
    assert_eq!((1..=8).map(backoff).collect::<Vec<_>>(), [1, 1, 2, 4, 8, 16, 30, 30]);
}

#[test]
fn messages_older_than_their_target_allows_are_dropped() {
    let (config, _) = parse_config(CONFIG);
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo")]);
    assert_eq!(state.outbox.expire(&config, T0 + 3600).len(), 0);
    let dropped = state.outbox.expire(&config, T0 + 2 * 86_400);
    assert_eq!(dropped.len(), 2);
    assert!(state.outbox.pending.is_empty());
    let _ = Outbox::default();
}

#[test]
fn alert_config_mistakes_are_reported() {
    let errors = |text: &str| parse_config(text).1.into_iter().map(|e| e.to_string()).collect::<Vec<_>>();
    assert_eq!(
        errors("[[alert]]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/services/T/B/X\"\n"),
        ["outpost.toml:3: a webhook URL is a secret: store it with `wrangler secret put SLACK_WEBHOOK_URL` and write url = \"secret:SLACK_WEBHOOK_URL\""]
    );
    assert_eq!(
        errors("[[alert]]\nkind = \"pager\"\nurl = \"secret:X\"\n"),
        ["outpost.toml:2: unknown alert kind \"pager\": use \"slack\", \"discord\" or \"webhook\""]
    );
    assert_eq!(
        errors("[[maintenance]]\ntitle = \"x\"\nstart = 2026-12-01T02:00:00\nend = 2026-12-01T03:00:00Z\n"),
        ["outpost.toml:3: 2026-12-01T02:00:00 has no time zone: add Z for UTC, such as 2026-12-01T02:00:00Z"]
    );
    assert_eq!(
        errors("[[maintenance]]\ntitle = \"x\"\nstart = 2026-12-01T03:00:00Z\nend = 2026-12-01T02:00:00Z\n"),
        ["outpost.toml:4: a maintenance window must end after it starts"]
    );
}
