//! The monitor's saved state has a stated maximum (`MAX_SAVED_STATE_BYTES`, under SQLite's
//! 2 MB row limit), and the largest config the free plan allows, every endpoint answering the
//! largest hostile body allowed, stays well under it: every byte a probed server sends is
//! bounded before it is kept.

use api::{Outcome, ProbeReport};
use probe::alerts::{SendResult, MAX_PENDING};
use probe::classify::{classify, Observation, Response, MAX_OUTSIDE_CHARS};
use probe::monitor::{MonitorState, MAX_SAVED_STATE_BYTES};
use probe::parse_config;

const REGIONS: [&str; 6] = ["wnam", "enam", "weur", "eeur", "apac", "oc"];
const T0: i64 = 1_795_896_000; // 2026-11-28 20:00 UTC

fn config_text(endpoints: usize) -> String {
    let mut text = String::from(
        "[site]\nurl = \"https://runbooks.example.com\"\nprobe_api = \"https://probe.example.com\"\n\
         [probe]\nregions = [\"wnam\", \"enam\", \"weur\", \"eeur\", \"apac\", \"oc\"]\n\
         [[alert]]\nkind = \"slack\"\nurl = \"secret:SLACK\"\n[[alert]]\nkind = \"discord\"\nurl = \"secret:DISCORD\"\n",
    );
    // As many alert targets as allowed.
    for n in 2..config::limits::MAX_ALERT_TARGETS {
        text.push_str(&format!("[[alert]]\nkind = \"webhook\"\nurl = \"secret:HOOK_{n}\"\n"));
    }
    for n in 0..endpoints {
        // Names as long as allowed: every byte counts.
        text.push_str(&format!(
            "[[endpoint]]\nname = \"ep-{n:02}-{}\"\nurl = \"https://api{n}.example.com/health\"\n\
             assert = ['.status == \"ok\"']\nmax_body_bytes = 1048576\ntimeout_ms = 2000\n\
             runbook = \"incident-response#complete-service-outage-sev1\"\n",
            "u".repeat(58)
        ));
    }
    text
}

/// A 1 MB JSON body whose `.status` is 1 MB of text with emoji and right-to-left marks.
fn hostile_body() -> Vec<u8> {
    let filler = "😈\u{202e}é→".repeat(1_048_000 / 12);
    let body = format!("{{\"status\": \"{filler}\"}}");
    body.into_bytes().into_iter().take(1_048_576).collect()
}

#[test]
fn forty_five_endpoints_answering_the_largest_hostile_body_with_every_alert_target_keep_the_state_under_its_maximum() {
    let (config, errors) = parse_config(&config_text(45));
    assert_eq!(errors, []);
    assert_eq!(config.endpoints.len(), 45);
    let body = hostile_body();
    let endpoint = &config.endpoints[0];
    let observation = Observation {
        elapsed_ms: 400,
        result: Ok(Response { status: 200, location: None, body: body.clone(), truncated: false }),
    };
    // Every endpoint has the same check, so one classification stands for all.
    let outcome = classify(endpoint, &observation);
    let Outcome::AssertionFailed { reason } = &outcome else { panic!("{outcome:?}") };
    assert!(reason.chars().count() <= MAX_OUTSIDE_CHARS + 1, "the reason quoting the body is capped");
    let mut state = MonitorState::default();
    // Twenty minutes of rounds failing everywhere, every other one healthy in one region
    // (flapping keeps each region's history), and no alert ever delivered.
    for minute in 0..20i64 {
        for (i, region) in REGIONS.iter().enumerate() {
            let healthy = minute % 2 == 0 && i == 0;
            let reports: Vec<ProbeReport> = config
                .endpoints
                .iter()
                .map(|e| ProbeReport {
                    endpoint: e.name.clone(),
                    outcome: if healthy { Outcome::Ok } else { outcome.clone() },
                    latency_ms: 400,
                })
                .collect();
            state.report(&config, region, (T0 + 60 * minute) * 1000 + i as i64, &reports).unwrap();
        }
        for target in &config.alerts {
            while let Some(batch) = state.outbox.batch_for(&config, target, T0 + 60 * minute) {
                let refused = SendResult::Retry { error: "x".repeat(5_000), after_seconds: Some(3_600) };
                state.outbox.settle(&config, &batch, &refused, T0 + 60 * minute);
            }
        }
    }
    assert!(state.open_incidents.len() == 45, "every endpoint is in an outage");
    assert!(!state.outbox.pending.is_empty(), "alerts wait, undelivered");
    let saved = serde_json::to_string(&state).unwrap();
    let parts = |json: &str| match serde_json::from_str(json) {
        Ok(serde_json::Value::Object(fields)) => {
            fields.iter().map(|(k, v)| format!("{k} {}", v.to_string().len())).collect()
        }
        _ => Vec::new(),
    };
    assert_eq!(state.outbox.pending.len(), MAX_PENDING, "the oldest messages past the limit were dropped");
    assert!(saved.len() < MAX_SAVED_STATE_BYTES, "{} bytes saved: {:?}", saved.len(), parts(&saved));
}
