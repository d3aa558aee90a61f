//! The paging tools' event APIs: one event per request, opened and closed by a key of ours
//! per endpoint and episode (`Alert::episode_key`), so a recovery resolves the page its
//! outage opened, and the next outage opens a new one.
//!
//! - PagerDuty Events API v2: `summary` ≤ 1024 characters, `dedup_key` ≤ 255, 512 KB a
//!   request. A server's words go only in `custom_details`.
//! - Opsgenie Alert API: `message` ≤ 130, `alias` ≤ 512, `description` ≤ 15,000 (HTML, so
//!   escaped), `entity` ≤ 512, `source` ≤ 100, `details` string values, 8,000 in all.

use api::State;
use serde_json::{json, Value};

use super::alert::{cap, Alert, MAX_CAUSE_CHARS};

const PAGERDUTY_SUMMARY: usize = 1024;
const OPSGENIE_MESSAGE: usize = 130;
const OPSGENIE_DESCRIPTION: usize = 15_000;
const OPSGENIE_NOTE: usize = 25_000;

/// An Events API v2 event: `trigger` for trouble, `resolve` when it ends.
pub fn pagerduty(alert: &Alert, routing_key: &str) -> Value {
    let dedup_key = cap(&alert.episode_key(), 255);
    if alert.ends_trouble() {
        return json!({ "routing_key": routing_key, "event_action": "resolve", "dedup_key": dedup_key });
    }
    let severity = match alert.to {
        State::Down if !alert.flapping => "critical",
        State::Down | State::Regional => "error",
        _ => "warning",
    };
    let mut links = Vec::new();
    for (href, text) in [(&alert.runbook, "Runbook"), (&alert.status_page, "Status page")] {
        if let Some(href) = href.as_deref().filter(|h| is_absolute(h)) {
            links.push(json!({ "href": href, "text": text }));
        }
    }
    let mut event = json!({
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": dedup_key,
        "client": "Outpost",
        "payload": {
            "summary": cap(&alert.headline(), PAGERDUTY_SUMMARY),
            "source": alert.endpoint,
            "severity": severity,
            "timestamp": calendar::DateTime::utc(alert.since).rfc3339_utc(),
            "component": alert.endpoint,
            "group": "outpost",
            "class": alert.to.label(),
            "custom_details": {
                "state": alert.to.label(),
                "was": alert.from.label(),
                "flapping": alert.flapping,
                "failing_in": alert.regions,
                "cause": cap(&alert.cause, MAX_CAUSE_CHARS),
            },
        },
        "links": links,
    });
    if let Some(page) = alert.status_page.as_deref().filter(|h| is_absolute(h)) {
        event["client_url"] = json!(page);
    }
    event
}

/// An Opsgenie request: the path after the target's address, and the body. Trouble creates
/// an alert (a repeat of an open alias is counted, not duplicated); its end closes it.
pub fn opsgenie(alert: &Alert) -> (String, Value) {
    let alias = cap(&alert.episode_key(), 512);
    if alert.ends_trouble() {
        let note = cap(&format!("{}\n{}", alert.headline(), alert.details(str::to_string).join("\n")), OPSGENIE_NOTE);
        // The alias is ours (ASCII letters, digits, `-`, `_`, `.`): nothing to escape in a path.
        return (format!("/{alias}/close?identifierType=alias"), json!({ "source": "Outpost", "note": note }));
    }
    let priority = match alert.to {
        State::Down if !alert.flapping => "P1",
        State::Down | State::Regional => "P2",
        _ => "P3",
    };
    let mut details = serde_json::Map::new();
    details.insert("state".into(), alert.to.label().into());
    details.insert("cause".into(), cap(&alert.cause, MAX_CAUSE_CHARS).into());
    if !alert.regions.is_empty() {
        details.insert("failing in".into(), alert.regions.join(", ").into());
    }
    for (key, link) in [("runbook", &alert.runbook), ("status page", &alert.status_page)] {
        if let Some(link) = link {
            details.insert(key.into(), cap(link, 2000).into());
        }
    }
    let body = json!({
        "message": cap(&alert.headline(), OPSGENIE_MESSAGE),
        "alias": alias,
        "description": cap(&html_escape(&alert.details(str::to_string).join("\n")), OPSGENIE_DESCRIPTION),
        "priority": priority,
        "source": "Outpost",
        "entity": cap(&alert.endpoint, 512),
        "tags": ["outpost", alert.to.label().replace(' ', "-")],
        "details": details,
    });
    (String::new(), body)
}

/// Whether a link can leave the site: tools render only absolute addresses as links.
pub(super) fn is_absolute(href: &str) -> bool {
    href.starts_with("https://") || href.starts_with("http://")
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
