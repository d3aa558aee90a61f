//! What the incident cockpit shows, derived from a runbook, an incident and the time:
//! progress, the phase the team should be in, escalation countdowns, template values and
//! the post-mortem timeline.

use crate::clock;
use crate::duration::Deadline;
use crate::incident::{EventKind, Incident, Timestamp};
use crate::phases::phase_at;
use crate::templates::{Field, FieldKind};
use crate::Runbook;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

impl Progress {
    pub fn is_complete(&self) -> bool {
        self.total > 0 && self.done == self.total
    }
}

/// Steps checked out of all steps.
pub fn progress(runbook: &Runbook, incident: &Incident) -> Progress {
    let done = runbook.steps.iter().filter(|s| incident.checks.contains_key(&s.id)).count();
    Progress { done, total: runbook.steps.len() }
}

/// Steps checked out of the steps of one phase.
pub fn phase_progress(runbook: &Runbook, incident: &Incident, phase: usize) -> Progress {
    let steps = runbook.steps.iter().filter(|s| s.phase == Some(phase));
    let (done, total) = steps.fold((0, 0), |(d, t), s| (d + incident.checks.contains_key(&s.id) as usize, t + 1));
    Progress { done, total }
}

/// The phase the clock says the team should be in, if the runbook has phases.
pub fn current_phase(runbook: &Runbook, incident: &Incident, now: Timestamp) -> Option<usize> {
    phase_at(&runbook.phases, incident.elapsed(now))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escalation {
    /// Escalation is due now (or overdue): "now: All hands".
    Due { to: String },
    /// Escalate to `to` in `seconds`.
    In { to: String, seconds: u64 },
    /// A deadline the clock cannot count ("Next standup"): shown as written.
    Unclocked { to: String, when: String },
}

/// The escalation rule of the incident's severity, counted from the start.
pub fn escalation(runbook: &Runbook, incident: &Incident, now: Timestamp) -> Option<Escalation> {
    let rule = runbook.severities.escalation_for(incident.severity.as_deref()?)?;
    let to = rule.to.clone();
    Some(match rule.after.seconds() {
        None => Escalation::Unclocked { to, when: rule.after_text.clone() },
        Some(after) => match after.checked_sub(incident.elapsed(now)) {
            Some(seconds) if seconds > 0 => Escalation::In { to, seconds },
            _ => Escalation::Due { to },
        },
    })
}

/// How the cockpit fills fields: the user's value, else one derived from the incident.
pub struct FieldContext<'a> {
    pub incident: &'a Incident,
    pub now: Timestamp,
    pub offset_minutes: i32,
}

impl FieldContext<'_> {
    /// The value typed for this field, if any.
    pub fn typed(&self, field: &Field) -> Option<String> {
        self.incident.fields.get(&field.key).cloned()
    }

    /// The value the clock and incident suggest when nothing is typed.
    pub fn derived(&self, field: &Field) -> Option<String> {
        let incident = self.incident;
        match field.kind {
            FieldKind::Text => None,
            FieldKind::Severity => incident.severity.clone(),
            FieldKind::Date => Some(clock::date(incident.started_at, self.offset_minutes)),
            FieldKind::Time => Some(clock::hh_mm(self.now, self.offset_minutes)),
            FieldKind::NextUpdate => {
                let at = incident.next_update_at.unwrap_or(self.now.saturating_add(DEFAULT_UPDATE_INTERVAL));
                Some(clock::hh_mm(at, self.offset_minutes))
            }
            FieldKind::Duration { clock_format: true } => Some(clock::duration_clock(incident.elapsed(self.now))),
            FieldKind::Duration { clock_format: false } => Some(clock::duration_words(incident.elapsed(self.now))),
        }
    }

    pub fn value(&self, field: &Field) -> Option<String> {
        self.typed(field).or_else(|| self.derived(field))
    }
}

/// Status updates go out every 30 minutes unless the team says otherwise.
pub const DEFAULT_UPDATE_INTERVAL: Timestamp = 30 * 60;

/// The incident's story for the post-mortem: start, checked steps, severity changes,
/// messages sent and resolution, in time order, as `- HH:MM - what happened` lines, with
/// who did it when the incident was worked in a live room (`(by Ana)`).
pub fn timeline(runbook: &Runbook, incident: &Incident, offset_minutes: i32) -> Vec<String> {
    let mut entries: Vec<(Timestamp, u8, String)> =
        vec![(incident.started_at, 0, format!("Incident started ({})", runbook.title))];
    // What the probe saw, when the incident was started from its outage.
    if let Some(probe) = &incident.probe {
        entries.extend(crate::outage::timeline(probe).into_iter().map(|(at, text)| (at, 0, text)));
    }
    for step in &runbook.steps {
        if let Some(&at) = incident.checks.get(&step.id) {
            entries.push((at, 2, by(format!("Done: {}", step.label), incident.checked_by.get(&step.id))));
        }
    }
    for event in &incident.events {
        let order = match &event.kind {
            EventKind::SeverityChanged { .. } => 1,
            EventKind::MessageCopied { .. } => 3,
            EventKind::Resolved | EventKind::Reopened => 4,
        };
        entries.push((event.at, order, by(event.kind.words(), event.by.as_ref())));
    }
    // Times have one-second resolution; within a second the usual order of work decides:
    // start, severity, steps, messages sent, resolution.
    document::small_sort::sort_by_key(&mut entries, |(at, order, _)| (*at, *order));
    entries.into_iter().map(|(at, _, text)| format!("- {} - {text}", clock::hh_mm(at, offset_minutes))).collect()
}

/// What happened, and who did it when a live room named them.
fn by(what: String, who: Option<&String>) -> String {
    match who {
        Some(who) => format!("{what} (by {who})"),
        None => what,
    }
}

/// Whether a response-time deadline for the severity has passed ("Response Time" column).
pub fn response_deadline(runbook: &Runbook, incident: &Incident) -> Option<Timestamp> {
    let level = runbook.severities.level(incident.severity.as_deref()?)?;
    match level.response {
        Deadline::Immediate => Some(incident.started_at),
        Deadline::After(seconds) => {
            Some(incident.started_at.saturating_add(Timestamp::try_from(seconds).unwrap_or(Timestamp::MAX)))
        }
        Deadline::Unclocked(_) => None,
    }
}

/// Checked steps this runbook no longer has (it was edited since they were checked), with
/// when they were checked: listed, never silently dropped.
pub fn orphaned_checks(runbook: &Runbook, incident: &Incident) -> Vec<Timestamp> {
    let mut times: Vec<Timestamp> = incident
        .checks
        .iter()
        .filter(|(id, _)| !runbook.steps.iter().any(|s| s.id == **id))
        .map(|(_, at)| *at)
        .collect();
    document::small_sort::sort_by_key(&mut times, |t| *t);
    times
}
