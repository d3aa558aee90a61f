//! What the site decides when someone acts, one named function each; the views only connect
//! these to signals and draw what they return. Starting an incident (from a runbook, from the
//! probe's outage), reading an outage link, and what opening a shared link comes to.
//! Checking a value is [`crate::Runbook::check_value`]; following the probe is
//! [`crate::outage::follow`]; merging is [`crate::merge`].

use std::collections::BTreeMap;

use api::outage::{OutageError, OutageLink};

use crate::clock;
use crate::cockpit::DEFAULT_UPDATE_INTERVAL;
use crate::incident::{Incident, Timestamp};
use crate::merge::{check_times, preview, MergeRefusal, MergeReport, CLOCK_SKEW};
use crate::outage::{incident_from_outage, is_from};
use crate::templates::{Field, FieldKind, Template};
use crate::values::{clean, ValueError};
use crate::Runbook;

/// A new incident's id from a random number in `[0, 1)`: eight base-36 digits, short enough
/// to read out on a call. Out-of-range numbers are clamped, never a panic.
pub fn incident_id(random_unit: f64) -> String {
    let space = 36f64.powi(8);
    let mut rest = (random_unit.clamp(0.0, 1.0) * space).min(space - 1.0) as u64;
    let mut id = String::with_capacity(8);
    for _ in 0..8 {
        id.push(char::from_digit((rest % 36) as u32, 36).unwrap_or('0'));
        rest /= 36;
    }
    id
}

/// A new incident on `runbook`, started now, with the offered host values that fit their
/// placeholders (the hosts panel says why the others did not).
pub fn start(runbook: &Runbook, id: String, now: Timestamp, values: &BTreeMap<String, String>) -> Incident {
    let mut incident = Incident::new(id, runbook.slug.clone(), now);
    runbook.set_checked_values(&mut incident, values);
    incident
}

/// The incident `incidents` already holds for this outage on this runbook: a second click on
/// the same alert opens it rather than starting another.
pub fn incident_for_outage<'a>(
    incidents: &'a [Incident],
    runbook: &Runbook,
    outage: &OutageLink,
) -> Option<&'a Incident> {
    incidents.iter().find(|i| i.runbook == runbook.slug && is_from(i, outage))
}

/// A new incident from the probe's outage: started at its onset, with the severity the
/// runbook suggests, and the offered host values that fit.
pub fn start_from_outage(
    runbook: &Runbook,
    id: String,
    outage: &OutageLink,
    values: &BTreeMap<String, String>,
) -> Incident {
    let mut incident = incident_from_outage(runbook, id, outage);
    runbook.set_checked_values(&mut incident, values);
    incident
}

/// Why an outage link is not offered as the start of an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutageLinkRefusal {
    Unreadable(OutageError),
    /// The site's probe has no endpoint by this name.
    UnknownEndpoint(String),
    /// The outage began, or was declared, later than now (beyond clock skew).
    FromTheFuture,
}

impl std::fmt::Display for OutageLinkRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutageLinkRefusal::Unreadable(error) => write!(f, "{error}"),
            OutageLinkRefusal::UnknownEndpoint(name) => write!(f, "this site's probe has no endpoint named {name:?}"),
            OutageLinkRefusal::FromTheFuture => {
                write!(f, "it says the outage began in the future (or was declared then)")
            }
        }
    }
}

/// The outage of a link's `?outage=` value, if it keeps the link rules, names an endpoint of
/// this site's probe (when the site knows them) and did not begin in the future.
pub fn read_outage_link(
    value: &str,
    now: Timestamp,
    known_endpoints: Option<&[String]>,
) -> Result<OutageLink, OutageLinkRefusal> {
    let outage = OutageLink::parse(value).map_err(OutageLinkRefusal::Unreadable)?;
    if known_endpoints.is_some_and(|known| !known.contains(&outage.endpoint)) {
        return Err(OutageLinkRefusal::UnknownEndpoint(outage.endpoint));
    }
    // The declaration is at or after the onset: checking it covers both.
    if outage.declared > now.saturating_add(CLOCK_SKEW) {
        return Err(OutageLinkRefusal::FromTheFuture);
    }
    Ok(outage)
}

/// What opening a shared link's incident comes to, given this browser's copy of the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arrival {
    /// This browser has no such incident: save it and open it.
    New,
    /// This browser already has everything in the link: open its copy.
    NothingNew,
    /// The link would change this browser's copy: show what, and let the user choose.
    Choose(MergeReport),
    /// This browser's incident with this id runs another runbook: never merged.
    OtherRunbook { here: String },
    /// The link holds a time later than now: refused.
    FromTheFuture { at: Timestamp },
}

/// `incoming` should be within its limits already ([`crate::intake::within_limits`]);
/// `runbook` tells the steps it has from the ones it lost.
pub fn arrival(local: Option<&Incident>, incoming: &Incident, runbook: Option<&Runbook>, now: Timestamp) -> Arrival {
    if let Err(MergeRefusal::FromTheFuture { at }) = check_times(incoming, now) {
        return Arrival::FromTheFuture { at };
    }
    let Some(local) = local else { return Arrival::New };
    match preview(local, incoming, now) {
        Ok(report) if report.is_empty() => Arrival::NothingNew,
        Ok(mut report) => {
            let has = |id: &crate::steps::StepId| runbook.is_some_and(|r| r.steps.iter().any(|s| s.id == *id));
            report.not_in_runbook =
                incoming.checks.keys().filter(|id| !local.checks.contains_key(id) && !has(id)).count();
            Arrival::Choose(report)
        }
        Err(MergeRefusal::OtherRunbook { here, .. }) => Arrival::OtherRunbook { here },
        Err(MergeRefusal::FromTheFuture { at }) => Arrival::FromTheFuture { at },
    }
}

/// The link's incident under a new id, so this browser's copy stays as it is.
pub fn separate_copy(incoming: &Incident, id: String) -> Incident {
    Incident { id, ..incoming.clone() }
}

/// What to add to a notice when a link named checked steps the runbook no longer has.
pub fn orphans_note(orphaned: usize) -> String {
    match orphaned {
        0 => String::new(),
        1 => " One checked step in the link is no longer in this runbook.".to_string(),
        n => format!(" {n} checked steps in the link are no longer in this runbook."),
    }
}

/// A message copied from `template` at `at`: in the timeline, and when the template names
/// the next update, its reminder set (the typed time, else the usual interval from now).
pub fn message_copied(incident: &mut Incident, template: &Template, at: Timestamp, offset_minutes: i32) {
    incident.record_copy(&template.title, at);
    if let Some(field) = template.fields().find(|f| f.kind == FieldKind::NextUpdate) {
        let typed = incident.fields.get(&field.key).cloned();
        let due = typed
            .and_then(|text| clock::next_time_of_day(&text, at, offset_minutes))
            .unwrap_or(at + DEFAULT_UPDATE_INTERVAL);
        incident.next_update_at = Some(due);
    }
}

/// A template field typed at `at`: saved (`false` when the incident holds as many fields as
/// it can), and a next-update time read as the reminder.
pub fn type_field(incident: &mut Incident, field: &Field, value: &str, at: Timestamp, offset_minutes: i32) -> bool {
    let saved = incident.set_field(&field.key, value, at);
    if saved && field.kind == FieldKind::NextUpdate {
        if let Some(due) = clock::next_time_of_day(value, at, offset_minutes) {
            incident.next_update_at = Some(due);
        }
    }
    saved
}

/// Why a host value is not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetValueRefusal {
    Refused(ValueError),
    /// The incident holds as many host values as it can.
    Full,
}

impl std::fmt::Display for SetValueRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetValueRefusal::Refused(error) => write!(f, "{error}"),
            SetValueRefusal::Full => write!(f, "this incident holds as many host values as it can"),
        }
    }
}

/// A host value typed or pasted, made one line and checked against its placeholder: the
/// value to keep (empty to unset), or why not.
pub fn checked_value(runbook: &Runbook, name: &str, typed: &str) -> Result<String, SetValueRefusal> {
    runbook.check_value(name, &clean(typed)).map_err(SetValueRefusal::Refused)
}

/// Sets a checked host value on `incident`.
pub fn set_incident_value(incident: &mut Incident, name: &str, value: &str) -> Result<(), SetValueRefusal> {
    if incident.set_variable(name, value) {
        Ok(())
    } else {
        Err(SetValueRefusal::Full)
    }
}

/// Whether two outage links name one outage (one endpoint, one onset): the live one is not
/// offered again beside the one a link brought.
pub fn same_outage(a: &OutageLink, b: &OutageLink) -> bool {
    a.endpoint == b.endpoint && a.onset == b.onset
}

/// A shared link's incident as this browser takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// Within its limits (`intake::within_limits`): what is saved reads back.
    pub incident: Incident,
    pub left_out: crate::intake::LeftOut,
    /// Its checks of steps the runbook does not have (listed, never placed).
    pub orphaned: usize,
    pub arrival: Arrival,
}

/// Takes a shared link's incident: brought within its limits before anything is saved or
/// compared, then what opening it comes to beside this browser's copy of the same id
/// (`held` looks it up, by the id as it will be saved).
pub fn receive(
    incoming: Incident,
    runbook: Option<&Runbook>,
    held: &dyn Fn(&str) -> Option<Incident>,
    now: Timestamp,
) -> Received {
    let (mut incident, mut left_out) = crate::intake::within_limits(incoming, runbook);
    let local = held(&incident.id);
    if let (Some(local), Some(runbook)) = (&local, runbook) {
        let (checks, fields) = crate::intake::room_beside(&mut incident, local, runbook);
        left_out.checks += checks;
        left_out.fields += fields;
    }
    let orphaned = runbook.map_or(0, |r| crate::cockpit::orphaned_checks(r, &incident).len());
    let arrival = arrival(local.as_ref(), &incident, runbook, now);
    Received { incident, left_out, orphaned, arrival }
}

/// How many resolved incidents the home page lists under the open ones.
pub const RECENT_RESOLVED: usize = 5;

/// The home page's incidents: every open one, then the last few resolved (`incidents` is
/// newest first).
pub fn home_incidents(incidents: &[Incident]) -> (Vec<Incident>, Vec<Incident>) {
    let open = incidents.iter().filter(|i| !i.is_resolved()).cloned().collect();
    let recent = incidents.iter().filter(|i| i.is_resolved()).take(RECENT_RESOLVED).cloned().collect();
    (open, recent)
}

/// Incidents still open on `runbook`: its page offers to continue them, so nobody starts a
/// second by mistake.
pub fn open_on<'a>(incidents: &'a [Incident], runbook: &Runbook) -> Vec<&'a Incident> {
    incidents.iter().filter(|i| i.runbook == runbook.slug && !i.is_resolved()).collect()
}

/// An incident's clock in words: "12:34" while it runs, "resolved after 1h 02m" once done.
pub fn clock_words(incident: &Incident, now: Timestamp) -> String {
    let seconds = incident.elapsed(now);
    if incident.is_resolved() {
        format!("resolved after {}", clock::duration_words(seconds))
    } else {
        clock::stopwatch(seconds)
    }
}
