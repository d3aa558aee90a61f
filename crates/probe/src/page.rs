//! The status page the worker serves at `/`: plain HTML, no script, refreshing itself every
//! minute. This is the external view when everything else is down, so it depends on nothing.

use std::fmt::Write;

use crate::consensus::State;
use crate::status::{DetectedIncident, StatusReport};

/// Seconds between the page's own reloads.
pub const REFRESH_SECONDS: u32 = 60;

pub fn render(report: &StatusReport, incidents: &[DetectedIncident], site_url: Option<&str>) -> String {
    let worst = report.endpoints.iter().map(|e| e.state).max().unwrap_or(State::Up);
    let headline = match worst {
        State::Up => "All systems operational",
        State::Degraded => "Some systems are slow",
        State::Regional => "Outage in some regions",
        State::Down => "Major outage",
    };
    let mut html = String::with_capacity(4096);
    write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta http-equiv=\"refresh\" content=\"{REFRESH_SECONDS}\"><meta name=\"color-scheme\" content=\"light dark\"><title>{} · {}</title><style>{STYLE}</style></head><body>\
<header><h1>{}</h1><p class=\"headline {}\">{headline}</p><p class=\"meta\">Checked from {} · updated <time datetime=\"{}\">{}</time> UTC · refreshes every minute</p></header><main>",
        escape(headline),
        escape(&report.title),
        escape(&report.title),
        class(worst),
        escape(&report.regions.join(", ")),
        iso(report.generated_at),
        clock(report.generated_at),
    )
    .unwrap();
    if report.endpoints.is_empty() {
        html.push_str(
            "<p class=\"empty\">No endpoints are configured: add <code>[[endpoint]]</code> tables to outpost.toml.</p>",
        );
    }
    html.push_str("<ul class=\"endpoints\">");
    for endpoint in &report.endpoints {
        write!(
            html,
            "<li class=\"endpoint {}\"><div class=\"row\"><span class=\"name\">{}</span><span class=\"state\">{}</span></div><p class=\"since\">since {} UTC{}</p><ul class=\"regions\">",
            class(endpoint.state),
            escape(&endpoint.name),
            endpoint.state.label(),
            clock(endpoint.since),
            endpoint.uptime_24h.map(|u| format!(" · {u:.2}% up in 24 h")).unwrap_or_default(),
        )
        .unwrap();
        for region in &endpoint.regions {
            write!(
                html,
                "<li class=\"{}\"><span class=\"region\">{}</span> {} <span class=\"latency\">{} ms</span></li>",
                if region.outcome.is_healthy() { "ok" } else { "failing" },
                escape(&region.region),
                escape(&region.outcome.describe()),
                region.latency_ms,
            )
            .unwrap();
        }
        html.push_str("</ul>");
        if let Some(window) = &endpoint.maintenance {
            write!(
                html,
                "<p class=\"maintenance\">Under maintenance: {} until {} UTC (alerts paused)</p>",
                escape(&window.title),
                clock(window.end)
            )
            .unwrap();
        }
        if let (Some(runbook), Some(site), false) = (&endpoint.runbook, site_url, endpoint.state == State::Up) {
            let (slug, anchor) = runbook.split_once('#').unwrap_or((runbook, ""));
            let href = format!(
                "{}/r/{}/{}",
                site.trim_end_matches('/'),
                slug,
                if anchor.is_empty() { String::new() } else { format!("#{anchor}") }
            );
            write!(html, "<p class=\"runbook\"><a href=\"{}\">Open the runbook</a></p>", escape(&href)).unwrap();
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    if !incidents.is_empty() {
        html.push_str("<h2>Recent incidents</h2><ul class=\"incidents\">");
        for incident in incidents.iter().take(10) {
            let end = incident.ended_at.map_or_else(|| "ongoing".to_string(), |t| format!("to {}", clock(t)));
            write!(
                html,
                "<li><strong>{}</strong>: {} ({}) from {} {} UTC, {}</li>",
                escape(&incident.endpoint),
                incident.worst.label(),
                escape(&incident.cause),
                clock(incident.started_at),
                end,
                escape(&incident.regions.join(", ")),
            )
            .unwrap();
        }
        html.push_str("</ul>");
    }
    html.push_str("</main><footer>Outpost edge probe · <a href=\"/api/status\">status JSON</a> · <a href=\"/api/incidents\">incidents JSON</a></footer></body></html>");
    html
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1f24;background:#f6f7f9}\
@media(prefers-color-scheme:dark){body{color:#e6e9ee;background:#0d1117}.endpoint{background:#151b23!important;border-color:#2a323d!important}}\
h1{margin:.5rem 0 0;font-size:1.5rem}.headline{font-size:1.2rem;font-weight:650;margin:.25rem 0}.meta,.since,footer{color:#6b7380;font-size:.85rem}\
.endpoints,.regions,.incidents{list-style:none;padding:0}.endpoint{background:#fff;border:1px solid #dfe3e8;border-left:6px solid #1f7a4d;border-radius:10px;padding:.75rem 1rem;margin:.75rem 0}\
.row{display:flex;justify-content:space-between;gap:1rem}.name{font-weight:650}.state{font-weight:650;text-transform:uppercase;font-size:.85rem}\
.regions li{font-size:.9rem}.region{font-family:ui-monospace,monospace;display:inline-block;min-width:3.5rem}.latency{color:#6b7380}.failing{color:#c4320a}\
.up .state,.headline.up{color:#1f7a4d}.degraded{border-left-color:#a37f00!important}.degraded .state,.headline.degraded{color:#a37f00}\
.maintenance{color:#007ec6;font-size:.9rem}.regional{border-left-color:#d26a00!important}.regional .state,.headline.regional{color:#d26a00}.down{border-left-color:#c4320a!important}.down .state,.headline.down{color:#c4320a}";

fn class(state: State) -> &'static str {
    match state {
        State::Up => "up",
        State::Degraded => "degraded",
        State::Regional => "regional",
        State::Down => "down",
    }
}

/// Text into HTML: nothing from config or the network becomes markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `2026-11-28 20:07` (UTC).
pub fn clock(at: i64) -> String {
    let (y, m, d) = civil(at.div_euclid(86_400));
    let seconds = at.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

pub(crate) fn iso(at: i64) -> String {
    let (y, m, d) = civil(at.div_euclid(86_400));
    let s = at.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", s / 3600, s % 3600 / 60, s % 60)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}
