//! What "Post to status page" sends: the update a communication template's message makes
//! for the incident, and the resolution the cockpit posts when an incident with posted
//! updates is resolved. The worker decides what it accepts (`probe::updates`).

use api::{PostedIncident, StatusReport, UpdatePost, UpdateStatus};

use crate::clock::duration_words;
use crate::incident::{Incident, Timestamp};

/// The update `message` (a template's filled text) makes for `incident`. Its status is the
/// message's own `STATUS:` line when it names one (`STATUS: Investigating`,
/// `STATUS: RESOLVED`); otherwise investigating, or resolved once the incident is. Its title is
/// the message's `INCIDENT:` line once filled in, else what the probe saw, else the runbook's.
pub fn update_post(incident: &Incident, runbook_title: &str, message: &str) -> UpdatePost {
    let status = labelled(message, "status")
        .and_then(|value| value.split_whitespace().next().and_then(UpdateStatus::from_word))
        .unwrap_or(if incident.is_resolved() { UpdateStatus::Resolved } else { UpdateStatus::Investigating });
    let title = labelled(message, "incident")
        .filter(|value| !value.starts_with('['))
        .map(str::to_string)
        .or_else(|| incident.probe.as_ref().map(|p| format!("{} {}", p.endpoint, p.state.label())))
        .unwrap_or_else(|| runbook_title.to_string())
        // The worker takes titles of at most 160 characters: a long first line is cut, not refused.
        .chars()
        .take(160)
        .collect();
    UpdatePost {
        incident: incident.id.clone(),
        title,
        status,
        severity: incident.severity.clone(),
        endpoints: incident.probe.iter().map(|p| p.endpoint.clone()).collect(),
        text: message.trim().to_string(),
    }
}

/// The incident's posts on the status page, if it has any (posted from this site under its id).
pub fn posted_for<'a>(report: &'a StatusReport, incident: &Incident) -> Option<&'a PostedIncident> {
    report.posted.iter().find(|p| p.key == incident.id)
}

/// The resolution to post when `incident` is resolved at `now` and its posts on the status
/// page are still open; `None` when there is nothing to close.
pub fn resolution_post(incident: &Incident, posted: Option<&PostedIncident>, now: Timestamp) -> Option<UpdatePost> {
    let posted = posted.filter(|p| p.is_open())?;
    let resolved_at = incident.resolved_at.unwrap_or(now);
    let lasted = u64::try_from(resolved_at - incident.started_at).unwrap_or(0);
    Some(UpdatePost {
        incident: incident.id.clone(),
        title: posted.title.clone(),
        status: UpdateStatus::Resolved,
        severity: None,
        endpoints: Vec::new(),
        text: format!("Resolved. The incident lasted {}.", duration_words(lasted)),
    })
}

/// The value of the message's first `LABEL:` line, any case, if it has one with a value.
fn labelled<'a>(message: &'a str, label: &str) -> Option<&'a str> {
    message.lines().find_map(|line| {
        let (name, value) = line.trim().split_once(':')?;
        let value = value.trim();
        (name.trim().eq_ignore_ascii_case(label) && !value.is_empty()).then_some(value)
    })
}

/// The status as the site holds it, with `posted` as the worker just saved it: the strip and
/// the cockpit show it before the next read.
pub fn record_posted(report: &mut StatusReport, posted: PostedIncident) {
    report.posted.retain(|p| p.key != posted.key);
    report.posted.insert(0, posted);
}
