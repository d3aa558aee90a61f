//! An incident started from an outage the edge probe declared (a link from an alert or the
//! status page): it starts when the outage began, at a severity the runbook's own table
//! suggests, and follows the probe from then on.

use api::outage::{OutageLink, OutageState};

use crate::clock::moment;
use crate::incident::{Incident, ProbeOutage, Timestamp};
use crate::severity::Severities;
use crate::Runbook;

/// The level the runbook's severity table gives an outage: down is the level that says the
/// service is down for all users (else the most severe), regional the next one, degraded the
/// one after. `None` for a runbook without a severity table.
pub fn suggested_severity(severities: &Severities, state: OutageState) -> Option<&str> {
    let levels = &severities.levels;
    let down = levels
        .iter()
        .position(|level| {
            let text = format!("{} {}", level.definition, level.examples).to_lowercase();
            ["all users", "service down", "complete outage", "outage"].iter().any(|w| text.contains(w))
        })
        .unwrap_or(0);
    let steps = match state {
        OutageState::Down => 0,
        OutageState::Regional => 1,
        OutageState::Degraded => 2,
    };
    levels.get((down + steps).min(levels.len().checked_sub(1)?)).map(|level| level.key.as_str())
}

/// A new incident for `outage`: started at its onset, with the suggested severity set when
/// the probe declared it, and the outage kept for the cockpit and the post-mortem. Host
/// values are the caller's to check and set, as for any link.
pub fn incident_from_outage(runbook: &Runbook, id: impl Into<String>, outage: &OutageLink) -> Incident {
    let mut incident = Incident::new(id, runbook.slug.clone(), outage.onset);
    if let Some(level) = suggested_severity(&runbook.severities, outage.state) {
        incident.set_severity(level, outage.declared);
    }
    incident.probe = Some(ProbeOutage {
        endpoint: outage.endpoint.clone(),
        state: outage.state.state(),
        onset: outage.onset,
        declared: outage.declared,
        regions: outage.regions.clone(),
        cause: outage.cause.clone(),
        recovered: None,
    });
    incident
}

/// What the probe's latest word on an incident's endpoint changes in the incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Follow {
    /// Declared up again since the outage began, and not yet noted: at this time.
    Recovered { at: Timestamp },
    /// Worse than the incident holds (a worse state, or more regions failing).
    Worsened { state: api::State, regions: Vec<String> },
}

/// How old the probe's news may be and still be written into an incident: older news is
/// shown with its age, never recorded as what happened.
pub const FOLLOW_MAX_AGE: Timestamp = 120;

/// What `report`, read at `read_at`, changes in the outage `probe` an incident follows:
/// nothing when it is older than [`FOLLOW_MAX_AGE`] or the probe had stopped checking.
pub fn follow_report(
    probe: &ProbeOutage,
    report: &api::StatusReport,
    read_at: Timestamp,
    now: Timestamp,
) -> Option<Follow> {
    let as_of = report.checked_at.unwrap_or(read_at).min(read_at);
    if report.stale_since.is_some() || now.saturating_sub(as_of) > FOLLOW_MAX_AGE {
        return None;
    }
    follow(probe, report.endpoints.iter().find(|e| e.name == probe.endpoint)?)
}

/// What `status`, the probe's latest on the endpoint `probe` follows, changes, if anything.
pub fn follow(probe: &ProbeOutage, status: &api::EndpointStatus) -> Option<Follow> {
    if status.state == api::State::Up {
        return (probe.recovered.is_none() && status.since >= probe.onset)
            .then_some(Follow::Recovered { at: status.since });
    }
    let outage = status.outage()?;
    let spread = outage.regions.iter().any(|r| !probe.regions.contains(r));
    (status.state > probe.state || spread).then_some(Follow::Worsened { state: status.state, regions: outage.regions })
}

/// Whether `incident` was started from this outage (the same endpoint and onset): a second
/// click on the same alert opens it instead of starting another.
pub fn is_from(incident: &Incident, outage: &OutageLink) -> bool {
    incident.probe.as_ref().is_some_and(|p| p.endpoint == outage.endpoint && p.onset == outage.onset)
}

/// What the timeline says of the probe's outage: `(time, text)`, oldest first.
pub fn timeline(probe: &ProbeOutage) -> Vec<(Timestamp, String)> {
    let regions = if probe.regions.is_empty() { String::new() } else { format!(" from {}", probe.regions.join(", ")) };
    let mut lines =
        vec![(probe.onset, format!("{} {}{regions}: {} (probe)", probe.endpoint, probe.state.label(), probe.cause))];
    if probe.declared > probe.onset {
        lines.push((probe.declared, format!("The probe declared {} {}", probe.endpoint, probe.state.label())));
    }
    if let Some(at) = probe.recovered {
        lines.push((at, format!("{} recovered (probe)", probe.endpoint)));
    }
    lines
}

/// How old what the site shows of the probe is, in words: "as of 03:55" (with the date when
/// not today), "as of 03:55 — probe unreachable", "the probe stopped checking at 03:40",
/// "probe unreachable, no status yet", "checking…". `last` is the report and when it was
/// read; `reachable` whether the last attempt reached the probe (`None` before one ended).
pub fn freshness(
    last: Option<(&api::StatusReport, Timestamp)>,
    reachable: Option<bool>,
    now: Timestamp,
    offset_minutes: i32,
) -> String {
    let Some((report, read_at)) = last else {
        return if reachable == Some(false) { "probe unreachable, no status yet" } else { "checking…" }.to_string();
    };
    let mut text = match report.stale_since {
        Some(since) => format!("the probe stopped checking at {}", moment(since, now, offset_minutes)),
        None => format!("as of {}", moment(report.checked_at.unwrap_or(read_at), now, offset_minutes)),
    };
    if reachable == Some(false) {
        text.push_str(" — probe unreachable");
    }
    text
}
