//! Everything the cockpit bar shows at one moment, decided in one place, with the words it
//! shows them in: the view reads a [`Summary`] and draws it.

use crate::clock::stopwatch;
use crate::cockpit::{current_phase, escalation, progress, Escalation, Progress};
use crate::incident::{Incident, Timestamp};
use crate::phases::Window;
use crate::Runbook;

/// The cockpit bar at `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub resolved: bool,
    /// Seconds since the start (until the resolution, once resolved).
    pub elapsed: u64,
    /// The phase the clock says the team should be in; none once resolved.
    pub phase: Option<usize>,
    /// The severity's escalation rule; none once resolved.
    pub escalation: Option<Escalation>,
    pub progress: Progress,
    /// Seconds until the next update is due (negative: overdue); none once resolved.
    pub next_update_in: Option<i64>,
}

pub fn summary(runbook: &Runbook, incident: &Incident, now: Timestamp) -> Summary {
    let resolved = incident.is_resolved();
    Summary {
        resolved,
        elapsed: incident.elapsed(now),
        phase: current_phase(runbook, incident, now).filter(|_| !resolved),
        escalation: escalation(runbook, incident, now).filter(|_| !resolved),
        progress: progress(runbook, incident),
        next_update_in: incident.next_update_at.map(|due| due - now).filter(|_| !resolved),
    }
}

impl Summary {
    pub fn escalation_due(&self) -> bool {
        matches!(self.escalation, Some(Escalation::Due { .. }))
    }

    /// "in 4:59" or "overdue 0:12".
    pub fn next_update_words(&self) -> Option<String> {
        self.next_update_in.map(|remaining| match u64::try_from(remaining) {
            Ok(ahead) => format!("in {}", stopwatch(ahead)),
            Err(_) => format!("overdue {}", stopwatch(remaining.unsigned_abs())),
        })
    }

    pub fn next_update_overdue(&self) -> bool {
        self.next_update_in.is_some_and(|remaining| remaining < 0)
    }
}

impl Escalation {
    /// The label and the text the cockpit shows: ("Escalate now", "All hands"),
    /// ("Escalate", "to All hands in 4:59"), ("Escalate", "to CTO: next standup").
    pub fn words(&self) -> (&'static str, String) {
        match self {
            Escalation::Due { to } => ("Escalate now", to.clone()),
            Escalation::In { to, seconds } => ("Escalate", format!("to {to} in {}", stopwatch(*seconds))),
            Escalation::Unclocked { to, when } => ("Escalate", format!("to {to}: {when}")),
        }
    }
}

impl Window {
    /// "0–5 min", "30+ min".
    pub fn words(&self) -> String {
        match self.end {
            Some(end) => format!("{}–{} min", self.start / 60, end / 60),
            None => format!("{}+ min", self.start / 60),
        }
    }
}
