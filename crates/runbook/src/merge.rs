//! Opening a shared link for an incident this browser already holds: the two copies are
//! merged, never overwritten, and only once the user has seen what the link would change
//! ([`preview`]). Checks are united, each field keeps its newer value. A link for another
//! runbook never merges, and one with times from the future is refused.

use crate::clock;
use crate::incident::{limits, Event, EventKind, Incident, Timestamp};

/// How far ahead of this browser's clock a link's times may be (clock skew).
pub const CLOCK_SKEW: Timestamp = 5 * 60;

/// Why a link is not merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeRefusal {
    /// The link's incident ran another runbook, though its id matches.
    OtherRunbook { here: String, link: String },
    /// The link holds a time later than now (beyond clock skew).
    FromTheFuture { at: Timestamp },
}

/// How far ahead a next-update reminder may be: a reminder later than this is not one a
/// person set during an incident.
pub const REMINDER_HORIZON: Timestamp = 24 * 3600;

/// A link whose times lie in the future (beyond [`CLOCK_SKEW`]) is refused, merged or not;
/// its next-update reminder, which is in the future by nature, may be up to
/// [`REMINDER_HORIZON`] ahead.
pub fn check_times(incoming: &Incident, now: Timestamp) -> Result<(), MergeRefusal> {
    let latest = now.saturating_add(CLOCK_SKEW);
    let reminder = incoming.next_update_at.filter(|&at| at > latest.saturating_add(REMINDER_HORIZON));
    match incoming.time_after(latest).into_iter().chain(reminder).min() {
        Some(at) => Err(MergeRefusal::FromTheFuture { at }),
        None => Ok(()),
    }
}

/// What merging `incoming` into `local` would change, without changing anything.
pub fn preview(local: &Incident, incoming: &Incident, now: Timestamp) -> Result<MergeReport, MergeRefusal> {
    let mut copy = local.clone();
    merge(&mut copy, incoming, now)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Steps checked in the link that were not checked here.
    pub added_checks: usize,
    /// Field keys whose value came from the link.
    pub updated_fields: Vec<String>,
    pub severity: Option<(Option<String>, String)>,
    pub resolution_changed: bool,
    pub added_variables: Vec<String>,
    /// `(before, after)` when the link moves the start earlier.
    pub start_moved: Option<(Timestamp, Timestamp)>,
    /// The endpoint whose outage (or its recovery) came from the link.
    pub probe_from_link: Option<String>,
    /// Timeline entries the link adds: they reach the post-mortem.
    pub added_events: Vec<Event>,
    /// `(before, after)` when the link moves the next-update reminder.
    pub next_update_moved: Option<(Option<Timestamp>, Timestamp)>,
    /// Of `added_checks`, the steps this runbook does not have (kept, listed as orphaned).
    pub not_in_runbook: usize,
    /// This copy's oldest timeline entries the link's push out (the timeline holds
    /// `limits::EVENTS`).
    pub events_dropped: usize,
}

impl MergeReport {
    pub fn is_empty(&self) -> bool {
        *self == MergeReport::default()
    }

    /// "2 steps checked, 1 field updated (brief description), severity SEV1 (was SEV2)".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.added_checks > 0 {
            parts.push(plural(self.added_checks, "step checked", "steps checked"));
        }
        if !self.updated_fields.is_empty() {
            let what = plural(self.updated_fields.len(), "field updated", "fields updated");
            parts.push(format!("{what} ({})", self.updated_fields.join(", ")));
        }
        if let Some((before, after)) = &self.severity {
            parts.push(match before {
                Some(before) => format!("severity {after} (was {before})"),
                None => format!("severity {after}"),
            });
        }
        if self.resolution_changed {
            parts.push("resolution state updated".to_string());
        }
        if !self.added_variables.is_empty() {
            parts.push(format!("hosts added ({})", self.added_variables.join(", ")));
        }
        if self.start_moved.is_some() {
            parts.push("start moved earlier".to_string());
        }
        if let Some(endpoint) = &self.probe_from_link {
            parts.push(format!("the probe's news of {endpoint}"));
        }
        if parts.is_empty() {
            "nothing new: this browser already had everything in the link".to_string()
        } else {
            parts.join(", ")
        }
    }
}

impl MergeReport {
    /// What the merge would do, one line each, for the preview shown before it is done;
    /// times in the reader's `offset_minutes` from UTC.
    pub fn changes(&self, offset_minutes: i32) -> Vec<String> {
        let mut lines = Vec::new();
        let steps = self.added_checks - self.not_in_runbook.min(self.added_checks);
        if steps > 0 {
            lines.push(format!("check {}", plural(steps, "more step", "more steps")));
        }
        if !self.updated_fields.is_empty() {
            lines.push(format!("change template fields: {}", self.updated_fields.join(", ")));
        }
        if let Some((before, after)) = &self.severity {
            lines.push(match before {
                Some(before) => format!("set severity to {after} (now {before})"),
                None => format!("set severity to {after}"),
            });
        }
        if self.resolution_changed {
            lines.push("change whether and when the incident was resolved".to_string());
        }
        if let Some((before, after)) = self.start_moved {
            let when =
                |at: Timestamp| format!("{} {}", clock::date(at, offset_minutes), clock::hh_mm(at, offset_minutes));
            lines.push(format!("move the start to {} (now {})", when(after), when(before)));
        }
        if !self.added_variables.is_empty() {
            lines.push(format!("add host values: {}", self.added_variables.join(", ")));
        }
        if let Some(endpoint) = &self.probe_from_link {
            lines.push(format!("add the probe's outage of {endpoint} (or its recovery), which the incident follows"));
        }
        if let Some((_, after)) = self.next_update_moved {
            let when = format!("{} {}", clock::date(after, offset_minutes), clock::hh_mm(after, offset_minutes));
            lines.push(format!("set the next update reminder to {when}"));
        }
        // Each entry the post-mortem will show, but for a severity the line above already says
        // (a resolution or reopening is always listed with its time: the line above says
        // only that the state changes).
        for event in &self.added_events {
            let said = match &event.kind {
                EventKind::SeverityChanged { to } => self.severity.as_ref().is_some_and(|(_, after)| after == to),
                EventKind::Resolved | EventKind::Reopened | EventKind::MessageCopied { .. } => false,
            };
            if !said {
                lines.push(format!(
                    "add to the timeline at {}: {}",
                    clock::hh_mm(event.at, offset_minutes),
                    event.kind.words()
                ));
            }
        }
        if self.events_dropped > 0 {
            lines.push(format!(
                "drop this copy's {} to make room (the timeline holds {})",
                plural(self.events_dropped, "oldest timeline entry", "oldest timeline entries"),
                limits::EVENTS
            ));
        }
        if self.not_in_runbook > 0 {
            lines.push(format!(
                "keep {} this runbook does not have (listed as orphaned, never placed on another step)",
                plural(self.not_in_runbook, "checked step", "checked steps")
            ));
        }
        lines
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Merges `incoming` (from a link) into `local` (this browser's copy of the same incident),
/// within the incident's limits.
pub fn merge(local: &mut Incident, incoming: &Incident, now: Timestamp) -> Result<MergeReport, MergeRefusal> {
    if local.runbook != incoming.runbook {
        return Err(MergeRefusal::OtherRunbook { here: local.runbook.clone(), link: incoming.runbook.clone() });
    }
    check_times(incoming, now)?;
    let mut report = MergeReport::default();
    // The earlier start wins: moving the start back is what "noticed late" means.
    if incoming.started_at < local.started_at {
        report.start_moved = Some((local.started_at, incoming.started_at));
        local.started_at = incoming.started_at;
    }
    for (step, &at) in &incoming.checks {
        if !local.checks.contains_key(step) && local.checks.len() < limits::CHECKS {
            local.checks.insert(*step, at);
            if let Some(by) = incoming.checked_by.get(step) {
                local.checked_by.insert(*step, by.clone());
            }
            report.added_checks += 1;
        }
    }
    for (key, &at) in &incoming.field_times {
        let local_at = local.field_times.get(key).copied();
        let incoming_value = incoming.fields.get(key);
        let newer = local_at.is_none_or(|local_at| at > local_at) && local.fields.get(key) != incoming_value;
        if newer && local.set_field(key, incoming_value.map_or("", String::as_str), at) {
            report.updated_fields.push(key.clone());
        }
    }
    for (name, value) in &incoming.variables {
        if !local.variables.contains_key(name) && local.set_variable(name, value) {
            report.added_variables.push(name.clone());
        }
    }
    // The probe's outage: taken when this copy has none, and a recovery it has not heard of.
    match (&mut local.probe, &incoming.probe) {
        (None, Some(outage)) => {
            local.probe = Some(outage.clone());
            report.probe_from_link = Some(outage.endpoint.clone());
        }
        (Some(mine), Some(theirs)) if mine.endpoint == theirs.endpoint && mine.recovered.is_none() => {
            // (Its time is not in the future: `check_times` refused that above.)
            if let Some(at) = theirs.recovered {
                mine.recovered = Some(at);
                report.probe_from_link = Some(mine.endpoint.clone());
            }
        }
        _ => {}
    }
    let before = (local.severity.clone(), local.resolved_at);
    let held_events = local.events.clone();
    for event in &incoming.events {
        // Links carry times to the minute: an event already here within that minute is the same.
        let same_minute = |e: &Event| e.kind == event.kind && e.at.div_euclid(60) == event.at.div_euclid(60);
        if !local.events.iter().any(same_minute) {
            local.events.push(event.clone());
            report.added_events.push(event.clone());
        }
    }
    document::small_sort::sort_by_key(&mut local.events, |e| e.at);
    let excess = local.events.len().saturating_sub(limits::EVENTS);
    let dropped: Vec<Event> = local.events.drain(..excess).collect();
    // What the timeline's limit pushed out: the link's own entries are then not added after
    // all, and this copy's are named as lost (also one the link holds too: it is gone).
    report.added_events.retain(|e| !dropped.contains(e));
    report.events_dropped = dropped.iter().filter(|e| held_events.contains(e)).count();
    let next_update = local.next_update_at.max(incoming.next_update_at);
    if next_update != local.next_update_at {
        report.next_update_moved = next_update.map(|after| (local.next_update_at, after));
        local.next_update_at = next_update;
    }
    // Severity and resolution follow the latest event of either copy.
    if let Some(to) = local.events.iter().rev().find_map(|e| match &e.kind {
        EventKind::SeverityChanged { to } if !to.trim().is_empty() => Some(to.clone()),
        _ => None,
    }) {
        local.severity = Some(to);
    }
    match local.events.iter().rev().find(|e| matches!(e.kind, EventKind::Resolved | EventKind::Reopened)) {
        Some(Event { kind: EventKind::Resolved, at, .. }) => {
            let resolved = [local.resolved_at, incoming.resolved_at].into_iter().flatten().max().unwrap_or(*at);
            local.resolved_at = Some(resolved);
        }
        Some(_) => local.resolved_at = None,
        None => {}
    }
    if local.severity != before.0 {
        if let Some(after) = &local.severity {
            report.severity = Some((before.0, after.clone()));
        }
    }
    report.resolution_changed = local.resolved_at != before.1;
    Ok(report)
}
