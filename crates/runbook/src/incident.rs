//! An incident: one run of a runbook. Pure state and the rules that change it; the app saves
//! it, the clock is passed in.

use std::collections::BTreeMap;

use crate::steps::StepId;

/// Unix time in seconds.
pub type Timestamp = i64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: String,
    /// The runbook's slug.
    pub runbook: String,
    pub started_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub severity: Option<String>,
    /// Checked steps and when they were checked.
    pub checks: BTreeMap<StepId, Timestamp>,
    /// Template field values the user typed, by field key. Derived values are not stored.
    pub fields: BTreeMap<String, String>,
    /// When each field was last edited: merging two copies keeps the newer value.
    pub field_times: BTreeMap<String, Timestamp>,
    /// Non-secret variable values for this incident (`EC2_HOST`).
    pub variables: BTreeMap<String, String>,
    pub events: Vec<Event>,
    /// When the next status update is due, from `NEXT UPDATE: [Time]`.
    pub next_update_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: Timestamp,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    SeverityChanged { to: String },
    MessageCopied { template: String },
    Resolved,
    Reopened,
}

impl Incident {
    pub fn new(id: impl Into<String>, runbook: impl Into<String>, started_at: Timestamp) -> Incident {
        Incident {
            id: id.into(),
            runbook: runbook.into(),
            started_at,
            resolved_at: None,
            severity: None,
            checks: BTreeMap::new(),
            fields: BTreeMap::new(),
            field_times: BTreeMap::new(),
            variables: BTreeMap::new(),
            events: Vec::new(),
            next_update_at: None,
        }
    }

    pub fn is_resolved(&self) -> bool {
        self.resolved_at.is_some()
    }

    /// Seconds since the start; stops at resolution. Never negative.
    pub fn elapsed(&self, now: Timestamp) -> u64 {
        let end = self.resolved_at.unwrap_or(now);
        end.saturating_sub(self.started_at).max(0) as u64
    }

    pub fn toggle_step(&mut self, step: StepId, now: Timestamp) {
        if self.checks.remove(&step).is_none() {
            self.checks.insert(step, now);
        }
    }

    pub fn set_severity(&mut self, level: &str, now: Timestamp) {
        if self.severity.as_deref() == Some(level) {
            return;
        }
        self.severity = Some(level.to_string());
        self.events.push(Event { at: now, kind: EventKind::SeverityChanged { to: level.to_string() } });
    }

    pub fn resolve(&mut self, now: Timestamp) {
        if self.resolved_at.is_none() {
            self.resolved_at = Some(now.max(self.started_at));
            self.events.push(Event { at: now, kind: EventKind::Resolved });
        }
    }

    pub fn reopen(&mut self, now: Timestamp) {
        if self.resolved_at.take().is_some() {
            self.events.push(Event { at: now, kind: EventKind::Reopened });
        }
    }

    pub fn record_copy(&mut self, template: &str, now: Timestamp) {
        self.events.push(Event { at: now, kind: EventKind::MessageCopied { template: template.to_string() } });
    }

    /// Moves the start (an incident noticed late). A start after the resolution is refused.
    pub fn set_start(&mut self, at: Timestamp) -> bool {
        if self.resolved_at.is_some_and(|resolved| at > resolved) {
            return false;
        }
        self.started_at = at;
        true
    }

    /// An emptied field keeps its edit time, so a merge knows the emptying is newer.
    pub fn set_field(&mut self, key: &str, value: &str, now: Timestamp) {
        if value.is_empty() {
            self.fields.remove(key);
        } else {
            self.fields.insert(key.to_string(), value.to_string());
        }
        self.field_times.insert(key.to_string(), now);
    }
}
