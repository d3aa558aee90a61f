//! The outbox: messages waiting for their target, keyed by the target's stable id (so a
//! reordered `[[alert]]` list never sends one target's message to another), sent in
//! batches, retried with backoff or as the receiver asks (429 `Retry-After`), and dropped
//! for good (and recorded) when the receiver refuses them.

use std::collections::BTreeMap;

use api::State;
use config::{AlertTarget, Config};
use serde::{Deserialize, Serialize};

use super::alert::Alert;
use super::render;

/// Failures kept for the API and the logs.
const MAX_FAILURES: usize = 20;
/// Messages in one batch at most; the rest follow in the next.
const MAX_BATCH: usize = 20;
/// Messages waiting at most, over every target: the outbox is part of the monitor's saved
/// state, which has a size limit. Past it the oldest are dropped, and recorded.
pub const MAX_PENDING: usize = 400;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    /// Oldest first.
    pub pending: Vec<Pending>,
    pub next_id: u64,
    /// The last state each target was told about, per endpoint: after a maintenance window
    /// only a change from it is worth sending.
    #[serde(default)]
    pub announced: BTreeMap<String, BTreeMap<String, State>>,
    /// Messages dropped for good, newest last.
    #[serde(default)]
    pub failures: Vec<Failure>,
    /// When each endpoint's current trouble began, from its first message to the one that
    /// ends it: every message of an episode carries the same start.
    #[serde(default)]
    pub episodes: BTreeMap<String, i64>,
    /// The episode of the last message each target was told, per endpoint (with
    /// `announced`): after maintenance, the end of a told episode is still news.
    #[serde(default)]
    pub announced_episodes: BTreeMap<String, BTreeMap<String, i64>>,
    /// When each target was last given a message about each endpoint's trouble (Unix
    /// seconds): reminders count from it. Cleared when the trouble ends.
    #[serde(default)]
    pub last_told: BTreeMap<String, BTreeMap<String, i64>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub id: u64,
    /// The target's stable id (`AlertTarget::id`).
    pub target: String,
    pub alert: Alert,
    pub created_at: i64,
    pub attempts: u32,
    /// Unix seconds from which it may be tried again.
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    /// Queued while its endpoint was under maintenance: sent after the window only if the
    /// state it announces still differs from what the target was last told.
    pub in_maintenance: bool,
    /// When maintenance let it go (Unix seconds): its age for `max_age_minutes` counts from
    /// then, so a window longer than the age never drops an outage it held.
    #[serde(default)]
    pub released_at: Option<i64>,
}

/// Messages dropped without being delivered, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    pub at: i64,
    pub target: String,
    pub ids: Vec<u64>,
    pub error: String,
}

/// What goes out to one target in one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    pub target: String,
    pub ids: Vec<u64>,
    /// The messages, oldest first, as queued.
    pub alerts: Vec<Alert>,
}

impl Batch {
    /// The request in `target`'s format; `key` is the value of its key secret, if it has one.
    pub fn request(&self, target: &AlertTarget, key: Option<&str>) -> render::Request {
        let alerts: Vec<&Alert> = self.alerts.iter().collect();
        render::request(target, &alerts, &self.ids, key)
    }
}

/// How a delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendResult {
    Delivered,
    /// Try again: after `after_seconds` if the receiver said (429 `Retry-After`), else
    /// after the backoff.
    Retry {
        error: String,
        after_seconds: Option<i64>,
    },
    /// The receiver refused the request itself (4xx other than 408 and 429): sending it
    /// again would fail the same way.
    Rejected {
        error: String,
    },
}

/// Seconds to wait after the n-th failed attempt: 1, 1, 2, 4, 8, 16 tick intervals, then
/// every 30 (minutes, with the minute cron).
pub fn backoff_seconds(attempts: u32, interval_seconds: u32) -> i64 {
    const SCHEDULE: [i64; 6] = [1, 1, 2, 4, 8, 16];
    SCHEDULE.get(attempts.saturating_sub(1) as usize).copied().unwrap_or(30) * i64::from(interval_seconds)
}

impl Outbox {
    /// Queues the change for every target that hears about its endpoint.
    pub fn announce(&mut self, config: &Config, alert: &Alert, now: i64) -> usize {
        self.announce_to(config, alert, now, |target, _| hears(target, &alert.endpoint))
    }

    /// Queues the end of an endpoint removed from the config for every target that heard of
    /// its trouble, or has a message about it waiting, even one whose list no longer names it.
    pub fn announce_removal(&mut self, config: &Config, alert: &Alert, now: i64) -> usize {
        let endpoint = alert.endpoint.clone();
        self.announce_to(config, alert, now, |target, outbox| {
            let told = outbox.announced.get(&target.id).and_then(|told| told.get(&endpoint));
            hears(target, &endpoint)
                || told.is_some_and(|state| *state != State::Up)
                || outbox.pending.iter().any(|p| p.target == target.id && p.alert.endpoint == endpoint)
        })
    }

    pub(super) fn announce_to(
        &mut self,
        config: &Config,
        alert: &Alert,
        now: i64,
        pick: impl Fn(&AlertTarget, &Outbox) -> bool,
    ) -> usize {
        let in_maintenance = config.maintenance_of(&alert.endpoint, now).is_some();
        let targets: Vec<&AlertTarget> = config.alerts.iter().filter(|t| pick(t, self)).collect();
        let mut alert = alert.clone();
        alert.episode = Some(self.episode_of(&alert));
        let mut queued = 0;
        // Trouble that ends is no longer reminded of, to any target.
        if alert.ends_trouble() {
            for told in self.last_told.values_mut() {
                told.remove(&alert.endpoint);
            }
        }
        for target in targets {
            self.next_id += 1;
            self.pending.push(Pending {
                id: self.next_id,
                target: target.id.clone(),
                alert: alert.clone(),
                created_at: now,
                attempts: 0,
                next_attempt_at: now,
                last_error: None,
                in_maintenance,
                released_at: None,
            });
            queued += 1;
        }
        let excess = self.pending.len().saturating_sub(MAX_PENDING);
        for dropped in self.pending.drain(..excess).collect::<Vec<_>>() {
            let error = format!("dropped undelivered: at most {MAX_PENDING} messages wait");
            self.record(Failure { at: now, target: dropped.target, ids: vec![dropped.id], error });
        }
        queued
    }

    /// The episode `alert` belongs to: a new one starts with trouble after health, and ends
    /// with the message that ends it.
    fn episode_of(&mut self, alert: &Alert) -> i64 {
        if alert.ends_trouble() {
            self.episodes.remove(&alert.endpoint).unwrap_or(alert.since)
        } else {
            *self.episodes.entry(alert.endpoint.clone()).or_insert(alert.since)
        }
    }

    /// The next request for `target`, if anything is due: every due message whose endpoint
    /// is not under maintenance now, oldest first, in one body. A target waits while its
    /// oldest message waits for a retry, so messages arrive in order.
    pub fn batch_for(&mut self, config: &Config, target: &AlertTarget, now: i64) -> Option<Batch> {
        self.settle_maintenance(config, target, now);
        // The oldest that could go now: one held by maintenance does not decide the order.
        let oldest = self
            .pending
            .iter()
            .find(|p| p.target == target.id && config.maintenance_of(&p.alert.endpoint, now).is_none())?;
        if oldest.next_attempt_at > now {
            return None;
        }
        let due: Vec<&Pending> = self
            .pending
            .iter()
            .filter(|p| p.target == target.id && p.next_attempt_at <= now)
            .filter(|p| config.maintenance_of(&p.alert.endpoint, now).is_none())
            .take(render::batch_limit(target.kind).min(MAX_BATCH))
            .collect();
        if due.is_empty() {
            return None;
        }
        let alerts: Vec<Alert> = due.iter().map(|p| p.alert.clone()).collect();
        let ids: Vec<u64> = due.iter().map(|p| p.id).collect();
        Some(Batch { target: target.id.clone(), ids, alerts })
    }

    /// Applies the outcome of sending `batch`; retries wait in multiples of the config's
    /// tick interval.
    pub fn settle(&mut self, config: &Config, batch: &Batch, result: &SendResult, now: i64) {
        match result {
            SendResult::Delivered => {
                let announced = self.announced.entry(batch.target.clone()).or_default();
                let episodes = self.announced_episodes.entry(batch.target.clone()).or_default();
                let told = self.last_told.entry(batch.target.clone()).or_default();
                for pending in self.pending.iter().filter(|p| batch.ids.contains(&p.id)) {
                    // Reminders count from when trouble was last said, not queued, and only
                    // to a target that heard of it.
                    if pending.alert.ends_trouble() {
                        told.remove(&pending.alert.endpoint);
                    } else {
                        told.insert(pending.alert.endpoint.clone(), now);
                    }
                    announced.insert(pending.alert.endpoint.clone(), pending.alert.to);
                    match pending.alert.episode {
                        Some(episode) => episodes.insert(pending.alert.endpoint.clone(), episode),
                        None => episodes.remove(&pending.alert.endpoint),
                    };
                }
                self.pending.retain(|p| !batch.ids.contains(&p.id));
            }
            SendResult::Retry { error, after_seconds } => {
                for pending in self.pending.iter_mut().filter(|p| batch.ids.contains(&p.id)) {
                    pending.attempts += 1;
                    // Times are whole seconds, floored: a receiver's `Retry-After` gets one
                    // more, so the next attempt is never earlier than it asked.
                    let wait = match after_seconds {
                        Some(asked) => (*asked).clamp(0, 3599) + 1,
                        None => backoff_seconds(pending.attempts, config.interval_seconds).clamp(1, 3600),
                    };
                    pending.next_attempt_at = now + wait;
                    pending.last_error = Some(error.chars().take(200).collect());
                }
            }
            SendResult::Rejected { error } => {
                self.pending.retain(|p| !batch.ids.contains(&p.id));
                self.record(Failure {
                    at: now,
                    target: batch.target.clone(),
                    ids: batch.ids.clone(),
                    error: error.clone(),
                });
            }
        }
    }

    /// When something may next be sent (Unix seconds): a retry's time, or the end of the
    /// maintenance that holds a message back. `None` when nothing waits.
    pub fn next_due(&self, config: &Config, now: i64) -> Option<i64> {
        self.pending
            .iter()
            .map(|p| match config.maintenance_of(&p.alert.endpoint, now) {
                Some(window) => window.end.max(p.next_attempt_at),
                None => p.next_attempt_at,
            })
            .min()
    }

    /// Drops messages older than their target allows, or whose target is gone from the
    /// config, recording each as a failure and returning them for a log line. A message held
    /// by maintenance is not aged until the window lets it go.
    pub fn expire(&mut self, config: &Config, now: i64) -> Vec<Pending> {
        let (keep, dropped): (Vec<Pending>, Vec<Pending>) =
            std::mem::take(&mut self.pending).into_iter().partition(|p| {
                let age = now - p.released_at.unwrap_or(p.created_at).max(p.created_at);
                config
                    .alerts
                    .iter()
                    .find(|t| t.id == p.target)
                    .is_some_and(|t| p.in_maintenance || age <= i64::from(t.max_age_minutes) * 60)
            });
        self.pending = keep;
        for pending in &dropped {
            let error = match &pending.last_error {
                Some(error) => format!("not delivered in time (last error: {error})"),
                None => "its alert target is no longer configured, or it was not delivered in time".to_string(),
            };
            self.record(Failure { at: now, target: pending.target.clone(), ids: vec![pending.id], error });
        }
        dropped
    }

    /// After a maintenance window: of the messages queued during it, only the last per
    /// endpoint can matter, and only if it differs from what the target last heard. If the
    /// trouble the target heard of ended in the window and new trouble began, the message
    /// that ended it goes too: a paging tool closes the alert it opened, by its key.
    fn settle_maintenance(&mut self, config: &Config, target: &AlertTarget, now: i64) {
        let told = self.announced.get(&target.id);
        let told_episode = self.announced_episodes.get(&target.id);
        let released = |p: &Pending| {
            p.target == target.id && p.in_maintenance && config.maintenance_of(&p.alert.endpoint, now).is_none()
        };
        let mut last_held: BTreeMap<&str, &Pending> = BTreeMap::new();
        // The held message that ended the episode the target was told of, per endpoint.
        let mut ender: BTreeMap<&str, u64> = BTreeMap::new();
        for p in self.pending.iter().filter(|p| released(p)) {
            let endpoint = p.alert.endpoint.as_str();
            last_held.insert(endpoint, p);
            let told_of = told_episode.and_then(|t| t.get(endpoint));
            if p.alert.ends_trouble() && told_of.is_some() && p.alert.episode.as_ref() == told_of {
                ender.insert(endpoint, p.id);
            }
        }
        let keep = |p: &Pending| -> bool {
            let endpoint = p.alert.endpoint.as_str();
            let Some(last) = last_held.get(endpoint) else { return true };
            if ender.get(endpoint) == Some(&p.id) {
                return true;
            }
            if last.id != p.id {
                return false;
            }
            // The told episode ended in the window: a later end of another is no news.
            if ender.contains_key(endpoint) {
                return !p.alert.ends_trouble();
            }
            let before = told.and_then(|t| t.get(endpoint)).copied().unwrap_or(State::Up);
            let before_episode = told_episode.and_then(|t| t.get(endpoint));
            before != p.alert.to
                || (!p.alert.ends_trouble() && before_episode.is_some_and(|e| Some(e) != p.alert.episode.as_ref()))
        };
        let stale: Vec<u64> = self.pending.iter().filter(|p| released(p) && !keep(p)).map(|p| p.id).collect();
        self.pending.retain(|p| !stale.contains(&p.id));
        for p in self.pending.iter_mut().filter(|p| p.target == target.id && p.in_maintenance) {
            if config.maintenance_of(&p.alert.endpoint, now).is_none() {
                p.in_maintenance = false;
                p.released_at = Some(now);
            }
        }
    }

    /// `GET /api/alerts`.
    pub fn report(&self, config: &Config) -> api::AlertReport {
        let targets = config
            .alerts
            .iter()
            .map(|target| {
                let mine: Vec<&Pending> = self.pending.iter().filter(|p| p.target == target.id).collect();
                api::AlertTargetStatus {
                    id: target.id.clone(),
                    kind: target.kind.name().to_string(),
                    pending: mine.len(),
                    next_attempt_at: mine.first().map(|p| p.next_attempt_at),
                    last_error: mine.first().and_then(|p| p.last_error.as_deref().map(super::redact::published)),
                }
            })
            .collect();
        let failures = self
            .failures
            .iter()
            .map(|f| api::AlertFailure {
                at: f.at,
                target: f.target.clone(),
                ids: f.ids.clone(),
                error: super::redact::published(&f.error),
            })
            .collect();
        api::AlertReport { targets, failures }
    }

    fn record(&mut self, failure: Failure) {
        self.failures.push(failure);
        let excess = self.failures.len().saturating_sub(MAX_FAILURES);
        self.failures.drain(..excess);
    }
}

pub(super) fn hears(target: &AlertTarget, endpoint: &str) -> bool {
    target.endpoints.is_empty() || target.endpoints.iter().any(|e| e == endpoint)
}
