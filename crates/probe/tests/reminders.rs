//! Reminders through simulated time: trouble that lasts is said again to the targets that
//! ask, every `remind_minutes` from the last message delivered about it, until it ends;
//! never while flapping or under maintenance, never piled up behind a message that waits.

use api::{Outcome, ProbeReport};
use config::Config;
use probe::alerts::SendResult;
use probe::monitor::MonitorState;
use probe::parse_config;

const T0: i64 = 1_795_896_000; // 2026-11-28 20:00 UTC

const CONFIG: &str = r#"
[probe]
confirm_seconds = 0
recover_seconds = 0
flap_changes = 4
flap_window_seconds = 3600

[[endpoint]]
name = "api"
url = "https://api.example.com/health"

[[alert]]
kind = "slack"
url = "secret:SLACK"
remind_minutes = 30

[[alert]]
kind = "webhook"
url = "secret:HOOK"
"#;

fn config(extra: &str) -> Config {
    let (config, errors) = parse_config(&format!("{CONFIG}{extra}"));
    assert_eq!(errors, []);
    config
}

/// Runs one tick a minute from `T0`, `api` healthy or not as `healthy(minute)` says, and
/// answers every delivery as `answer(minute)` says. Returns each message's minute and
/// headline, per target, and the monitor's state at the end.
fn simulate(
    config: &Config,
    minutes: i64,
    healthy: impl Fn(i64) -> bool,
    answer: impl Fn(i64) -> SendResult,
) -> (Vec<Vec<(i64, String)>>, MonitorState) {
    let mut state = MonitorState::default();
    let mut told = vec![Vec::new(); config.alerts.len()];
    for minute in 0..minutes {
        let at = T0 + 60 * minute;
        let outcome = if healthy(minute) { Outcome::Ok } else { Outcome::HttpStatus { status: 503 } };
        let reports: Vec<(String, Vec<ProbeReport>)> = ["weur", "enam", "apac"]
            .iter()
            .map(|r| {
                (r.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome: outcome.clone(), latency_ms: 40 }])
            })
            .collect();
        state.tick(config, at * 1000, &reports).expect("in time order");
        for (n, target) in config.alerts.iter().enumerate() {
            while let Some(batch) = state.outbox.batch_for(config, target, at) {
                let result = answer(minute);
                state.outbox.settle(config, &batch, &result, at);
                if result != SendResult::Delivered {
                    break;
                }
                told[n].extend(batch.alerts.iter().map(|a| (minute, a.headline())));
            }
        }
    }
    (told, state)
}

fn delivered(_: i64) -> SendResult {
    SendResult::Delivered
}

#[test]
fn lasting_trouble_is_said_again_every_half_hour_until_it_ends_to_the_target_that_asks() {
    // Failing from minute 2 (down is declared on the second failing round) to minute 130,
    // over two hours and their boundaries.
    let (told, _) = simulate(&config(""), 180, |m| !(2..130).contains(&m), delivered);
    let slack: Vec<(i64, &str)> = told[0].iter().map(|(m, h)| (*m, h.as_str())).collect();
    assert_eq!(
        slack,
        [
            (3, "api is down"),
            (33, "Reminder: api is still down"),
            (63, "Reminder: api is still down"),
            (93, "Reminder: api is still down"),
            (123, "Reminder: api is still down"),
            (130, "api recovered (was down)"),
        ]
    );
    let hook: Vec<&str> = told[1].iter().map(|(_, h)| h.as_str()).collect();
    assert_eq!(hook, ["api is down", "api recovered (was down)"], "no reminders unless asked");
}

#[test]
fn a_reminder_never_piles_up_behind_a_message_that_waits_and_counts_from_its_delivery() {
    // The receiver fails for the first 90 minutes of a three-hour outage.
    let answer = |minute: i64| {
        if minute < 90 {
            SendResult::Retry { error: "HTTP 503".into(), after_seconds: Some(60) }
        } else {
            SendResult::Delivered
        }
    };
    let (told, _) = simulate(&config(""), 200, |m| !(2..190).contains(&m), answer);
    let minutes: Vec<i64> = told[0].iter().map(|(m, _)| *m).collect();
    let late = minutes[0];
    assert!((90..=92).contains(&late), "delivered at the first retry that works: {minutes:?}");
    assert_eq!(
        minutes,
        [late, late + 30, late + 60, late + 90, 190],
        "the late \"down\" first, then every 30 minutes from it"
    );
    assert_eq!(told[0][0].1, "api is down");
}

#[test]
fn nothing_is_said_again_while_flapping_or_under_maintenance() {
    // Flapping: three minutes up, three down, for two hours. Its episode stays open (down at
    // worst), and flapping is not announced while it is.
    let (told, state) = simulate(&config(""), 120, |m| (m / 3) % 2 == 0, delivered);
    assert!(state.detectors["api"].verdict().flapping, "the pattern flaps");
    assert!(told[0].iter().all(|(_, h)| !h.starts_with("Reminder")), "{:?}", told[0]);
    // An outage that began before maintenance: no reminder during the window (21:00–22:00).
    let window = "\n[[maintenance]]\ntitle = \"Move\"\nstart = 2026-11-28T21:00:00Z\nend = 2026-11-28T22:00:00Z\n";
    let (told, _) = simulate(&config(window), 150, |m| !(2..=140).contains(&m), delivered);
    let reminders: Vec<i64> = told[0].iter().filter(|(_, h)| h.starts_with("Reminder")).map(|(m, _)| *m).collect();
    assert_eq!(reminders, [33, 120], "at 20:33, none from 21:00 to 22:00, then the next at once");
}

#[test]
fn reminder_settings_are_checked() {
    let errors = |text: &str| parse_config(text).1.into_iter().map(|e| e.to_string()).collect::<Vec<_>>();
    assert_eq!(
        errors("[[alert]]\nkind = \"pagerduty\"\nkey = \"secret:K\"\nremind_minutes = 30\n"),
        ["outpost.toml:4: `remind_minutes` does not apply to a pagerduty alert: it re-notifies by its own escalation policy"]
    );
    for minutes in [0, 9, 1441] {
        assert_eq!(
            errors(&format!("[[alert]]\nkind = \"slack\"\nurl = \"secret:S\"\nremind_minutes = {minutes}\n")),
            ["outpost.toml:4: remind_minutes must be between 10 and 1440 (a day)"]
        );
    }
    assert_eq!(errors("[[alert]]\nkind = \"slack\"\nurl = \"secret:S\"\nremind_minutes = 10\n"), Vec::<String>::new());
}

#[test]
fn only_a_target_that_heard_of_the_trouble_and_still_hears_of_its_endpoint_is_reminded() {
    // The first "down" is refused for good: that target never heard of the outage.
    let refused = |minute: i64| {
        if minute < 10 {
            SendResult::Rejected { error: "HTTP 400".into() }
        } else {
            SendResult::Delivered
        }
    };
    let (told, _) = simulate(&config(""), 120, |m| !(2..110).contains(&m), refused);
    assert_eq!(told[0].iter().map(|(m, h)| (*m, h.as_str())).collect::<Vec<_>>(), [(110, "api recovered (was down)")]);
    // A target whose list no longer names the endpoint hears no more about it.
    let (config_before, _) = parse_config(CONFIG);
    let (config_after, errors) =
        parse_config(&CONFIG.replace("remind_minutes = 30", "remind_minutes = 30\nendpoints = [\"www\"]").replace(
            "[[alert]]\nkind = \"slack\"",
            "[[endpoint]]\nname = \"www\"\nurl = \"https://www.example.com/\"\n\n[[alert]]\nkind = \"slack\"",
        ));
    assert_eq!(errors, []);
    let mut state = MonitorState::default();
    let report = |outcome: Outcome| -> Vec<(String, Vec<ProbeReport>)> {
        ["weur", "enam", "apac"]
            .iter()
            .map(|r| {
                (r.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome: outcome.clone(), latency_ms: 40 }])
            })
            .collect()
    };
    for minute in 0..5 {
        let at = T0 + 60 * minute;
        state.tick(&config_before, at * 1000, &report(Outcome::HttpStatus { status: 503 })).unwrap();
        while let Some(batch) = state.outbox.batch_for(&config_before, &config_before.alerts[0], at) {
            state.outbox.settle(&config_before, &batch, &SendResult::Delivered, at);
        }
    }
    assert!(state.outbox.last_told["slack:SLACK"].contains_key("api"), "told of the outage");
    for minute in 5..120 {
        let at = T0 + 60 * minute;
        state.tick(&config_after, at * 1000, &report(Outcome::HttpStatus { status: 503 })).unwrap();
        assert!(
            state.outbox.batch_for(&config_after, &config_after.alerts[0], at).is_none(),
            "nothing at minute {minute}"
        );
    }
}
