//! Opening a shared link for an incident this browser already holds: the two copies are
//! merged, never overwritten. Checks are united, each field keeps its newer value, and the
//! report says what changed so the user can see it.

use crate::incident::{Event, EventKind, Incident};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Steps checked in the link that were not checked here.
    pub added_checks: usize,
    /// Field keys whose value came from the link.
    pub updated_fields: Vec<String>,
    pub severity: Option<(Option<String>, String)>,
    pub resolution_changed: bool,
    pub added_variables: Vec<String>,
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
        if parts.is_empty() {
            "nothing new: this browser already had everything in the link".to_string()
        } else {
            parts.join(", ")
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Merges `incoming` (from a link) into `local` (this browser's copy of the same incident).
pub fn merge(local: &mut Incident, incoming: &Incident) -> MergeReport {
    let mut report = MergeReport::default();
    // The earlier start wins: moving the start back is what "noticed late" means.
    local.started_at = local.started_at.min(incoming.started_at);
    for (step, &at) in &incoming.checks {
        if !local.checks.contains_key(step) {
            local.checks.insert(*step, at);
            report.added_checks += 1;
        }
    }
    for (key, &at) in &incoming.field_times {
        let local_at = local.field_times.get(key).copied();
        let incoming_value = incoming.fields.get(key);
        if local_at.is_none_or(|local_at| at > local_at) && local.fields.get(key) != incoming_value {
            match incoming_value {
                Some(value) => local.fields.insert(key.clone(), value.clone()),
                None => local.fields.remove(key),
            };
            local.field_times.insert(key.clone(), at);
            report.updated_fields.push(key.clone());
        }
    }
    for (name, value) in &incoming.variables {
        if !local.variables.contains_key(name) {
            local.variables.insert(name.clone(), value.clone());
            report.added_variables.push(name.clone());
        }
    }
    let before = (local.severity.clone(), local.resolved_at);
    for event in &incoming.events {
        // Links carry times to the minute: an event already here within that minute is the same.
        let same_minute = |e: &Event| e.kind == event.kind && e.at.div_euclid(60) == event.at.div_euclid(60);
        if !local.events.iter().any(same_minute) {
            local.events.push(event.clone());
        }
    }
    document::small_sort::sort_by_key(&mut local.events, |e| e.at);
    local.next_update_at = local.next_update_at.max(incoming.next_update_at);
    // Severity and resolution follow the latest event of either copy.
    if let Some(to) = local.events.iter().rev().find_map(|e| match &e.kind {
        EventKind::SeverityChanged { to } => Some(to.clone()),
        _ => None,
    }) {
        local.severity = Some(to);
    }
    match local.events.iter().rev().find(|e| matches!(e.kind, EventKind::Resolved | EventKind::Reopened)) {
        Some(Event { kind: EventKind::Resolved, at }) => {
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
    report
}
