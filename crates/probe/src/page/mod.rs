//! The status page the worker serves at `/`: plain HTML, no script, reloading itself every
//! minute when calm, more often in trouble ([`refresh_seconds`]). This is the external view when everything else is down, so it depends on nothing.
//! Written with maud, which escapes every value it inserts: nothing from the config or a
//! probed server becomes markup.

mod pictures;
mod posted;

use api::{DetectedIncident, Pictures, State, StatusReport};
use calendar::DateTime;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// Seconds between the page's own reloads in trouble, and when nothing can be read: about the
/// time detection takes. Reads are shared (`read_cache` in the worker), so viewers cost the
/// monitor little; each reload is still a request the platform counts.
pub const REFRESH_SECONDS: u32 = 30;

/// How often the page reloads itself: every reload is a request for the free plan to count,
/// so a calm page reloads every minute, a page in trouble every 30 s, and one whose trouble
/// is being confirmed every 10 s, when the declaration may come any moment.
pub fn refresh_seconds(report: &StatusReport) -> u32 {
    if report.is_checking() {
        10
    } else if report.is_calm() {
        60
    } else {
        REFRESH_SECONDS
    }
}

/// The page; `pictures` (the uptime bars and latency lines) are left out when the monitor
/// could not give them, never blocking the status itself.
pub fn render(
    report: &StatusReport,
    incidents: &[DetectedIncident],
    pictures: Option<&Pictures>,
    site_url: Option<&str>,
) -> String {
    page(report, incidents, pictures, site_url, None)
}

/// The page from the last status the worker had, when the monitor cannot answer now (a
/// platform limit reached, an error): said plainly at the top, with its age in seconds.
pub fn render_last_known(
    report: &StatusReport,
    incidents: &[DetectedIncident],
    pictures: Option<&Pictures>,
    site_url: Option<&str>,
    age_seconds: u64,
) -> String {
    page(report, incidents, pictures, site_url, Some(age_seconds))
}

/// A page for a person when the monitor cannot answer and nothing is known yet.
pub fn unavailable() -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="refresh" content=(REFRESH_SECONDS);
                meta name="color-scheme" content="light dark";
                title { "Status unavailable" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Status unavailable" }
                p class="stale" role="alert" {
                    "The probe could not answer just now (it may have reached a platform limit for the day). This page tries again every " (REFRESH_SECONDS) " s."
                }
            }
        }
    };
    page.into_string()
}

fn page(
    report: &StatusReport,
    incidents: &[DetectedIncident],
    pictures: Option<&Pictures>,
    site_url: Option<&str>,
    last_known_age: Option<u64>,
) -> String {
    let refresh = refresh_seconds(report);
    let worst = report.endpoints.iter().map(|e| e.state).max().unwrap_or(State::Up);
    // Neither an empty config nor a probe that stopped is "operational", nor trouble seen
    // and being confirmed.
    let (headline, headline_class) = if report.endpoints.is_empty() {
        ("No endpoints are probed".to_string(), "unknown")
    } else if let Some(since) = report.stale_since {
        (format!("Status unknown: no checks since {} UTC", clock(since)), "unknown")
    } else if worst == State::Up && report.is_checking() {
        ("Checking a possible outage".to_string(), "checking")
    } else if let Some(open) = report.posted.iter().find(|p| p.is_open()).filter(|_| worst < State::Regional) {
        // The probe sees no outage, but the team says something is wrong: its word leads.
        (format!("{}: {}", open.status.label(), open.title), "degraded")
    } else {
        let words = match worst {
            State::Up => "All systems operational",
            State::Unknown => "Some systems cannot be probed",
            State::Degraded => "Some systems are slow",
            State::Regional => "Outage in some regions",
            State::Down => "Major outage",
        };
        (words.to_string(), worst.class())
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="refresh" content=(refresh);
                meta name="color-scheme" content="light dark";
                title { (headline) " · " (report.title) }
                style { (PreEscaped(STYLE)) (PreEscaped(pictures::STYLE)) (PreEscaped(posted::STYLE)) }
            }
            body {
                header {
                    h1 { (report.title) }
                    p class={ "headline " (headline_class) } { (headline) }
                    p class="meta" {
                        "Checked from " (report.regions.join(", ")) " · "
                        @match report.checked_at {
                            Some(at) => { "last check " time datetime=(iso(at)) { (clock(at)) } " UTC" }
                            None => "no check yet",
                        }
                        " · refreshes every " (refresh) " s"
                    }
                    @if let Some(age) = last_known_age {
                        p class="stale" role="alert" {
                            "The probe could not answer just now (it may have reached a platform limit for the day). This is the last status it gave, "
                            (ago(age)) "; this page tries again every " (refresh) " s."
                        }
                    }
                    @if report.stale_since.is_some() {
                        p class="stale" role="alert" {
                            "The probe has stopped checking (its schedule or its free-plan allowance may have run out). What follows is the last known status, not the current one."
                        }
                    }
                }
                main {
                    (posted::section(&report.posted))
                    @if report.endpoints.is_empty() {
                        p class="empty" {
                            "No endpoints are configured: add " code { "[[endpoint]]" } " tables to outpost.toml."
                        }
                    }
                    ul class="endpoints" {
                        @for endpoint in &report.endpoints {
                            @let drawn = pictures.and_then(|p| p.endpoints.iter().find(|e| e.name == endpoint.name));
                            li class={ "endpoint " (endpoint.shown_class()) } {
                                div class="row" {
                                    span class="name" { (endpoint.name) }
                                    span class="state" { (endpoint.shown_state()) }
                                }
                                @if let Some(checking) = &endpoint.checking {
                                    p class="checking-note" {
                                        (checking.words()) " since " (clock_seconds(checking.since)) " UTC. "
                                        "Declared " (checking.state.label()) " if it holds; alerts wait for that."
                                    }
                                }
                                @if endpoint.flapping {
                                    p class="flapping" {
                                        "Flapping: failing and recovering again and again. Shown at its worst until it has been calm for a while."
                                    }
                                }
                                p class="since" {
                                    "since " (clock(endpoint.since)) " UTC"
                                    @if let Some(uptime) = endpoint.uptime_24h {
                                        " · " (format!("{uptime:.2}")) "% up in 24 h"
                                    }
                                }
                                @if let Some(drawn) = drawn {
                                    (pictures::uptime_bar(&drawn.days))
                                }
                                ul class="regions" {
                                    @for region in &endpoint.regions {
                                        li class=(if region.outcome.is_healthy() { "ok" } else if region.outcome.is_known() { "failing" } else { "unknown" }) {
                                            span class="region" { (region.region) }
                                            " " span class="outcome" { (region.outcome.describe()) } " "
                                            (pictures::region_line(drawn, &region.region).unwrap_or_default())
                                            " " span class="latency" { (region.latency_ms) " ms" }
                                        }
                                    }
                                }
                                @if !endpoint.no_data.is_empty() {
                                    p class="no-data" { "No data from " (endpoint.no_data.join(", ")) " in the last check" }
                                }
                                @if let Some(window) = &endpoint.maintenance {
                                    p class="maintenance" {
                                        "Under maintenance: " (window.title) " until " (clock(window.end)) " UTC (alerts paused)"
                                    }
                                }
                                @if let (Some(runbook), Some(site), Some(outage)) = (&endpoint.runbook, site_url, endpoint.outage()) {
                                    p class="runbook" {
                                        a href=(api::links::outage_url(site, runbook, &endpoint.hosts, Some(&outage))) {
                                            "Open the runbook and start the incident"
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !incidents.is_empty() {
                        h2 { "Recent incidents" }
                        ul class="incidents" {
                            @for incident in incidents.iter().take(10) {
                                (incident_line(incident))
                            }
                        }
                    }
                }
                footer {
                    "Outpost edge probe · " a href="/api/status" { "status JSON" } " · " a href="/api/incidents" { "incidents JSON" }
                }
            }
        }
    };
    page.into_string()
}

fn incident_line(incident: &DetectedIncident) -> Markup {
    let end = incident.ended_at.map_or_else(|| "ongoing".to_string(), |t| format!("to {}", clock(t)));
    html! {
        li {
            strong { (incident.endpoint) } ": " (incident.worst.label()) " (" (incident.cause) ") from "
            (clock(incident.started_at)) " " (end) " UTC, " (incident.regions.join(", "))
        }
    }
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1f24;background:#f6f7f9}\
@media(prefers-color-scheme:dark){body{color:#e6e9ee;background:#0d1117}.endpoint{background:#151b23!important;border-color:#2a323d!important}}\
h1{margin:.5rem 0 0;font-size:1.5rem}.headline{font-size:1.2rem;font-weight:650;margin:.25rem 0}.meta,.since,footer{color:#6b7380;font-size:.85rem}\
.endpoints,.regions,.incidents{list-style:none;padding:0}.endpoint{background:#fff;border:1px solid #dfe3e8;border-left:6px solid #1f7a4d;border-radius:10px;padding:.75rem 1rem;margin:.75rem 0}\
.row{display:flex;justify-content:space-between;gap:1rem}.name{font-weight:650}.state{font-weight:650;text-transform:uppercase;font-size:.85rem}\
.regions li{font-size:.9rem}.region{font-family:ui-monospace,monospace;display:inline-block;min-width:3.5rem}.latency{color:#6b7380}.failing{color:#c4320a}\
.up .state,.headline.up{color:#1f7a4d}.degraded{border-left-color:#a37f00!important}.degraded .state,.headline.degraded{color:#a37f00}\
.checking{border-left-color:#a37f00!important}.checking .state,.headline.checking{color:#7a5c00}.checking-note{color:#7a5c00;font-size:.9rem;margin:.25rem 0}\
.maintenance{color:#007ec6;font-size:.9rem}.no-data,.regions .unknown{color:#6b7380;font-size:.9rem}.headline.unknown,.endpoint.unknown .state{color:#6b7380}.endpoint.unknown{border-left-color:#8b929c!important}\
.stale{background:#fff4e5;border:1px solid #d26a00;border-radius:8px;padding:.5rem .75rem;color:#7a3d00}.flapping{color:#7a3d00;font-size:.9rem;margin:.25rem 0}.regional{border-left-color:#d26a00!important}.regional .state,.headline.regional{color:#d26a00}.down{border-left-color:#c4320a!important}.down .state,.headline.down{color:#c4320a}";

/// `2026-11-28 20:07:05` (UTC): seconds matter while a failure is being confirmed.
fn clock_seconds(at: i64) -> String {
    let time = DateTime::utc(at);
    format!("{}:{:02}", time.date_hh_mm(), time.second)
}

/// `45 s ago`, `12 min ago`, `3 h ago`.
fn ago(seconds: u64) -> String {
    match seconds {
        0..=119 => format!("{seconds} s ago"),
        120..=7_199 => format!("{} min ago", seconds / 60),
        _ => format!("{} h ago", seconds / 3_600),
    }
}

/// `2026-11-28 20:07` (UTC).
pub fn clock(at: i64) -> String {
    DateTime::utc(at).date_hh_mm()
}

pub(crate) fn iso(at: i64) -> String {
    DateTime::utc(at).rfc3339_utc()
}
