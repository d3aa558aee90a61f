//! History being summed: the hours and days still open, and the time each region's latest
//! probe of an endpoint stands for.
//!
//! - **Time-weighted.** A probe stands for the time until its region's next probe of the same
//!   endpoint, at most `span_cap_ms` (three intervals: longer is "no data"). A recheck 5 s
//!   after a failure ends the failure's time there, so rechecks and probes asked for refine
//!   the picture and never count twice. A probe that could not run stands for nothing.
//! - **Added to the period it was taken in.** A report that arrives after an hour or a day
//!   ended, but was taken before, is added to that hour or day.
//! - **Only grows.** A period closes once every region has reported past its end (a region's
//!   reports arrive in order, so none can still belong to it) or a grace of `grace_ms` has
//!   passed since. What a later report adds to a closed period comes out as an addition to
//!   its stored row ([`Closed`]), never as a replacement of it.
//!
//! Pure: times come from the reports (ms).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use api::State;

use crate::rollup::{period_start, window_uptime, Rollup, DAY, HOUR};

/// How long a probe may stand for, and how long a period waits for a silent region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spans {
    pub span_cap_ms: i64,
    pub grace_ms: i64,
}

/// A region's latest probe of an endpoint: when, what it found (`None`: it could not run),
/// and up to when its time has been counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastProbe {
    pub at_ms: i64,
    pub healthy: Option<bool>,
    pub counted_to_ms: i64,
}

/// What a report adds to the rows of a period: a period that closed, or an addition to one
/// closed before. The worker adds it to the stored row (or writes the row when there is none).
#[derive(Debug, Clone, PartialEq)]
pub struct Closed {
    pub endpoint: String,
    /// [`HOUR`] or [`DAY`].
    pub period: i64,
    pub start: i64,
    pub rollup: Rollup,
}

/// The open periods of one length, and where the closed ones end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OpenPeriods {
    /// Start → endpoint → rollup so far.
    pub open: BTreeMap<i64, BTreeMap<String, Rollup>>,
    /// Every period that ends at or before this is closed (stored).
    pub closed_to: i64,
}

impl OpenPeriods {
    fn add(&mut self, period: i64, endpoint: &str, at: i64, out: &mut Vec<Closed>, change: impl FnOnce(&mut Rollup)) {
        let start = period_start(at, period);
        if start < self.closed_to {
            // One addition per period and endpoint, however many parts of a report it takes.
            let same = |c: &Closed| c.endpoint == endpoint && c.period == period && c.start == start;
            match out.iter_mut().find(|c| same(c)) {
                Some(closed) => change(&mut closed.rollup),
                None => {
                    let mut rollup = Rollup::default();
                    change(&mut rollup);
                    out.push(Closed { endpoint: endpoint.to_string(), period, start, rollup });
                }
            }
        } else {
            change(self.open.entry(start).or_default().entry(endpoint.to_string()).or_default());
        }
    }

    /// Closes every open period that ends at or before `to`.
    fn close(&mut self, period: i64, to: i64, out: &mut Vec<Closed>) {
        let to = period_start(to, period);
        if to <= self.closed_to {
            return;
        }
        let still_open = self.open.split_off(&(to - period + 1));
        for (start, endpoints) in std::mem::replace(&mut self.open, still_open) {
            for (endpoint, rollup) in endpoints {
                out.push(Closed { endpoint, period, start, rollup });
            }
        }
        self.closed_to = to;
    }

    /// An endpoint's rollups still open, by start.
    pub fn of(&self, endpoint: &str) -> BTreeMap<i64, Rollup> {
        self.open.iter().filter_map(|(start, e)| Some((*start, e.get(endpoint)?.clone()))).collect()
    }
}

/// History being summed (see the module's text).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub hours: OpenPeriods,
    pub days: OpenPeriods,
    /// Endpoint → region → its latest probe.
    pub last: BTreeMap<String, BTreeMap<String, LastProbe>>,
    /// Per endpoint, `(hour start, up ms, down ms)` of the closed hours of the last day, with
    /// what late reports added to them: the 24-hour uptime without reading history on every
    /// status request.
    pub recent: BTreeMap<String, Vec<(i64, u64, u64)>>,
}

/// One region's probe of an endpoint: `None` when the probe could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe<'a> {
    pub region: &'a str,
    pub latency_ms: u32,
    pub healthy: Option<bool>,
}

impl Ledger {
    /// A state that begins with the hours before `hour_start` and the days before
    /// `day_start` already stored (state saved before the ledger kept several open).
    pub fn resumed(hour_start: i64, day_start: i64) -> Ledger {
        let mut ledger = Ledger::default();
        ledger.hours.closed_to = hour_start;
        ledger.days.closed_to = day_start;
        ledger
    }

    /// Adds one endpoint's part of a report taken at `at_ms`: the state declared after it,
    /// and each region's probe. Returns what it adds to periods already closed.
    pub fn add(&mut self, spans: Spans, endpoint: &str, at_ms: i64, state: State, probes: &[Probe]) -> Vec<Closed> {
        let out = self.add_unnoted(spans, endpoint, at_ms, state, probes);
        self.note_recent(&out);
        out
    }

    fn add_unnoted(&mut self, spans: Spans, endpoint: &str, at_ms: i64, state: State, probes: &[Probe]) -> Vec<Closed> {
        let mut out = Vec::new();
        let at = at_ms.div_euclid(1000);
        self.count(endpoint, at, &mut out, |r| r.count_state(state));
        for probe in probes {
            let previous = self.last.get(endpoint).and_then(|regions| regions.get(probe.region)).copied();
            // Reports from a region arrive in time order (the monitor refuses others).
            if previous.is_some_and(|previous| previous.at_ms >= at_ms) {
                continue;
            }
            if let Some(healthy) = probe.healthy {
                self.count(endpoint, at, &mut out, |r| r.count_probe(probe.region, probe.latency_ms, healthy));
            }
            let counted_to_ms = match previous {
                Some(previous) => {
                    self.count_span(spans, endpoint, previous, at_ms, &mut out);
                    previous.counted_to_ms.max(at_ms)
                }
                None => at_ms,
            };
            let last = LastProbe { at_ms, healthy: probe.healthy, counted_to_ms };
            self.last.entry(endpoint.to_string()).or_default().insert(probe.region.to_string(), last);
        }
        out
    }

    /// Closes the periods no report can still belong to: those that every region in
    /// `regions` has reported past (`last_report_ms`), and those `grace_ms` older than the
    /// latest report. The time the latest probes stand for is counted up to there first.
    pub fn close(
        &mut self,
        spans: Spans,
        regions: &[String],
        last_report_ms: &BTreeMap<String, i64>,
        latest_ms: i64,
    ) -> Vec<Closed> {
        let every_region_past =
            regions.iter().map(|r| last_report_ms.get(r).copied().unwrap_or(i64::MIN)).min().unwrap_or(i64::MIN);
        let to = every_region_past.max(latest_ms.saturating_sub(spans.grace_ms)).div_euclid(1000);
        let mut out = Vec::new();
        if period_start(to, HOUR) <= self.hours.closed_to {
            return out;
        }
        let to_ms = period_start(to, HOUR) * 1000;
        let tails: Vec<(String, String, LastProbe)> = self
            .last
            .iter()
            .flat_map(|(endpoint, regions)| {
                regions.iter().map(move |(region, last)| (endpoint.clone(), region.clone(), *last))
            })
            .filter(|(_, _, last)| last.counted_to_ms < to_ms)
            .collect();
        for (endpoint, region, last) in tails {
            self.count_span(spans, &endpoint, last, to_ms, &mut out);
            let counted_to_ms = last.counted_to_ms.max(to_ms.min(last.at_ms.saturating_add(spans.span_cap_ms)));
            if let Some(entry) = self.last.get_mut(&endpoint).and_then(|r| r.get_mut(&region)) {
                entry.counted_to_ms = counted_to_ms;
            }
        }
        // Tails added to hours closed before, then the hours closing now.
        self.note_recent(&out);
        let mut hours = Vec::new();
        self.hours.close(HOUR, to, &mut hours);
        self.note_recent(&hours);
        let since = period_start(to, HOUR) - DAY;
        self.recent.values_mut().for_each(|hours| hours.retain(|(start, _, _)| *start >= since));
        out.extend(hours);
        self.days.close(DAY, to, &mut out);
        out
    }

    /// Forgets endpoints and regions the config no longer has.
    pub fn retain(&mut self, endpoints: &[&String], regions: &[String]) {
        self.last.retain(|name, _| endpoints.contains(&name));
        self.last.values_mut().for_each(|r| r.retain(|region, _| regions.contains(region)));
        self.recent.retain(|name, _| endpoints.contains(&name));
    }

    /// Uptime over the 24 hours before `now` (Unix seconds), from the closed hours of the
    /// last day and the open ones, as `rollup::window_uptime` weighs them.
    pub fn uptime_24h(&self, endpoint: &str, now: i64) -> Option<f64> {
        let fraction = |up: u64, down: u64| (up + down > 0).then(|| 100.0 * up as f64 / (up + down) as f64);
        let closed =
            self.recent.get(endpoint).into_iter().flatten().map(|&(start, up, down)| (start, fraction(up, down)));
        let open = self.hours.open.iter().filter_map(|(start, e)| Some((*start, e.get(endpoint)?.uptime())));
        window_uptime(closed.chain(open).map(|(start, uptime)| (start, HOUR, uptime)), now - DAY, now)
    }

    /// Adds what closed hours gained to the last day's record.
    fn note_recent(&mut self, closed: &[Closed]) {
        for hour in closed.iter().filter(|c| c.period == HOUR) {
            let recent = self.recent.entry(hour.endpoint.clone()).or_default();
            match recent.iter_mut().find(|(start, _, _)| *start == hour.start) {
                Some((_, up, down)) => (*up, *down) = (*up + hour.rollup.up_ms, *down + hour.rollup.down_ms),
                None => recent.push((hour.start, hour.rollup.up_ms, hour.rollup.down_ms)),
            }
        }
    }

    fn count(&mut self, endpoint: &str, at: i64, out: &mut Vec<Closed>, change: impl Fn(&mut Rollup)) {
        self.hours.add(HOUR, endpoint, at, out, &change);
        self.days.add(DAY, endpoint, at, out, &change);
    }

    /// The time `last` stands for from where it was counted to, up to `until_ms` (and at
    /// most `span_cap_ms` after it was taken), split at hour boundaries.
    fn count_span(&mut self, spans: Spans, endpoint: &str, last: LastProbe, until_ms: i64, out: &mut Vec<Closed>) {
        let Some(healthy) = last.healthy else { return };
        let end_ms = until_ms.min(last.at_ms.saturating_add(spans.span_cap_ms));
        let mut from_ms = last.counted_to_ms.max(last.at_ms);
        while from_ms < end_ms {
            let hour_end_ms = (period_start(from_ms.div_euclid(1000), HOUR) + HOUR) * 1000;
            let to_ms = end_ms.min(hour_end_ms);
            let ms = u64::try_from(to_ms - from_ms).unwrap_or(0);
            self.count(endpoint, from_ms.div_euclid(1000), out, |r| r.count_time(healthy, ms));
            from_ms = to_ms;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPANS: Spans = Spans { span_cap_ms: 180_000, grace_ms: 180_000 };
    const T0: i64 = 1_795_896_000_000; // 2026-11-28 20:00 UTC, ms

    fn probe(region: &str, healthy: bool) -> Probe<'_> {
        Probe { region, latency_ms: 50, healthy: Some(healthy) }
    }

    #[test]
    fn a_recheck_shortens_a_failure_instead_of_counting_a_second_probe() {
        let mut ledger = Ledger::default();
        ledger.add(SPANS, "api", T0, State::Up, &[probe("weur", true)]);
        ledger.add(SPANS, "api", T0 + 60_000, State::Up, &[probe("weur", false)]);
        ledger.add(SPANS, "api", T0 + 65_000, State::Up, &[probe("weur", true)]);
        ledger.add(SPANS, "api", T0 + 120_000, State::Up, &[probe("weur", true)]);
        let hour = &ledger.hours.open[&(T0 / 1000)]["api"];
        assert_eq!((hour.up_ms, hour.down_ms), (115_000, 5_000), "the failure stood for 5 s, not a minute");
    }

    #[test]
    fn a_late_report_is_added_to_the_hour_it_was_taken_in() {
        let mut ledger = Ledger::default();
        let regions = ["weur".to_string(), "enam".to_string()];
        let mut last = BTreeMap::new();
        ledger.add(SPANS, "api", T0 + 3_590_000, State::Up, &[probe("weur", true)]);
        last.insert("weur".to_string(), T0 + 3_590_000);
        // enam's report of 20:59:55 arrives after weur's of 21:00:05.
        ledger.add(SPANS, "api", T0 + 3_605_000, State::Up, &[probe("weur", true)]);
        last.insert("weur".to_string(), T0 + 3_605_000);
        assert!(ledger.close(SPANS, &regions, &last, T0 + 3_605_000).is_empty(), "enam may still report for 20:00");
        ledger.add(SPANS, "api", T0 + 3_595_000, State::Up, &[probe("enam", false)]);
        last.insert("enam".to_string(), T0 + 3_595_000);
        let hour = &ledger.hours.open[&(T0 / 1000)]["api"];
        assert_eq!((hour.probes, hour.failed), (2, 1));
        // enam reports past 21:00: the hour closes, with enam's failure standing until then.
        ledger.add(SPANS, "api", T0 + 3_620_000, State::Up, &[probe("enam", true)]);
        last.insert("enam".to_string(), T0 + 3_620_000);
        let closed = ledger.close(SPANS, &regions, &last, T0 + 3_620_000);
        let hours: Vec<&Closed> = closed.iter().filter(|c| c.period == HOUR).collect();
        assert_eq!(hours.len(), 1);
        assert_eq!((hours[0].start, hours[0].rollup.probes, hours[0].rollup.down_ms), (T0 / 1000, 2, 5_000));
        assert_eq!(hours[0].rollup.up_ms, 10_000, "weur's probe stood 10 s in the hour");
    }

    #[test]
    fn a_report_for_a_closed_hour_is_an_addition_never_a_replacement() {
        let mut ledger = Ledger::default();
        let regions = ["weur".to_string(), "apac".to_string()];
        let mut last = BTreeMap::new();
        ledger.add(SPANS, "api", T0 + 1_000, State::Up, &[probe("weur", true)]);
        last.insert("weur".to_string(), T0 + 1_000);
        // apac is silent; weur carries on past the hour and the grace.
        let at = T0 + 3_600_000 + SPANS.grace_ms + 1_000;
        ledger.add(SPANS, "api", at, State::Up, &[probe("weur", true)]);
        last.insert("weur".to_string(), at);
        let closed = ledger.close(SPANS, &regions, &last, at);
        assert!(closed.iter().any(|c| c.period == HOUR && c.start == T0 / 1000), "closed after the grace");
        // apac's report from 20:30 finally arrives: one probe added to 20:00, and nothing else.
        let added = ledger.add(SPANS, "api", T0 + 1_800_000, State::Up, &[probe("apac", false)]);
        let hour: Vec<&Closed> = added.iter().filter(|c| c.period == HOUR).collect();
        assert_eq!(hour.len(), 1);
        assert_eq!(
            (hour[0].start, hour[0].rollup.ticks, hour[0].rollup.probes, hour[0].rollup.failed),
            (T0 / 1000, 1, 1, 1)
        );
    }

    #[test]
    fn a_probe_that_could_not_run_stands_for_no_time() {
        let mut ledger = Ledger::default();
        let unknown = Probe { region: "weur", latency_ms: 0, healthy: None };
        ledger.add(SPANS, "api", T0, State::Unknown, &[unknown]);
        ledger.add(SPANS, "api", T0 + 60_000, State::Unknown, &[unknown]);
        let hour = &ledger.hours.open[&(T0 / 1000)]["api"];
        assert_eq!((hour.probes, hour.up_ms, hour.down_ms, hour.uptime()), (0, 0, 0, None));
        assert_eq!(ledger.uptime_24h("api", T0 / 1000 + 60), None, "no evidence is not up");
    }

    #[test]
    fn a_long_silence_is_no_data_not_the_last_probe_stretched() {
        let mut ledger = Ledger::default();
        ledger.add(SPANS, "api", T0, State::Up, &[probe("weur", false)]);
        ledger.add(SPANS, "api", T0 + 1_200_000, State::Up, &[probe("weur", true)]);
        let hour = &ledger.hours.open[&(T0 / 1000)]["api"];
        assert_eq!(hour.down_ms, 180_000, "three intervals at most");
    }
}
