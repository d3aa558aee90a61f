//! Alerts: one message per declared change per target, in order, batched per target,
//! retried until delivered or refused for good, escaped for each platform, held during
//! maintenance and sent when a window ends on an outage that outlasts it.

use api::{Outcome, ProbeReport};
use config::Config;
use probe::alerts::{backoff_seconds, Batch, SendResult};
use probe::monitor::MonitorState;
use probe::parse_config;
use serde_json::Value;

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

fn config() -> Config {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    config
}

/// Region outcomes for one tick: `o` healthy, `x` HTTP 502, per region, for api and www.
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

/// One tick a minute from `start`.
fn run_from(config: &Config, state: &mut MonitorState, start: i64, ticks: &[(&str, &str)]) {
    for (minute, (api, www)) in ticks.iter().enumerate() {
        state.tick(config, (start + 60 * minute as i64) * 1000, &reports(api, www)).expect("ticks in time order");
    }
}

fn run(ticks: &[(&str, &str)]) -> MonitorState {
    let mut state = MonitorState::default();
    run_from(&config(), &mut state, T0, ticks);
    state
}

/// Sends everything due to `target` at `now` and answers `result`; the bodies it sent.
fn send(state: &mut MonitorState, config: &Config, target: usize, now: i64, result: &SendResult) -> Vec<Batch> {
    let mut sent = Vec::new();
    while let Some(batch) = state.outbox.batch_for(config, &config.alerts[target], now) {
        state.outbox.settle(config, &batch, result, now);
        let stop = *result != SendResult::Delivered;
        sent.push(batch);
        if stop {
            break;
        }
    }
    sent
}

/// The body `batch` goes out with, to its target in `config`.
fn body(config: &Config, batch: &Batch) -> String {
    let target = config.alerts.iter().find(|t| t.id == batch.target).expect("the batch's target is configured");
    batch.request(target, None).body
}

fn json(config: &Config, batch: &Batch) -> Value {
    serde_json::from_str(&body(config, batch)).unwrap()
}

#[test]
fn one_message_per_transition_per_target_and_none_while_the_error_text_changes() {
    let config = config();
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo"), ("xxx", "ooo"), ("xxx", "ooo")]);
    assert_eq!(state.outbox.pending.len(), 2, "the outage, once to Slack and once to the webhook");
    let slack = send(&mut state, &config, 0, T0 + 300, &SendResult::Delivered);
    assert_eq!(slack.len(), 1);
    let message = json(&config, &slack[0]);
    assert_eq!(message["blocks"][0]["text"]["text"], "api is down");
    let details = message["blocks"][1]["text"]["text"].as_str().unwrap();
    assert!(details.contains("State: down since 2026-11-28 20:01 UTC"), "{details}");
    assert!(details.contains("Failing in: weur, enam, apac"));
    assert!(details.contains("Cause: HTTP 502"));
    // The runbook link carries the outage, so the site can start the incident from it:
    // first failing tick, declared on the second.
    let outage = format!("outage=1~api~down~{}~{}~weur.enam.apac~HTTP%20502", T0 + 60, T0 + 120);
    assert!(
        details.contains(&format!(
            "Runbook: https://runbooks.example.com/r/incident-response/?{outage}#complete-service-outage-sev1"
        )),
        "{details}"
    );
    assert!(details.contains("Status: https://probe.example.com/"));
    let hook = json(&config, &send(&mut state, &config, 1, T0 + 300, &SendResult::Delivered)[0]);
    assert_eq!(hook["type"], "outpost.state_changes");
    assert_eq!((hook["changes"][0]["from"].as_str(), hook["changes"][0]["to"].as_str()), (Some("up"), Some("down")));
    assert_eq!(hook["ids"][0], hook["changes"][0]["id"], "the id lets a receiver drop a repeat");
    run_from(&config, &mut state, T0 + 300, &[("ooo", "ooo"), ("ooo", "ooo")]);
    let recovered = json(&config, &send(&mut state, &config, 0, T0 + 600, &SendResult::Delivered)[0]);
    assert_eq!(recovered["text"].as_str().unwrap().lines().next(), Some("api recovered (was down)"));
    assert!(state.outbox.pending.iter().all(|p| p.target == "webhook:ONCALL_HOOK"));
}

#[test]
fn an_outage_that_spreads_sends_down_saying_what_it_was() {
    let config = config();
    let headline = |batch: &Batch| json(&config, batch)["text"].as_str().unwrap().lines().next().unwrap().to_string();
    let mut state = run(&[("ooo", "ooo"), ("oxo", "ooo"), ("oxo", "ooo")]);
    let first = send(&mut state, &config, 0, T0 + 180, &SendResult::Delivered);
    assert_eq!(first.iter().map(headline).collect::<Vec<_>>(), ["api is failing in enam"]);
    run_from(&config, &mut state, T0 + 180, &[("xxx", "ooo"), ("xxx", "ooo"), ("xxx", "ooo")]);
    let second = send(&mut state, &config, 0, T0 + 360, &SendResult::Delivered);
    assert_eq!(second.iter().map(headline).collect::<Vec<_>>(), ["api is down (was regional outage)"]);
}

#[test]
fn changes_that_come_together_go_to_each_target_as_one_message() {
    let text = (0..12)
        .map(|i| format!("[[endpoint]]\nname = \"e{i}\"\nurl = \"https://e{i}.example.com/\"\ntimeout_ms = 2000\n"))
        .collect::<String>()
        + "[[alert]]\nkind = \"discord\"\nurl = \"secret:DISCORD\"\n";
    let (config, errors) = parse_config(&text);
    assert_eq!(errors, []);
    let failing: Vec<(String, Vec<ProbeReport>)> = ["weur", "enam", "apac"]
        .iter()
        .map(|r| {
            let list = (0..12)
                .map(|i| ProbeReport { endpoint: format!("e{i}"), outcome: Outcome::Timeout, latency_ms: 2000 })
                .collect();
            (r.to_string(), list)
        })
        .collect();
    let mut state = MonitorState::default();
    state.tick(&config, (T0) * 1000, &failing).unwrap();
    state.tick(&config, (T0 + 60) * 1000, &failing).unwrap();
    assert_eq!(state.outbox.pending.len(), 12);
    let batches = send(&mut state, &config, 0, T0 + 60, &SendResult::Delivered);
    assert_eq!(batches.len(), 1, "twelve endpoints down: one message");
    let message = json(&config, &batches[0]);
    let content = message["content"].as_str().unwrap();
    assert!(content.starts_with("12 changes: e0 is down; e1 is down"), "{content}");
    assert_eq!(message["embeds"].as_array().unwrap().len(), 10, "Discord's limit of ten embeds");
    assert!(message["content"].as_str().unwrap().contains("and 2 more"));
    assert!(message["content"].as_str().unwrap().chars().count() <= 2000);
}

#[test]
fn a_hostile_cause_cannot_ping_link_or_flood_a_channel() {
    let config = config();
    let hostile = format!("<!channel> <https://evil.example|Re-authenticate here> @everyone {}", "A".repeat(60_000));
    let outcome = Outcome::AssertionFailed { reason: hostile };
    let down: Vec<(String, Vec<ProbeReport>)> = ["weur", "enam", "apac"]
        .iter()
        .map(|r| (r.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome: outcome.clone(), latency_ms: 9 }]))
        .collect();
    let mut state = MonitorState::default();
    state.tick(&config, (T0) * 1000, &down).unwrap();
    state.tick(&config, (T0 + 60) * 1000, &down).unwrap();
    let slack = send(&mut state, &config, 0, T0 + 60, &SendResult::Delivered).remove(0);
    let slack = body(&config, &slack);
    assert!(!slack.contains("<!channel>") && !slack.contains("<https://evil"), "Slack markup is escaped");
    assert!(slack.contains("&lt;!channel&gt;"));
    assert!(slack.len() < 8_000, "the cause is capped: {} bytes", slack.len());
    let hook = send(&mut state, &config, 1, T0 + 60, &SendResult::Delivered).remove(0);
    assert!(json(&config, &hook)["changes"][0]["cause"].as_str().unwrap().chars().count() <= 300);

    let discord_config = parse_config(&CONFIG.replace("kind = \"slack\"", "kind = \"discord\"")).0;
    let mut state = MonitorState::default();
    state.tick(&discord_config, (T0) * 1000, &down).unwrap();
    state.tick(&discord_config, (T0 + 60) * 1000, &down).unwrap();
    let discord = json(&discord_config, &send(&mut state, &discord_config, 0, T0 + 60, &SendResult::Delivered)[0]);
    assert_eq!(discord["allowed_mentions"]["parse"], serde_json::json!([]), "nobody is pinged");
    let description = discord["embeds"][0]["description"].as_str().unwrap();
    assert!(!description.contains("@everyone") && !description.contains("[Re"), "{description}");
    assert!(description.chars().count() <= 4096);
}

#[test]
fn a_failing_target_gets_its_messages_later_in_one_batch_in_order() {
    let config = config();
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo"), ("ooo", "ooo"), ("ooo", "ooo")]);
    let mut now = T0 + 300;
    // The sink is down for three tries.
    for attempt in 1..=3 {
        let sent =
            send(&mut state, &config, 0, now, &SendResult::Retry { error: "HTTP 503".into(), after_seconds: None });
        assert_eq!(sent.len(), 1);
        assert!(send(&mut state, &config, 0, now, &SendResult::Delivered).is_empty(), "not before its backoff");
        now += backoff_seconds(attempt, 60);
    }
    let sent = send(&mut state, &config, 0, now, &SendResult::Delivered);
    assert_eq!(sent.len(), 1, "both messages in one request");
    let text = json(&config, &sent[0])["text"].as_str().unwrap().to_string();
    let (down, recovered) = (text.find("api is down").unwrap(), text.find("api recovered").unwrap());
    assert!(down < recovered, "oldest first: {text}");
    assert!(send(&mut state, &config, 0, now + 100_000, &SendResult::Delivered).is_empty(), "nothing twice");
    assert_eq!(state.outbox.pending.len(), 2, "the webhook's two are still queued");
}

#[test]
fn a_refusing_receiver_drops_its_message_visibly_and_later_ones_still_go() {
    let config = config();
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo")]);
    let refused = SendResult::Rejected { error: "HTTP 404: the receiver refuses this request".into() };
    assert_eq!(send(&mut state, &config, 0, T0 + 180, &refused).len(), 1);
    let report = state.outbox.report(&config);
    assert_eq!(report.failures.len(), 1);
    assert_eq!(report.failures[0].target, "slack:SLACK_WEBHOOK_URL");
    assert!(report.failures[0].error.contains("404"));
    run_from(&config, &mut state, T0 + 180, &[("ooo", "ooo"), ("ooo", "ooo")]);
    let next = send(&mut state, &config, 0, T0 + 300, &SendResult::Delivered);
    assert_eq!(next.len(), 1, "the 404 did not block the recovery message");
}

#[test]
fn a_429_is_retried_no_earlier_than_the_receiver_says() {
    let config = config();
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo")]);
    let busy = SendResult::Retry { error: "HTTP 429".into(), after_seconds: Some(600) };
    send(&mut state, &config, 0, T0 + 180, &busy);
    // `T0 + 180` may have been T0 + 180.9: at T0 + 780 only 599.1 s may have passed.
    assert!(send(&mut state, &config, 0, T0 + 180 + 600, &SendResult::Delivered).is_empty());
    assert_eq!(send(&mut state, &config, 0, T0 + 180 + 601, &SendResult::Delivered).len(), 1);
}

#[test]
fn a_reordered_alert_list_still_sends_each_message_to_its_own_target() {
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo")]);
    // A deploy puts a Discord target first; the queued messages keep their targets.
    let reordered = parse_config(&CONFIG.replace(
        "[[alert]]\nkind = \"slack\"",
        "[[alert]]\nkind = \"discord\"\nurl = \"secret:DISCORD\"\n\n[[alert]]\nkind = \"slack\"",
    ))
    .0;
    assert_eq!(reordered.alerts[0].id, "discord:DISCORD");
    assert!(send(&mut state, &reordered, 0, T0 + 180, &SendResult::Delivered).is_empty(), "nothing for Discord");
    let slack = send(&mut state, &reordered, 1, T0 + 180, &SendResult::Delivered);
    assert!(json(&reordered, &slack[0])["blocks"].is_array(), "a Slack-shaped body to the Slack target");
}

#[test]
fn an_outage_that_outlasts_maintenance_alerts_when_the_window_ends() {
    let config = config();
    // www is under maintenance 20:00–22:00 and goes down at 21:50, still down at 22:05.
    let mut state = MonitorState::default();
    let start = T0 + 110 * 60;
    run_from(&config, &mut state, start, &[("ooo", "ooo"), ("ooo", "xxx"), ("ooo", "xxx")]);
    assert!(send(&mut state, &config, 0, start + 180, &SendResult::Delivered).is_empty(), "held in the window");
    assert_eq!(
        state.outbox.next_due(&config, start + 180),
        Some(T0 + 2 * 3600),
        "due when the window ends, not before"
    );
    let after = T0 + 2 * 3600 + 60;
    run_from(&config, &mut state, after, &[("ooo", "xxx")]);
    let sent = send(&mut state, &config, 0, after, &SendResult::Delivered);
    assert_eq!(sent.len(), 1);
    assert!(json(&config, &sent[0])["text"].as_str().unwrap().starts_with("www is down"));
}

#[test]
fn an_outage_held_by_a_window_longer_than_the_message_age_is_still_announced() {
    // max_age_minutes is 60 and the window lasts 120: the outage began 20:10 and holds.
    let text = CONFIG.replace("kind = \"slack\"\n", "kind = \"slack\"\nmax_age_minutes = 60\n");
    let (config, errors) = parse_config(&text);
    assert_eq!(errors, []);
    let mut state = MonitorState::default();
    run_from(&config, &mut state, T0 + 10 * 60, &[("ooo", "xxx"), ("ooo", "xxx"), ("ooo", "xxx")]);
    for minute in [30, 90, 119] {
        assert!(state.outbox.expire(&config, T0 + minute * 60).is_empty(), "held, not aged, at 20:{minute}");
    }
    let after = T0 + 2 * 3600 + 60;
    run_from(&config, &mut state, after, &[("ooo", "xxx")]);
    assert!(state.outbox.expire(&config, after).is_empty(), "the window just let it go");
    let sent = send(&mut state, &config, 0, after, &SendResult::Delivered);
    assert_eq!(sent.len(), 1);
    assert!(json(&config, &sent[0])["text"].as_str().unwrap().starts_with("www is down"));
}

#[test]
fn an_outage_over_within_maintenance_sends_nothing_afterwards() {
    let config = config();
    let mut state = MonitorState::default();
    let start = T0 + 60 * 60;
    run_from(&config, &mut state, start, &[("ooo", "xxx"), ("ooo", "xxx"), ("ooo", "ooo"), ("ooo", "ooo")]);
    assert_eq!(state.outbox.pending.len(), 2, "down and recovered were queued, held");
    assert!(send(&mut state, &config, 0, T0 + 2 * 3600 + 60, &SendResult::Delivered).is_empty());
    assert!(state.outbox.pending.is_empty(), "both dropped: nothing changed for the target");
}

#[test]
fn retries_back_off_to_every_half_hour() {
    assert_eq!((1..=8).map(|n| backoff_seconds(n, 60)).collect::<Vec<_>>(), [60, 60, 120, 240, 480, 960, 1800, 1800]);
}

#[test]
fn messages_older_than_their_target_allows_are_dropped_and_recorded() {
    let config = config();
    let mut state = run(&[("ooo", "ooo"), ("xxx", "ooo"), ("xxx", "ooo")]);
    assert_eq!(state.outbox.expire(&config, T0 + 3600).len(), 0);
    let dropped = state.outbox.expire(&config, T0 + 2 * 86_400);
    assert_eq!(dropped.len(), 2);
    assert!(state.outbox.pending.is_empty());
    assert_eq!(state.outbox.report(&config).failures.len(), 2);
}

#[test]
fn alert_config_mistakes_are_reported() {
    let errors = |text: &str| parse_config(text).1.into_iter().map(|e| e.to_string()).collect::<Vec<_>>();
    assert_eq!(
        errors("[[alert]]\nkind = \"slack\"\nurl = \"https://hooks.slack.com/services/T/B/X\"\n"),
        ["outpost.toml:3: a slack URL is a secret: store it with `wrangler secret put SLACK_WEBHOOK_URL` and write url = \"secret:SLACK_WEBHOOK_URL\""]
    );
    assert_eq!(
        errors("[[alert]]\nkind = \"pager\"\nurl = \"secret:X\"\n"),
        ["outpost.toml:2: unknown alert kind \"pager\": use \"slack\", \"discord\", \"teams\", \"telegram\", \"pagerduty\", \"opsgenie\", \"ntfy\" or \"webhook\""]
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

#[test]
fn a_message_held_by_maintenance_never_lets_a_newer_one_overtake_a_retry() {
    let config = config();
    let mut state = MonitorState::default();
    // www goes down in its maintenance window (held); then api goes down, and its message
    // fails to go out; then api recovers while "down" still waits for its retry.
    let t = T0 + 30 * 60;
    run_from(&config, &mut state, t, &[("ooo", "xxx"), ("xxx", "xxx"), ("xxx", "xxx")]);
    let retry = SendResult::Retry { error: "HTTP 429".into(), after_seconds: Some(300) };
    assert_eq!(send(&mut state, &config, 0, t + 120, &retry).len(), 1, "api's down, tried and told to wait");
    run_from(&config, &mut state, t + 150, &[("ooo", "xxx"), ("ooo", "xxx")]);
    let retry_at =
        state.outbox.pending.iter().find(|p| p.alert.endpoint == "api" && p.attempts == 1).unwrap().next_attempt_at;
    assert!(retry_at > t + 210, "still waiting for its retry");
    assert!(send(&mut state, &config, 0, t + 210, &SendResult::Delivered).is_empty(), "recovered waits behind down");
    let sent = send(&mut state, &config, 0, retry_at, &SendResult::Delivered);
    let text = json(&config, &sent[0])["text"].as_str().unwrap().to_string();
    assert!(text.find("api is down").unwrap() < text.find("api recovered").unwrap(), "{text}");
}
