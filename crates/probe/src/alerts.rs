//! Alerts without storms: one message per declared change of state per target, kept in a
//! persisted outbox until delivered, retried with backoff, in order, never twice once
//! delivered, and held back during maintenance.

use serde::{Deserialize, Serialize};
use serde_json::json;

use api::State;
use config::{AlertKind, AlertTarget, Config};

use crate::consensus::Transition;

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub endpoint: String,
    pub from: State,
    pub to: State,
    /// When the new state was first observed.
    pub since: i64,
    pub regions: Vec<String>,
    pub cause: String,
    pub status_page: Option<String>,
    pub runbook: Option<String>,
}

impl Alert {
    pub fn headline(&self) -> String {
        match self.to {
            State::Up => format!("{} recovered (was {})", self.endpoint, self.from.label()),
            State::Degraded => format!("{} is slow", self.endpoint),
            State::Regional => format!("{} is failing in {}", self.endpoint, self.regions.join(", ")),
            State::Down => format!("{} is down", self.endpoint),
        }
    }

    fn details(&self) -> String {
        let mut lines = vec![format!("State: {} since {} UTC", self.to.label(), crate::page::clock(self.since))];
        if self.to != State::Up {
            if !self.regions.is_empty() {
                lines.push(format!("Failing in: {}", self.regions.join(", ")));
            }
            lines.push(format!("Cause: {}", self.cause));
        }
        if let Some(runbook) = &self.runbook {
            lines.push(format!("Runbook: {runbook}"));
        }
        if let Some(page) = &self.status_page {
            lines.push(format!("Status: {page}"));
        }
        lines.join("\n")
    }
}

/// The request body for a target, in the shape it expects.
pub fn payload(kind: AlertKind, alert: &Alert, id: u64) -> String {
    let value = match kind {
        AlertKind::Slack => json!({
            "text": format!("{}\n{}", alert.headline(), alert.details()),
            "blocks": [
                { "type": "header", "text": { "type": "plain_text", "text": alert.headline() } },
                { "type": "section", "text": { "type": "mrkdwn", "text": alert.details() } }
            ]
        }),
        AlertKind::Discord => json!({
            "content": alert.headline(),
            "embeds": [{ "title": alert.headline(), "description": alert.details(), "color": colour(alert.to) }]
        }),
        // `id` lets a receiver drop a message it already has.
        AlertKind::Webhook => json!({
            "type": "outpost.state_change",
            "id": id,
            "endpoint": alert.endpoint,
            "from": alert.from,
            "to": alert.to,
            "since": alert.since,
            "regions": alert.regions,
            "cause": alert.cause,
            "status_page": alert.status_page,
            "runbook": alert.runbook,
        }),
    };
    value.to_string()
}

fn colour(state: State) -> u32 {
    match state {
        State::Up => 0x1f7a4d,
        State::Degraded => 0xa37f00,
        State::Regional => 0xd26a00,
        State::Down => 0xc4320a,
    }
}

/// Messages waiting to be delivered, oldest first. Saved with the monitor's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    pub pending: Vec<Pending>,
    pub next_id: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub id: u64,
    /// Index of the target in the config's `[[alert]]` list.
    pub target: usize,
    pub body: String,
    pub created_at: i64,
    pub attempts: u32,
    /// The tick from which it may be tried again (ticks are a minute apart when deployed).
    pub next_attempt_tick: u64,
    pub last_error: Option<String>,
}

/// Ticks to wait after the n-th failed attempt: 1, 1, 2, 4, 8, 16, then every 30.
pub fn backoff(attempts: u32) -> u64 {
    const SCHEDULE: [u64; 6] = [1, 1, 2, 4, 8, 16];
    SCHEDULE.get(attempts.saturating_sub(1) as usize).copied().unwrap_or(30)
}

impl Outbox {
    /// Queues one message per target that hears about this endpoint, unless the endpoint is
    /// under maintenance.
    pub fn announce(&mut self, config: &Config, transition: &Transition, alert: &Alert, now: i64, tick: u64) -> usize {
        if config.maintenance_of(&alert.endpoint, transition.since).is_some() {
            return 0;
        }
        let mut queued = 0;
        for (index, target) in config.alerts.iter().enumerate() {
            if hears(target, &alert.endpoint) {
                self.next_id += 1;
                self.pending.push(Pending {
                    id: self.next_id,
                    target: index,
                    body: payload(target.kind, alert, self.next_id),
                    created_at: now,
                    attempts: 0,
                    next_attempt_tick: tick,
                    last_error: None,
                });
                queued += 1;
            }
        }
        queued
    }

    /// The next message to send to `target` now, if its turn has come. Only the oldest
    /// message of a target is ever sent, so they arrive in order.
    pub fn next_for(&self, target: usize, tick: u64) -> Option<&Pending> {
        self.pending.iter().find(|p| p.target == target).filter(|p| p.next_attempt_tick <= tick)
    }

    pub fn delivered(&mut self, id: u64) {
        self.pending.retain(|p| p.id != id);
    }

    pub fn failed(&mut self, id: u64, tick: u64, error: &str) {
        if let Some(pending) = self.pending.iter_mut().find(|p| p.id == id) {
            pending.attempts += 1;
            pending.next_attempt_tick = tick + backoff(pending.attempts);
            pending.last_error = Some(error.chars().take(200).collect());
        }
    }

    /// Drops messages older than their target allows (or whose target is gone), returning
    /// them for a log line.
    pub fn expire(&mut self, config: &Config, now: i64) -> Vec<Pending> {
        let (keep, dropped) = std::mem::take(&mut self.pending).into_iter().partition(|p| {
            config.alerts.get(p.target).is_some_and(|t| now - p.created_at <= i64::from(t.max_age_minutes) * 60)
        });
        self.pending = keep;
        dropped
    }
}

fn hears(target: &AlertTarget, endpoint: &str) -> bool {
    target.endpoints.is_empty() || target.endpoints.iter().any(|e| e == endpoint)
}
