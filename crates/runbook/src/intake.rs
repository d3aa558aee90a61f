//! Where an incident enters from outside (a share link, before it is merged or saved): it is
//! brought within the incident's limits first, so whatever is saved reads back, every step
//! of the runbook can still be checked and every field still typed, and no text reaches the
//! timeline with line breaks or invisible characters. One rule, applied at each entry.

use std::collections::{BTreeMap, BTreeSet};

use api::outage::is_hidden;

use crate::incident::{limits, Event, EventKind, Incident};
use crate::steps::StepId;
use crate::Runbook;

/// Checked steps a link may bring that the runbook does not have (listed as orphaned).
pub const ORPHANED_CHECKS: usize = 100;
/// Template fields a link may bring that the runbook does not have.
pub const ORPHANED_FIELDS: usize = 16;

/// What was left out to bring an incident within its limits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Checked steps the runbook does not have, past [`ORPHANED_CHECKS`].
    pub checks: usize,
    /// Fields the runbook does not have, past [`ORPHANED_FIELDS`] (or past the limit).
    pub fields: usize,
    /// The oldest events past [`limits::EVENTS`].
    pub events: usize,
    /// Host values for names that are not this runbook's placeholders.
    pub variables: usize,
    /// Template field texts cut to [`limits::FIELD_CHARS`].
    pub cut_fields: usize,
}

impl LeftOut {
    pub fn is_empty(&self) -> bool {
        *self == LeftOut::default()
    }

    /// "Left out of the link: 1900 checked steps this runbook does not have, 3 old timeline
    /// entries." or nothing.
    pub fn words(&self) -> Option<String> {
        let parts: Vec<String> = [
            (self.checks, "checked step this runbook does not have", "checked steps this runbook does not have"),
            (self.fields, "field this runbook does not have", "fields this runbook does not have"),
            (self.events, "old timeline entry", "old timeline entries"),
            (self.variables, "value for no placeholder of this runbook", "values for no placeholder of this runbook"),
            (self.cut_fields, "field text cut to its limit", "field texts cut to their limit"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        (!parts.is_empty()).then(|| format!("Left out of the link: {}.", parts.join(", ")))
    }
}

/// `incident` within its limits, judged against `runbook` when this site has it.
pub fn within_limits(mut incident: Incident, runbook: Option<&Runbook>) -> (Incident, LeftOut) {
    let mut left_out = LeftOut::default();
    // An id is part of the incident's address (`/i/<id>`): letters, digits, `-` and `_` only.
    let id: String = incident.id.chars().filter(|c| c.is_ascii_alphanumeric() || "-_".contains(*c)).take(64).collect();
    incident.id = if id.is_empty() { "shared".to_string() } else { id };
    bound_times(&mut incident);
    incident.runbook = clean(&incident.runbook, limits::NAME_CHARS);
    incident.severity = incident.severity.map(|s| clean(&s, limits::NAME_CHARS)).filter(|s| !s.is_empty());
    left_out.checks = bound_checks(&mut incident.checks, runbook);
    (left_out.fields, left_out.cut_fields) = bound_fields(&mut incident, runbook);
    left_out.variables = bound_variables(&mut incident.variables, runbook);
    left_out.events = bound_events(&mut incident.events);
    // Who did what: names kept only for steps still checked, each cleaned as a name.
    let checks = &incident.checks;
    incident.checked_by = std::mem::take(&mut incident.checked_by)
        .into_iter()
        .filter(|(step, _)| checks.contains_key(step))
        .filter_map(|(step, name)| Some((step, crate::incident::clean_person(&name)?)))
        .collect();
    for event in &mut incident.events {
        event.by = event.by.as_deref().and_then(crate::incident::clean_person);
    }
    if let Some(probe) = &mut incident.probe {
        probe.endpoint = clean(&probe.endpoint, limits::NAME_CHARS);
        probe.cause = clean(&probe.cause, api::outage::WRITTEN_CAUSE_CHARS);
        probe.regions.truncate(api::outage::MAX_REGIONS);
        for region in &mut probe.regions {
            *region = clean(region, limits::NAME_CHARS);
        }
    }
    (incident, left_out)
}

/// A link's checks of steps and its fields the runbook does not have, past the room this
/// browser's copy of the incident leaves ([`ORPHANED_CHECKS`] and [`ORPHANED_FIELDS`] for
/// both together), are left out: merge after merge cannot fill the incident with what the
/// runbook does not hold until no step can be checked or no field typed. How many checks
/// and fields were left out.
pub fn room_beside(incoming: &mut Incident, local: &Incident, runbook: &Runbook) -> (usize, usize) {
    (room_for_checks(incoming, local, runbook), room_for_fields(incoming, local, runbook))
}

fn room_for_fields(incoming: &mut Incident, local: &Incident, runbook: &Runbook) -> usize {
    let known: BTreeSet<String> = runbook.templates.iter().flat_map(|t| t.fields().map(|f| f.key.clone())).collect();
    let held = local.field_times.keys().filter(|key| !known.contains(*key)).count();
    let mut room = ORPHANED_FIELDS.saturating_sub(held);
    let keys: BTreeSet<String> = incoming.fields.keys().chain(incoming.field_times.keys()).cloned().collect();
    let mut dropped = 0;
    for key in keys.into_iter().filter(|key| !known.contains(key) && !local.field_times.contains_key(key)) {
        if room > 0 {
            room -= 1;
        } else {
            incoming.fields.remove(&key);
            incoming.field_times.remove(&key);
            dropped += 1;
        }
    }
    dropped
}

fn room_for_checks(incoming: &mut Incident, local: &Incident, runbook: &Runbook) -> usize {
    let steps: BTreeSet<StepId> = runbook.steps.iter().map(|s| s.id).collect();
    let held = local.checks.keys().filter(|id| !steps.contains(id)).count();
    let mut room = ORPHANED_CHECKS.saturating_sub(held);
    let before = incoming.checks.len();
    incoming.checks.retain(|id, _| {
        if steps.contains(id) || local.checks.contains_key(id) {
            return true;
        }
        let keep = room > 0;
        room = room.saturating_sub(1);
        keep
    });
    before - incoming.checks.len()
}

/// No time before 2000 (a link can write a delta that wraps to the far past, which the saved
/// format would not read back the same): such a time becomes the start, a resolution before
/// the start becomes the start, and a reminder before the start is dropped.
fn bound_times(incident: &mut Incident) {
    const EARLIEST: i64 = 946_684_800;
    let start = incident.started_at.max(EARLIEST);
    incident.started_at = start;
    incident.resolved_at = incident.resolved_at.map(|at| at.max(start));
    incident.next_update_at = incident.next_update_at.filter(|&at| at >= start);
    for at in incident.checks.values_mut().chain(incident.field_times.values_mut()) {
        *at = (*at).max(start);
    }
    for event in &mut incident.events {
        event.at = event.at.max(start);
    }
    // The probe's times may precede the incident (an outage noticed late), not the year 2000.
    if let Some(probe) = &mut incident.probe {
        probe.onset = probe.onset.max(EARLIEST);
        probe.declared = probe.declared.max(probe.onset);
        probe.recovered = probe.recovered.map(|at| at.max(probe.declared));
    }
}

/// Text without line breaks or invisible characters, at most `max` characters.
fn clean(text: &str, max: usize) -> String {
    text.chars().filter(|c| !is_hidden(*c)).take(max).collect()
}

/// Every check of a runbook step stays; of the others, the first [`ORPHANED_CHECKS`].
fn bound_checks(checks: &mut BTreeMap<StepId, i64>, runbook: Option<&Runbook>) -> usize {
    let steps: BTreeSet<StepId> = runbook.map(|r| r.steps.iter().map(|s| s.id).collect()).unwrap_or_default();
    let allowed_orphans = if runbook.is_some() { ORPHANED_CHECKS } else { limits::CHECKS };
    let before = checks.len();
    let mut orphans = 0;
    checks.retain(|id, _| {
        let keep = steps.contains(id) || orphans < allowed_orphans;
        orphans += usize::from(!steps.contains(id) && keep);
        keep
    });
    let mut kept = 0;
    checks.retain(|_, _| {
        kept += 1;
        kept <= limits::CHECKS
    });
    before - checks.len()
}

/// Every field of the runbook stays (cut to its length); of the others, the first
/// [`ORPHANED_FIELDS`], within [`limits::FIELDS`] in all. How many were dropped, and how
/// many cut.
fn bound_fields(incident: &mut Incident, runbook: Option<&Runbook>) -> (usize, usize) {
    let known: BTreeSet<String> = runbook
        .map(|r| r.templates.iter().flat_map(|t| t.fields().map(|f| f.key.clone())).collect())
        .unwrap_or_default();
    let allowed_orphans = if runbook.is_some() { ORPHANED_FIELDS } else { limits::FIELDS };
    let keys: BTreeSet<String> = incident.fields.keys().chain(incident.field_times.keys()).cloned().collect();
    let (mut kept, mut orphans, mut dropped, mut cut) = (0, 0, 0, 0);
    for key in keys {
        let is_known = known.contains(&key);
        let keep = kept < limits::FIELDS
            && (is_known || orphans < allowed_orphans)
            && key.chars().count() <= limits::NAME_CHARS;
        if keep {
            kept += 1;
            orphans += usize::from(!is_known);
            if let Some(value) = incident.fields.get_mut(&key) {
                if let Some((at, _)) = value.char_indices().nth(limits::FIELD_CHARS) {
                    value.truncate(at);
                    cut += 1;
                }
            }
        } else {
            incident.fields.remove(&key);
            incident.field_times.remove(&key);
            dropped += 1;
        }
    }
    (dropped, cut)
}

/// Only values for the runbook's placeholders, within the limits. A value that does not fit
/// its placeholder is kept as the link had it: the hosts panel shows it refused, with the
/// reason, and it never reaches a command (`values::substitute` checks every value). So
/// nothing is taken out of a value that could make a refused one fit: a long one is cut and
/// ends with `…`, which no placeholder takes, and an invisible character shows as U+FFFD,
/// which none takes either.
fn bound_variables(variables: &mut BTreeMap<String, String>, runbook: Option<&Runbook>) -> usize {
    let before = variables.len();
    let is_placeholder = |name: &str| runbook.is_some_and(|r| r.variables.iter().any(|v| v.name == name));
    let kept: BTreeMap<String, String> = std::mem::take(variables)
        .into_iter()
        .filter(|(name, _)| is_placeholder(name))
        .map(|(name, value)| {
            let long = value.chars().count() > crate::values::MAX_VALUE_CHARS;
            let shown = value.chars().take(crate::values::MAX_VALUE_CHARS).chain(long.then_some('…'));
            (name, shown.map(|c| if is_hidden(c) { char::REPLACEMENT_CHARACTER } else { c }).collect())
        })
        .take(limits::VARIABLES)
        .collect();
    *variables = kept;
    before - variables.len()
}

/// In time order, the newest [`limits::EVENTS`], their words cleaned.
fn bound_events(events: &mut Vec<Event>) -> usize {
    document::small_sort::sort_by_key(events, |e| e.at);
    let excess = events.len().saturating_sub(limits::EVENTS);
    events.drain(..excess);
    for event in events.iter_mut() {
        match &mut event.kind {
            EventKind::SeverityChanged { to } => *to = clean(to, limits::NAME_CHARS),
            EventKind::MessageCopied { template } => *template = clean(template, limits::NAME_CHARS),
            EventKind::Resolved | EventKind::Reopened => {}
        }
    }
    excess
}
