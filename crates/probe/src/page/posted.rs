//! What the team posted, on the status page: open incidents with every update, newest first;
//! resolved ones folded to a line that opens (`<details>`, no script). The text is plain:
//! maud escapes it, and `dir="auto"` with `unicode-bidi: plaintext` keeps right-to-left text
//! from reordering what is around it.

use api::{PostedIncident, UpdateStatus};
use calendar::DateTime;
use maud::{html, Markup};

/// `2026-12-04 14:02` (UTC), as the rest of the page writes times.
fn clock(at: i64) -> String {
    DateTime::utc(at).date_hh_mm()
}

fn iso(at: i64) -> String {
    DateTime::utc(at).rfc3339_utc()
}

pub fn section(posted: &[PostedIncident]) -> Markup {
    html! {
        @if !posted.is_empty() {
            section class="posted" aria-label="Updates from the team" {
                @for incident in posted {
                    @if incident.is_open() {
                        article class={ "posted-incident " (class(incident.status)) } {
                            h2 class="posted-title" dir="auto" { (incident.title) }
                            (meta(incident))
                            (updates(incident))
                        }
                    } @else {
                        details class="posted-incident resolved" {
                            summary {
                                span class="posted-title" dir="auto" { (incident.title) }
                                " · resolved " (clock(incident.updated_at)) " UTC"
                            }
                            (meta(incident))
                            (updates(incident))
                        }
                    }
                }
            }
        }
    }
}

fn meta(incident: &PostedIncident) -> Markup {
    html! {
        p class="posted-meta" {
            span class="posted-status" { (incident.status.label()) }
            @if let Some(severity) = &incident.severity { " · " (severity) }
            @if !incident.endpoints.is_empty() { " · " (incident.endpoints.join(", ")) }
            " · since " (clock(incident.started_at)) " UTC"
        }
    }
}

fn updates(incident: &PostedIncident) -> Markup {
    html! {
        ol class="posted-updates" {
            @for update in incident.updates.iter().rev() {
                li {
                    p class="posted-when" {
                        strong { (update.status.label()) } " · "
                        time datetime=(iso(update.at)) { (clock(update.at)) } " UTC"
                    }
                    p class="posted-text" dir="auto" { (update.text) }
                }
            }
        }
    }
}

fn class(status: UpdateStatus) -> &'static str {
    match status {
        UpdateStatus::Investigating | UpdateStatus::Identified => "active",
        UpdateStatus::Monitoring => "monitoring",
        UpdateStatus::Resolved => "resolved",
    }
}

pub const STYLE: &str = ".posted{margin:1rem 0}.posted-incident{display:block;background:#fff;border:1px solid #dfe3e8;border-left:6px solid #c4320a;border-radius:10px;padding:.75rem 1rem;margin:.75rem 0}\
.posted-incident.monitoring{border-left-color:#a37f00}.posted-incident.resolved{border-left-color:#1f7a4d}\
.posted-title{font-size:1.1rem;margin:0;overflow-wrap:anywhere;unicode-bidi:plaintext}summary .posted-title{font-size:1rem;font-weight:650}\
.posted-meta,.posted-when{color:#6b7380;font-size:.85rem;margin:.25rem 0}.posted-status{font-weight:650;text-transform:uppercase}\
.posted-updates{list-style:none;padding:0;margin:.5rem 0 0}.posted-updates li{border-top:1px solid #dfe3e8;padding:.4rem 0}\
.posted-text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext;margin:.25rem 0}summary{cursor:pointer}\
@media(prefers-color-scheme:dark){.posted-incident{background:#151b23;border-color:#2a323d}.posted-updates li{border-color:#2a323d}}";
