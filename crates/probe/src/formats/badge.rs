//! Badges for READMEs and dashboards: an SVG, and the JSON shields.io's endpoint badge reads.

use serde_json::{json, Value};

use super::escape;
use api::{EndpointStatus, State, StatusReport};

/// What a badge says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    State(State),
    /// Failing at times, in the colour of the worst state seen while it flaps.
    Flapping(State),
    Maintenance,
    /// The probe has stopped checking: the last state is not claimed.
    Stale,
    /// Nothing is probed.
    NoEndpoints,
    /// The probe could not answer, and nothing is known.
    Unavailable,
}

impl Shown {
    /// The page's badge: the worst state of the endpoints not in maintenance.
    pub fn of_page(report: &StatusReport) -> Shown {
        match (report.endpoints.is_empty(), report.stale_since.is_some()) {
            (true, _) => Shown::NoEndpoints,
            (false, true) => Shown::Stale,
            (false, false) => Shown::State(super::overall(&report.endpoints)),
        }
    }

    /// One endpoint's badge; `stale` when the probe has stopped checking.
    pub fn of_endpoint(endpoint: &EndpointStatus, stale: bool) -> Shown {
        if endpoint.maintenance.is_some() {
            Shown::Maintenance
        } else if stale {
            Shown::Stale
        } else if endpoint.flapping {
            Shown::Flapping(endpoint.state)
        } else {
            Shown::State(endpoint.state)
        }
    }
}

/// `(message, colour name, hex)`.
fn look(shown: Shown) -> (&'static str, &'static str, &'static str) {
    match shown {
        Shown::Flapping(state) => {
            // Flapping is never shown as healthy, whatever the latest probe said.
            let (_, name, hex) = look(Shown::State(state.max(State::Regional)));
            ("flapping", name, hex)
        }
        Shown::Maintenance => ("maintenance", "blue", "#007ec6"),
        Shown::Stale => ("stale", "lightgrey", "#9f9f9f"),
        Shown::NoEndpoints => ("no endpoints", "lightgrey", "#9f9f9f"),
        Shown::Unavailable => ("unavailable", "lightgrey", "#9f9f9f"),
        Shown::State(State::Up) => ("up", "brightgreen", "#4c1"),
        Shown::State(State::Unknown) => ("no data", "lightgrey", "#9f9f9f"),
        Shown::State(State::Degraded) => ("degraded", "yellow", "#dfb317"),
        Shown::State(State::Regional) => ("regional outage", "orange", "#fe7d37"),
        Shown::State(State::Down) => ("down", "red", "#e05d44"),
    }
}

/// shields.io endpoint JSON: `{"schemaVersion": 1, "label", "message", "color"}`.
pub fn shields(label: &str, shown: Shown) -> Value {
    let (message, colour, _) = look(shown);
    json!({ "schemaVersion": 1, "label": label, "message": message, "color": colour })
}

/// A flat badge in the shields.io style; widths estimated from character counts.
pub fn svg(label: &str, shown: Shown) -> String {
    let (message, _, colour) = look(shown);
    let width = |text: &str| 10 + text.chars().count() as u32 * 7;
    let (left, right) = (width(label), width(message));
    let total = left + right;
    let (label, message) = (escape(label), escape(message));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{total}\" height=\"20\" role=\"img\" aria-label=\"{label}: {message}\">\
<title>{label}: {message}</title><linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>\
<clipPath id=\"r\"><rect width=\"{total}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath><g clip-path=\"url(#r)\">\
<rect width=\"{left}\" height=\"20\" fill=\"#555\"/><rect x=\"{left}\" width=\"{right}\" height=\"20\" fill=\"{colour}\"/><rect width=\"{total}\" height=\"20\" fill=\"url(#s)\"/></g>\
<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">\
<text x=\"{}\" y=\"14\">{label}</text><text x=\"{}\" y=\"14\">{message}</text></g></svg>",
        left / 2,
        left + right / 2,
    )
}
