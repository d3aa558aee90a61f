//! `GET /api/pictures`: what every status page shows at a glance, per endpoint: a 90-day
//! uptime bar (one cell a day, coloured by its worst state) and a 24-hour latency line per
//! region. The status page and the site draw the same cells from these types, so the two
//! pictures never disagree.

use serde::{Deserialize, Serialize};

use crate::verdict::State;

/// Days in the uptime bar.
pub const DAYS: usize = 90;
/// Hours in the latency lines.
pub const HOURS: usize = 24;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pictures {
    pub generated_at: i64,
    /// How a day's uptime is computed, in words.
    #[serde(default)]
    pub uptime_basis: String,
    pub endpoints: Vec<EndpointPictures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointPictures {
    pub name: String,
    /// The last [`DAYS`] days, oldest first, today last.
    pub days: Vec<DayCell>,
    /// One line per region over the last [`HOURS`] hours.
    pub latency: Vec<LatencyLine>,
}

/// One day of the uptime bar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayCell {
    /// Unix seconds of the day's start (UTC).
    pub start: i64,
    /// Percent of probes that succeeded, 0 to 100; `None` when nothing was checked that day.
    pub uptime: Option<f64>,
    /// The worst state any check that day was declared; `None` without checks.
    pub worst: Option<State>,
}

impl DayCell {
    /// The CSS class both renderers colour the cell by.
    pub fn class(&self) -> &'static str {
        self.worst.map_or("none", State::class)
    }

    /// A day with trouble: the bar makes it a keyboard stop.
    pub fn is_trouble(&self) -> bool {
        self.worst.is_some_and(|worst| worst != State::Up)
    }

    /// "2026-11-28: 99.31% up, down at times", for the cell's tooltip and screen readers.
    pub fn describe(&self) -> String {
        let date = calendar::DateTime::utc(self.start).date();
        match (self.uptime, self.worst) {
            (Some(uptime), Some(State::Up)) => format!("{date}: {} up", percent(uptime)),
            (Some(uptime), Some(worst)) => format!("{date}: {} up, {} at times", percent(uptime), worst.label()),
            _ => format!("{date}: no data"),
        }
    }
}

/// `100%`, `99.31%`: two decimals unless whole.
pub fn percent(value: f64) -> String {
    if value >= 100.0 {
        return "100%".into();
    }
    // Never round a bad day up to "100%". Integer digits: formatting floats with a precision
    // costs the site's WebAssembly 5 KB.
    let hundredths = (value.max(0.0) * 100.0).floor() as u32;
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// The uptime over the cells that have data, for the line under the bar.
pub fn overall_uptime(days: &[DayCell]) -> Option<f64> {
    let known: Vec<f64> = days.iter().filter_map(|d| d.uptime).collect();
    (!known.is_empty()).then(|| known.iter().sum::<f64>() / known.len() as f64)
}

/// Days a narrow screen's bar shows.
pub const NARROW_DAYS: usize = 30;

/// The words under the bar, `(all days, the last 30)`: "99.95% up" or "no data yet".
pub fn legend(days: &[DayCell]) -> (String, String) {
    let words = |days: &[DayCell]| match overall_uptime(days) {
        Some(uptime) => format!("{} up", percent(uptime)),
        None => "no data yet".to_string(),
    };
    (words(days), words(&days[days.len().saturating_sub(NARROW_DAYS)..]))
}

/// A region's median latency per hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyLine {
    pub region: String,
    /// Unix seconds of the first hour's start.
    pub from: i64,
    /// Median latency of healthy checks per hour (ms), oldest first; `None` for an hour with
    /// none.
    pub p50_ms: Vec<Option<u32>>,
}

impl LatencyLine {
    /// An SVG path through the hours, `width` × `height`, scaled so `max_ms` touches the top;
    /// an hour without data breaks the line. Empty when there is nothing to draw.
    pub fn svg_path(&self, width: f64, height: f64, max_ms: u32) -> String {
        let steps = self.p50_ms.len().saturating_sub(1).max(1) as f64;
        let max = f64::from(max_ms.max(1));
        let mut path = String::new();
        let mut pen_down = false;
        for (hour, value) in self.p50_ms.iter().enumerate() {
            let Some(ms) = value else {
                pen_down = false;
                continue;
            };
            let x = width * hour as f64 / steps;
            let y = height - height * f64::from((*ms).min(max_ms.max(1))) / max;
            let command = if pen_down { 'L' } else { 'M' };
            path.push_str(&format!("{command}{x:.1} {y:.1}"));
            // A lone point still shows: a dot-length line.
            if !pen_down && self.p50_ms.get(hour + 1).is_none_or(Option::is_none) {
                path.push_str("h0.1");
            }
            pen_down = true;
        }
        path
    }

    /// The latest hour with data, for the number beside the line.
    pub fn latest(&self) -> Option<u32> {
        self.p50_ms.iter().rev().find_map(|v| *v)
    }
}

/// The highest value among the lines, so an endpoint's regions share one scale.
pub fn scale(lines: &[LatencyLine]) -> u32 {
    lines.iter().flat_map(|l| l.p50_ms.iter().flatten().copied()).max().unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(uptime: Option<f64>, worst: Option<State>) -> DayCell {
        DayCell { start: 1_795_824_000, uptime, worst }
    }

    #[test]
    fn a_day_says_its_date_uptime_and_worst_state() {
        assert_eq!(cell(Some(100.0), Some(State::Up)).describe(), "2026-11-28: 100% up");
        assert_eq!(cell(Some(99.3159), Some(State::Down)).describe(), "2026-11-28: 99.31% up, down at times");
        assert_eq!(cell(None, None).describe(), "2026-11-28: no data");
        assert_eq!(cell(None, None).class(), "none");
        assert_eq!(cell(Some(100.0), Some(State::Regional)).class(), "regional");
    }

    #[test]
    fn a_bad_day_is_never_rounded_up_to_full_uptime() {
        assert_eq!(percent(99.999), "99.99%");
        assert_eq!(percent(0.0), "0.00%");
    }

    #[test]
    fn the_latency_line_breaks_where_an_hour_has_no_data() {
        let line = LatencyLine { region: "weur".into(), from: 0, p50_ms: vec![Some(100), Some(50), None, Some(100)] };
        assert_eq!(line.svg_path(30.0, 10.0, 100), "M0.0 0.0L10.0 5.0M30.0 0.0h0.1");
        assert_eq!(line.latest(), Some(100));
        let empty = LatencyLine { region: "weur".into(), from: 0, p50_ms: vec![None; 24] };
        assert_eq!(empty.svg_path(30.0, 10.0, 100), "");
        assert_eq!(scale(&[line, empty]), 100);
    }

    #[test]
    fn overall_uptime_counts_only_days_with_data() {
        let days = [cell(Some(100.0), Some(State::Up)), cell(None, None), cell(Some(50.0), Some(State::Down))];
        assert_eq!(overall_uptime(&days), Some(75.0));
        assert_eq!(overall_uptime(&[cell(None, None)]), None);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever the probe sends, a line is drawn within its box, one point per hour.
        #[test]
        fn a_latency_line_stays_in_its_box(values in proptest::collection::vec(proptest::option::of(any::<u32>()), 0..200), max in any::<u32>()) {
            let line = LatencyLine { region: "weur".into(), from: 0, p50_ms: values.clone() };
            let path = line.svg_path(96.0, 18.0, max);
            let points = values.iter().flatten().count();
            prop_assert!(path.len() <= points * 24);
            for number in path.split(|c: char| c.is_ascii_alphabetic() || c == ' ').filter(|n| !n.is_empty()) {
                let n: f64 = number.parse().unwrap();
                prop_assert!((0.0..=96.1).contains(&n), "{n} in {path}");
            }
        }

        #[test]
        fn any_day_is_described_without_panicking(start in any::<i64>(), uptime in proptest::option::of(any::<f64>())) {
            let cell = DayCell { start, uptime, worst: uptime.map(|_| State::Down) };
            prop_assert!(cell.describe().len() < 120);
        }
    }
}
