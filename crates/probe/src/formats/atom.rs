//! An Atom feed (RFC 4287) of the team's status updates, detected incidents and maintenance
//! windows, for feed readers and chat integrations that follow feeds.

use std::fmt::Write;

use super::escape;
use crate::page::iso;
use api::{DetectedIncident, PostedIncident};
use config::Config;

/// The feed: what the team posted (one entry per incident, updated with each update), what
/// the probe detected, and maintenance windows, newest first.
pub fn feed(
    config: &Config,
    posted: &[PostedIncident],
    incidents: &[DetectedIncident],
    now: i64,
    self_url: &str,
) -> String {
    let base = config.probe_api.clone().unwrap_or_default();
    let mut entries: Vec<(i64, String)> = Vec::new();
    for incident in posted {
        let status = incident.latest().map_or("Update", |u| u.status.label());
        entries.push((
            incident.updated_at,
            entry(
                &format!("urn:outpost:update:{}", incident.key),
                &format!("{status}: {}", incident.title),
                incident.started_at,
                incident.updated_at,
                &posted_summary(incident),
                &base,
            ),
        ));
    }
    for incident in incidents {
        let updated = incident.ended_at.unwrap_or(incident.started_at);
        let state = match incident.ended_at {
            Some(end) => format!("resolved at {}", iso(end)),
            None => "ongoing".to_string(),
        };
        let summary = format!(
            "{} was {} from {} ({}), {}.",
            incident.endpoint,
            incident.worst.label(),
            incident.regions.join(", "),
            incident.cause,
            state
        );
        entries.push((
            updated,
            entry(
                &format!("urn:outpost:incident:{}", incident.id),
                &format!("{} {}", incident.endpoint, incident.worst.label()),
                incident.started_at,
                updated,
                &summary,
                &base,
            ),
        ));
    }
    for (index, window) in config.maintenance_windows(now).iter().enumerate() {
        let summary = format!("Maintenance from {} to {}.", iso(window.start), iso(window.end));
        let title = format!("Maintenance: {}", window.title);
        entries.push((
            window.start,
            entry(
                &format!("urn:outpost:maintenance:{}", index + 1),
                &title,
                window.start,
                window.start,
                &summary,
                &base,
            ),
        ));
    }
    // Newest first; a handful of entries.
    entries.sort_by_key(|(at, _)| std::cmp::Reverse(*at));
    let updated = entries.first().map_or(now, |(at, _)| *at);
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    writeln!(out, "  <id>urn:outpost:feed:{}</id>", escape(&config.title.to_lowercase().replace(' ', "-"))).unwrap();
    writeln!(out, "  <title>{} incidents</title>", escape(&config.title)).unwrap();
    writeln!(out, "  <updated>{}</updated>", iso(updated)).unwrap();
    writeln!(out, "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>", escape(self_url)).unwrap();
    writeln!(out, "  <author><name>{}</name></author>", escape(&config.title)).unwrap();
    writeln!(out, "  <generator>Outpost</generator>").unwrap();
    for (_, entry) in entries {
        out.push_str(&entry);
    }
    out.push_str("</feed>\n");
    out
}

/// Every update, newest first: `Resolved (2026-12-04T14:40:00Z): The API answers again.`
fn posted_summary(incident: &PostedIncident) -> String {
    let updates: Vec<String> =
        incident.updates.iter().rev().map(|u| format!("{} ({}): {}", u.status.label(), iso(u.at), u.text)).collect();
    updates.join("\n\n")
}

fn entry(id: &str, title: &str, published: i64, updated: i64, summary: &str, base: &str) -> String {
    let mut out = String::from("  <entry>\n");
    writeln!(out, "    <id>{}</id>", escape(id)).unwrap();
    writeln!(out, "    <title>{}</title>", escape(title)).unwrap();
    writeln!(out, "    <published>{}</published>", iso(published)).unwrap();
    writeln!(out, "    <updated>{}</updated>", iso(updated)).unwrap();
    if !base.is_empty() {
        writeln!(out, "    <link href=\"{}/\"/>", escape(base.trim_end_matches('/'))).unwrap();
    }
    writeln!(out, "    <summary type=\"text\">{}</summary>", escape(summary)).unwrap();
    out.push_str("  </entry>\n");
    out
}
