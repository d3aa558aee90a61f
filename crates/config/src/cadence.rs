//! What probing at a cadence costs per day on the free plan when each region's Durable
//! Object runs its own rounds on alarms and reports each round to the monitor: requests,
//! SQLite rows written and duration, in a steady day and in the worst one (every endpoint
//! hanging until its timeout, all day). A cadence is sustainable when the worst day fits.
//!
//! The figures come from Cloudflare's Durable Objects pricing: requests include alarm
//! invocations; duration is wall-clock time while an object runs (awaiting a probe counts),
//! billed at 128 MB.

use crate::budget::region_worst_case_ms;
use crate::limits::*;

/// The fastest cadence offered, in seconds.
pub const MIN_INTERVAL_SECONDS: u32 = 10;
/// A healthy probe round, per batch of [`FREE_CONNECTIONS`] probes (generous).
const HEALTHY_BATCH_MS: u64 = 300;
/// The monitor's work for one region's report (decisions, storage).
const MONITOR_REPORT_MS: u64 = 200;
/// Rows the monitor writes per report, as the platform's meter counts them (`rowsWritten`):
/// its state, one upsert. The id counters are written only when an id is taken, rollups and
/// incidents when they change (counted apart). Held to the meter by the worker tests.
pub const MONITOR_ROWS_PER_REPORT: u64 = 1;
/// Rows a region writes per alarm that probes (a round, a recheck, probes asked for): its
/// plan (one upsert) and its next alarm (billed as one row). Held to the meter likewise.
pub const REGION_ROWS_PER_RUN: u64 = 2;
/// Rows per round of one region: its run, and the monitor's report of it.
const ROWS_PER_ROUND: u64 = REGION_ROWS_PER_RUN + MONITOR_ROWS_PER_REPORT;
/// Hourly and daily rollups per endpoint per day, with the pruning of old ones.
const ROLLUP_ROWS_PER_ENDPOINT: u64 = 24 + 1 + 24 + 1;

/// What is probed: the timeouts of the endpoints, and from how many regions. (Alert
/// deliveries retry with backoff, so they are not a per-round cost.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub timeouts_ms: Vec<u32>,
    pub regions: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Daily {
    pub interval_seconds: u32,
    /// Durable Object requests: each region's alarms and reports, the minute watchdog.
    pub requests: u64,
    pub rows_written: u64,
    /// A day of trouble: every round followed by a recheck (a run and a report more), which
    /// is as often as a region rechecks. Asks follow only new trouble while up, once.
    pub requests_worst: u64,
    pub rows_written_worst: u64,
    pub gb_seconds_steady: f64,
    /// Every endpoint hanging until its timeout, every round, all day.
    pub gb_seconds_worst: f64,
}

impl Daily {
    /// Why this day does not fit the free plan, if it does not.
    pub fn overrun(&self) -> Option<String> {
        let mut over = Vec::new();
        if self.requests_worst > FREE_DO_REQUESTS_PER_DAY {
            over.push(format!(
                "{} requests on a day of trouble (the free plan has {FREE_DO_REQUESTS_PER_DAY})",
                self.requests_worst
            ));
        }
        if self.rows_written_worst > FREE_ROWS_WRITTEN_PER_DAY {
            over.push(format!(
                "{} rows written on a day of trouble (the free plan has {FREE_ROWS_WRITTEN_PER_DAY})",
                self.rows_written_worst
            ));
        }
        if self.gb_seconds_worst > FREE_DURATION_GB_S_PER_DAY {
            over.push(format!(
                "{:.0} GB-s a day when every endpoint hangs (the free plan has {FREE_DURATION_GB_S_PER_DAY:.0})",
                self.gb_seconds_worst
            ));
        }
        (!over.is_empty()).then(|| over.join(", "))
    }
}

/// The day at `interval_seconds`.
pub fn daily(shape: &Shape, interval_seconds: u32) -> Daily {
    let interval = u64::from(interval_seconds.max(1));
    let regions = shape.regions as u64;
    let rounds = 86_400 / interval;
    let batches = shape.timeouts_ms.len().div_ceil(FREE_CONNECTIONS).max(1) as u64;
    // A round cannot last longer than the interval: the next one waits for it.
    let worst_round_ms = region_worst_case_ms(shape.timeouts_ms.iter().copied()).min(interval * 1000);
    let object_seconds = |round_ms: u64| (regions * rounds * (round_ms + MONITOR_REPORT_MS)) as f64 / 1000.0;
    let watchdog = regions * 24 * 60;
    let rollups = shape.timeouts_ms.len() as u64 * ROLLUP_ROWS_PER_ENDPOINT;
    Daily {
        interval_seconds,
        requests: regions * rounds * 2 + watchdog,
        rows_written: regions * rounds * ROWS_PER_ROUND + rollups,
        requests_worst: regions * rounds * 2 * 2 + watchdog,
        rows_written_worst: regions * rounds * ROWS_PER_ROUND * 2 + rollups,
        gb_seconds_steady: object_seconds(batches * HEALTHY_BATCH_MS) * BILLED_GB_PER_OBJECT,
        gb_seconds_worst: object_seconds(worst_round_ms) * BILLED_GB_PER_OBJECT,
    }
}

/// The fastest whole-second cadence whose worst day fits the free plan.
pub fn fastest_sustainable(shape: &Shape) -> Option<u32> {
    (MIN_INTERVAL_SECONDS..=3_600).find(|&interval| daily(shape, interval).overrun().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(endpoints: usize, timeout_ms: u32) -> Shape {
        Shape { timeouts_ms: vec![timeout_ms; endpoints], regions: 3 }
    }

    #[test]
    fn fifty_endpoints_in_three_regions_every_20_seconds() {
        let day = daily(&shape(50, 10_000), 20);
        assert_eq!(day.requests, 3 * 4_320 * 2 + 3 * 1_440);
        assert_eq!(day.rows_written, 3 * 4_320 * 3 + 50 * 50);
        assert_eq!(day.rows_written_worst, 3 * 4_320 * 6 + 50 * 50);
        assert!(day.gb_seconds_steady < FREE_DURATION_GB_S_PER_DAY, "{}", day.gb_seconds_steady);
        // Nine batches of hanging probes take 90 s: the region is busy all day.
        assert_eq!(day.gb_seconds_worst, 3.0 * 4_320.0 * 20.2 * BILLED_GB_PER_OBJECT);
        assert!(day.overrun().unwrap().contains("GB-s a day when every endpoint hangs"));
    }

    #[test]
    fn the_fastest_sustainable_cadence_fits_and_one_second_faster_does_not() {
        for (endpoints, timeout) in [(1, 10_000), (1, 5_000), (6, 5_000), (20, 5_000), (45, 10_000)] {
            let shape = shape(endpoints, timeout);
            let fastest = fastest_sustainable(&shape).expect("some cadence fits");
            assert!(daily(&shape, fastest).overrun().is_none());
            if fastest > MIN_INTERVAL_SECONDS {
                assert!(daily(&shape, fastest - 1).overrun().is_some(), "{endpoints} × {timeout} ms: {fastest} s");
            }
        }
        // One endpoint with the default 10 s timeout cannot sustain 20 s; with 5 s it can.
        assert!(fastest_sustainable(&shape(1, 10_000)).unwrap() > 20);
        assert!(fastest_sustainable(&shape(1, 5_000)).unwrap() <= 20);
    }

    #[test]
    fn cadences_whose_day_of_trouble_writes_past_the_free_rows_are_refused() {
        // At 13 s and 15 s, three regions write over 100,000 rows on a day of rechecks.
        for interval in [13, 15] {
            let day = daily(&shape(1, 1_000), interval);
            assert!(day.rows_written_worst > FREE_ROWS_WRITTEN_PER_DAY, "{interval} s: {}", day.rows_written_worst);
            assert!(day.overrun().unwrap().contains("rows written on a day of trouble"));
        }
        assert!(daily(&shape(1, 1_000), 20).overrun().is_none());
    }
}
