//! `/api/v2/summary.json` and `/api/v2/status.json` in the shape of Atlassian Statuspage's
//! public API, so existing readers (status aggregators, chat integrations) work unchanged.

use serde_json::{json, Value};

use crate::page::iso;
use api::State;
use api::{DetectedIncident, EndpointStatus, PostedIncident, StatusReport, UpdateStatus};
use config::{Config, Maintenance};

const PAGE_ID: &str = "outpost";

fn time(at: i64) -> String {
    iso(at).replace('Z', ".000Z")
}

fn page(config: &Config, report: &StatusReport) -> Value {
    json!({
        "id": PAGE_ID,
        "name": report.title,
        "url": config.probe_api.clone().or_else(|| config.site_url.clone()).unwrap_or_default(),
        "time_zone": "Etc/UTC",
        "updated_at": time(report.generated_at),
    })
}

/// up → operational, degraded → degraded_performance, regional → partial_outage,
/// down → major_outage; in a maintenance window, under_maintenance. Statuspage has no
/// "unknown": an endpoint no region could probe (no data), or last seen up while the probe
/// is stale, is neither claimed operational nor said to fail: it is degraded_performance,
/// the mildest status that is not a claim of health, and its description says why.
pub fn component_status(endpoint: &EndpointStatus, stale: bool) -> &'static str {
    if endpoint.maintenance.is_some() {
        return "under_maintenance";
    }
    if stale && endpoint.state == State::Up {
        return "degraded_performance";
    }
    match endpoint.state {
        State::Up => "operational",
        State::Unknown | State::Degraded => "degraded_performance",
        State::Regional => "partial_outage",
        State::Down => "major_outage",
    }
}

fn component(endpoint: &EndpointStatus, position: usize, report: &StatusReport) -> Value {
    let created_at = endpoint.since;
    json!({
        "id": component_id(&endpoint.name),
        "name": endpoint.name,
        "status": component_status(endpoint, report.stale_since.is_some()),
        "created_at": time(created_at),
        "updated_at": time(endpoint.since),
        "position": position,
        "description": description(endpoint, report),
        "showcase": true,
        "start_date": null,
        "group_id": null,
        "page_id": PAGE_ID,
        "group": false,
        "only_show_if_degraded": false,
    })
}

/// Why a component is not shown as the probe last saw it, if it is not.
fn description(endpoint: &EndpointStatus, report: &StatusReport) -> Option<String> {
    match (report.stale_since, endpoint.state) {
        (Some(at), _) => Some(format!("Stale: the probe has not checked since {} UTC", crate::page::clock(at))),
        (None, State::Unknown) => Some("No data: no region could probe it".to_string()),
        _ => None,
    }
}

fn component_id(name: &str) -> String {
    format!("component-{name}")
}

/// The page indicator (none / minor / major / critical) and its words. A stale probe or an
/// empty config is never "All Systems Operational".
pub fn page_indicator(report: &StatusReport) -> (&'static str, String) {
    if report.endpoints.is_empty() {
        return ("none", "No endpoints are probed".to_string());
    }
    if let Some(at) = report.stale_since {
        return ("minor", format!("Status unknown: no checks since {} UTC", crate::page::clock(at)));
    }
    let (indicator, words) = indicator(super::overall(&report.endpoints));
    // An incident the team posted and has not resolved says at least its own impact.
    let posted = report
        .posted
        .iter()
        .filter(|p| p.is_open())
        // Without a severity it still says something is wrong: at least minor.
        .map(|p| match crate::updates::impact(p.severity.as_deref()) {
            "none" => "minor",
            impact => impact,
        })
        .max_by_key(|impact| rank(impact));
    match posted.filter(|impact| rank(impact) > rank(indicator)) {
        Some("critical") => ("critical", indicator_words(State::Down)),
        Some("major") => ("major", indicator_words(State::Regional)),
        Some(_) => ("minor", indicator_words(State::Degraded)),
        None => (indicator, words.to_string()),
    }
}

fn rank(indicator: &str) -> u8 {
    match indicator {
        "critical" => 3,
        "major" => 2,
        "minor" => 1,
        _ => 0,
    }
}

fn indicator_words(state: State) -> String {
    indicator(state).1.to_string()
}

/// none / minor / major / critical, with Statuspage's own words.
pub fn indicator(state: State) -> (&'static str, &'static str) {
    match state {
        State::Up => ("none", "All Systems Operational"),
        State::Unknown => ("minor", "Status Unknown For Some Systems"),
        State::Degraded => ("minor", "Partially Degraded Service"),
        State::Regional => ("major", "Partial System Outage"),
        State::Down => ("critical", "Major System Outage"),
    }
}

fn incident(incident: &DetectedIncident, report: &StatusReport, shortlink: &str) -> Value {
    let id = format!("incident-{}", incident.id);
    let resolved = incident.ended_at.is_some();
    let status = if resolved { "resolved" } else { "investigating" };
    let updated_at = incident.ended_at.unwrap_or(incident.started_at);
    let endpoint = report.endpoints.iter().find(|e| e.name == incident.endpoint);
    let components: Vec<Value> = endpoint.map(|e| component(e, 1, report)).into_iter().collect();
    let impact = if incident.worst == State::Down { "critical" } else { "major" };
    let mut updates = vec![json!({
        "id": format!("{id}-start"),
        "status": "investigating",
        "body": format!("{} is {} from {}: {}.", incident.endpoint, incident.worst.label(), incident.regions.join(", "), incident.cause),
        "incident_id": id,
        "created_at": time(incident.started_at),
        "updated_at": time(incident.started_at),
        "display_at": time(incident.started_at),
        "affected_components": [{ "code": component_id(&incident.endpoint), "name": incident.endpoint, "old_status": "operational", "new_status": if incident.worst == State::Down { "major_outage" } else { "partial_outage" } }],
        "deliver_notifications": true,
        "custom_tweet": null,
        "tweet_id": null,
    })];
    if let Some(end) = incident.ended_at {
        updates.insert(0, json!({
            "id": format!("{id}-end"),
            "status": "resolved",
            "body": format!("{} is healthy again.", incident.endpoint),
            "incident_id": id,
            "created_at": time(end),
            "updated_at": time(end),
            "display_at": time(end),
            "affected_components": [{ "code": component_id(&incident.endpoint), "name": incident.endpoint, "old_status": "major_outage", "new_status": "operational" }],
            "deliver_notifications": true,
            "custom_tweet": null,
            "tweet_id": null,
        }));
    }
    json!({
        "id": id,
        "name": format!("{} {}", incident.endpoint, incident.worst.label()),
        "status": status,
        "created_at": time(incident.started_at),
        "updated_at": time(updated_at),
        "monitoring_at": null,
        "resolved_at": incident.ended_at.map(time),
        "impact": impact,
        "shortlink": shortlink,
        "started_at": time(incident.started_at),
        "page_id": PAGE_ID,
        "incident_updates": updates,
        "components": components,
    })
}

/// An incident the team posted, with its updates newest first, as Statuspage lists them.
fn posted(posted: &PostedIncident, report: &StatusReport, shortlink: &str) -> Value {
    let id = format!("posted-{}", posted.key);
    let affected: Vec<&EndpointStatus> =
        report.endpoints.iter().filter(|e| posted.endpoints.contains(&e.name)).collect();
    let stale = report.stale_since.is_some();
    let affected_components: Vec<Value> = affected
        .iter()
        .map(|e| {
            let status = component_status(e, stale);
            json!({ "code": component_id(&e.name), "name": e.name, "old_status": status, "new_status": status })
        })
        .collect();
    let updates: Vec<Value> = posted
        .updates
        .iter()
        .rev()
        .map(|update| {
            json!({
                "id": format!("{id}-{}", update.number),
                "status": update.status.key(),
                "body": update.text,
                "incident_id": id,
                "created_at": time(update.at),
                "updated_at": time(update.at),
                "display_at": time(update.at),
                "affected_components": affected_components,
                "deliver_notifications": true,
                "custom_tweet": null,
                "tweet_id": null,
            })
        })
        .collect();
    // When the current watch began: the latest Monitoring update, while it is monitored or
    // was resolved from there.
    let watching = matches!(posted.status, UpdateStatus::Monitoring | UpdateStatus::Resolved);
    let monitoring_at = posted
        .updates
        .iter()
        .rev()
        .find(|u| u.status == UpdateStatus::Monitoring)
        .filter(|_| watching)
        .map(|u| time(u.at));
    json!({
        "id": id,
        "name": posted.title,
        "status": posted.status.key(),
        "created_at": time(posted.started_at),
        "updated_at": time(posted.updated_at),
        "monitoring_at": monitoring_at,
        "resolved_at": posted.resolved_at.map(time),
        "impact": crate::updates::impact(posted.severity.as_deref()),
        "shortlink": shortlink,
        "started_at": time(posted.started_at),
        "page_id": PAGE_ID,
        "incident_updates": updates,
        "components": affected.iter().enumerate().map(|(i, e)| component(e, i + 1, report)).collect::<Vec<_>>(),
    })
}

fn maintenance(window: &Maintenance, index: usize, report: &StatusReport, shortlink: &str) -> Value {
    let now = report.generated_at;
    let status = if now < window.start {
        "scheduled"
    } else if now < window.end {
        "in_progress"
    } else {
        "completed"
    };
    let components: Vec<Value> = report
        .endpoints
        .iter()
        .filter(|e| window.endpoints.is_empty() || window.endpoints.contains(&e.name))
        .enumerate()
        .map(|(i, e)| component(e, i + 1, report))
        .collect();
    json!({
        "id": format!("maintenance-{}", index + 1),
        "name": window.title,
        "status": status,
        "created_at": time(window.start),
        "updated_at": time(window.start.min(now)),
        "monitoring_at": null,
        "resolved_at": (status == "completed").then(|| time(window.end)),
        "impact": "maintenance",
        "shortlink": shortlink,
        "started_at": time(window.start),
        "page_id": PAGE_ID,
        "incident_updates": [],
        "components": components,
        "scheduled_for": time(window.start),
        "scheduled_until": time(window.end),
    })
}

/// `GET /api/v2/summary.json`: page, components, unresolved incidents, upcoming and current
/// maintenance, and the page indicator.
pub fn summary(config: &Config, report: &StatusReport, incidents: &[DetectedIncident]) -> Value {
    let shortlink = page(config, report)["url"].as_str().unwrap_or_default().to_string();
    let (indicator, description) = page_indicator(report);
    json!({
        "page": page(config, report),
        "components": report.endpoints.iter().enumerate().map(|(i, e)| component(e, i + 1, report)).collect::<Vec<_>>(),
        "incidents": report.posted.iter().filter(|p| p.is_open()).map(|p| posted(p, report, &shortlink))
            .chain(incidents.iter().filter(|i| i.ended_at.is_none()).map(|i| incident(i, report, &shortlink)))
            .collect::<Vec<_>>(),
        "scheduled_maintenances": config.maintenance_windows(report.generated_at).iter().enumerate()
            .filter(|(_, m)| m.end > report.generated_at)
            .map(|(i, m)| maintenance(m, i, report, &shortlink)).collect::<Vec<_>>(),
        "status": { "indicator": indicator, "description": description },
    })
}

/// `GET /api/v2/status.json`: the page and its indicator only.
pub fn status(config: &Config, report: &StatusReport) -> Value {
    let (indicator, description) = page_indicator(report);
    json!({ "page": page(config, report), "status": { "indicator": indicator, "description": description } })
}

/// `GET /api/v2/incidents.json`: every recent incident, resolved ones too: what the team
/// posted first, then what the probe detected.
pub fn incidents(config: &Config, report: &StatusReport, list: &[DetectedIncident]) -> Value {
    let shortlink = page(config, report)["url"].as_str().unwrap_or_default().to_string();
    let incidents: Vec<Value> = report
        .posted
        .iter()
        .map(|p| posted(p, report, &shortlink))
        .chain(list.iter().map(|i| incident(i, report, &shortlink)))
        .collect();
    json!({ "page": page(config, report), "incidents": incidents })
}
