//! Heartbeats: jobs that report in (`POST /api/heartbeat/<name>`) instead of being probed.
//! The monitor evaluates each one whenever a region reports, as if that region had probed
//! it: a beat within the period (plus grace) is healthy, none is a failure. So a missed beat
//! goes through the same detector, history, page and alerts as an endpoint that is down.

use std::collections::BTreeMap;

use api::{Outcome, ProbeReport};
use config::Config;
use serde::{Deserialize, Serialize};

/// A beat this soon after the last one is kept in memory only: the state is saved with the
/// next report anyway, so a job beating every few seconds costs no row per beat.
pub const SAVE_AT_MOST_EVERY_MS: i64 = 60_000;

/// The beats the monitor has seen, saved with its state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beats {
    /// The last beat of each heartbeat (Unix ms).
    #[serde(default)]
    pub last_ms: BTreeMap<String, i64>,
    /// When the monitor first watched each heartbeat (Unix ms): one that never beats is
    /// missed one period (and grace) after it was added.
    #[serde(default)]
    pub watched_since_ms: BTreeMap<String, i64>,
}

/// What a beat did to the saved state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeatTaken {
    /// Recorded; save the state now.
    Save,
    /// Recorded in memory; the next report saves it.
    Held,
    /// No heartbeat has that name.
    Unknown,
}

impl Beats {
    /// A beat of `name` at `at_ms`. Never moves a beat back in time.
    pub fn beat(&mut self, config: &Config, name: &str, at_ms: i64) -> BeatTaken {
        if !config.endpoints.iter().any(|e| e.name == name && e.heartbeat().is_some()) {
            return BeatTaken::Unknown;
        }
        let previous = self.last_ms.get(name).copied();
        let latest = previous.map_or(at_ms, |p| p.max(at_ms));
        self.last_ms.insert(name.to_string(), latest);
        match previous {
            Some(p) if at_ms - p < SAVE_AT_MOST_EVERY_MS => BeatTaken::Held,
            _ => BeatTaken::Save,
        }
    }

    /// Notes when each configured heartbeat was first watched, and forgets removed ones.
    pub fn watch(&mut self, config: &Config, at_ms: i64) {
        let names: Vec<&str> =
            config.endpoints.iter().filter(|e| e.heartbeat().is_some()).map(|e| e.name.as_str()).collect();
        self.last_ms.retain(|name, _| names.contains(&name.as_str()));
        self.watched_since_ms.retain(|name, _| names.contains(&name.as_str()));
        for name in names {
            self.watched_since_ms.entry(name.to_string()).or_insert(at_ms);
        }
    }

    /// Every heartbeat's result at `at_ms`, as a region's report would carry it.
    pub fn reports(&self, config: &Config, at_ms: i64) -> Vec<ProbeReport> {
        config
            .endpoints
            .iter()
            .filter_map(|endpoint| {
                let (period, grace, _) = endpoint.heartbeat()?;
                let last = self.last_ms.get(&endpoint.name).copied();
                let since = self.watched_since_ms.get(&endpoint.name).copied().unwrap_or(at_ms);
                let outcome = outcome(period, grace, last, since, at_ms);
                Some(ProbeReport { endpoint: endpoint.name.clone(), outcome, latency_ms: 0 })
            })
            .collect()
    }
}

/// Healthy while the last beat is within `period + grace` seconds of `at_ms`; before the
/// first beat, unknown for that long from when it was first watched; a failure that says what
/// was expected otherwise.
pub fn outcome(period: u32, grace: u32, last_ms: Option<i64>, watched_since_ms: i64, at_ms: i64) -> Outcome {
    let allowed_ms = (i64::from(period) + i64::from(grace)) * 1000;
    let from = last_ms.unwrap_or(watched_since_ms);
    if at_ms - from <= allowed_ms {
        // Before the first beat nothing is known yet: neither healthy nor failing.
        return match last_ms {
            Some(_) => Outcome::Ok,
            None => Outcome::Unknown { reason: "waiting for the first beat".into() },
        };
    }
    let expected = format!("expected every {}, {} grace", words(period), words(grace));
    let message = match last_ms {
        Some(_) => format!("no beat in time ({expected})"),
        None => format!("no beat yet ({expected})"),
    };
    Outcome::Error { message }
}

/// `5 min`, `90 s`, `2 h`, `1 d`.
fn words(seconds: u32) -> String {
    match seconds {
        s if s % 86_400 == 0 && s > 0 => format!("{} d", s / 86_400),
        s if s % 3_600 == 0 && s > 0 => format!("{} h", s / 3_600),
        s if s % 60 == 0 && s > 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}
