//! History within the free plan's write budget: the reports are summed in memory
//! (`crate::ledger`), and each hour and each day is stored as one row per endpoint, kept 90
//! days, from which uptime and latency percentiles come.
//!
//! Uptime is what was observed, weighted by time: each probe stands for the time until its
//! region's next probe of the endpoint, so a failing probe is down time for its region until
//! a probe says otherwise. One region of three failing for an hour makes that hour 66.67 %; a
//! failure too short to be declared still counts, for as long as it lasted; a recheck 5 s
//! after a failure shortens the failure's time instead of adding a second probe's worth.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use api::State;
use api::{PeriodSummary, RegionLatency, Uptime};

pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;
pub const ROLLUP_RETENTION: i64 = 90 * DAY;

/// One endpoint's part of a report: the state declared after it, and each region's probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointTick {
    pub endpoint: String,
    pub state: State,
    /// `(region, latency ms, healthy)`.
    pub regions: Vec<(String, u32, bool)>,
}

/// Ticks, states and latencies of one endpoint over an hour or a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollup {
    pub ticks: u32,
    pub down: u32,
    pub regional: u32,
    pub degraded: u32,
    /// Reports after which no region could vouch for the endpoint (state unknown).
    #[serde(default)]
    pub unknown: u32,
    /// Latency histogram per region: counts per bucket of [`BUCKET_BOUNDS_MS`].
    pub latency: BTreeMap<String, Vec<u32>>,
    /// Probes with a known outcome, over every region, and how many of them failed
    /// (0 in rollups written before uptime counted probes: those count ticks).
    #[serde(default)]
    pub probes: u32,
    #[serde(default)]
    pub failed: u32,
    /// Time that healthy and failing probes stand for, summed over every region (ms; 0 in
    /// rollups written before uptime was weighted by time: those count probes).
    #[serde(default)]
    pub up_ms: u64,
    #[serde(default)]
    pub down_ms: u64,
}

/// How uptime is computed, as the API states it.
pub const UPTIME_BASIS: &str = "the share of observed time that was healthy, over every region: each probe stands for the time until its region's next probe (at most three intervals), so a failing probe is down time for its region until a probe says otherwise";

/// Upper bounds of the latency buckets, in ms; a percentile is reported as its bucket's bound.
pub const BUCKET_BOUNDS_MS: &[u32] = &[
    10,
    20,
    30,
    50,
    75,
    100,
    150,
    200,
    300,
    400,
    500,
    750,
    1_000,
    1_500,
    2_000,
    3_000,
    5_000,
    7_500,
    10_000,
    15_000,
    30_000,
    60_000,
    u32::MAX,
];

impl Rollup {
    pub fn add(&mut self, tick: &EndpointTick) {
        self.count_state(tick.state);
        for (region, latency, healthy) in &tick.regions {
            self.count_probe(region, *latency, *healthy);
        }
    }

    /// One report's declared state.
    pub fn count_state(&mut self, state: State) {
        self.ticks += 1;
        match state {
            State::Down => self.down += 1,
            State::Regional => self.regional += 1,
            State::Degraded => self.degraded += 1,
            State::Unknown => self.unknown += 1,
            State::Up => {}
        }
    }

    /// One probe with a known outcome.
    pub fn count_probe(&mut self, region: &str, latency_ms: u32, healthy: bool) {
        self.probes += 1;
        self.failed += u32::from(!healthy);
        // Failed probes say nothing about how fast the endpoint answers.
        if healthy {
            let bucket = BUCKET_BOUNDS_MS.iter().position(|b| latency_ms <= *b).unwrap_or(BUCKET_BOUNDS_MS.len() - 1);
            let histogram = self.latency.entry(region.to_string()).or_insert_with(|| vec![0; BUCKET_BOUNDS_MS.len()]);
            histogram[bucket] += 1;
        }
    }

    /// Time a healthy or failing probe stands for.
    pub fn count_time(&mut self, healthy: bool, ms: u64) {
        if healthy {
            self.up_ms += ms;
        } else {
            self.down_ms += ms;
        }
    }

    pub fn merge(&mut self, other: &Rollup) {
        self.ticks += other.ticks;
        self.down += other.down;
        self.regional += other.regional;
        self.degraded += other.degraded;
        self.unknown += other.unknown;
        self.probes += other.probes;
        self.failed += other.failed;
        self.up_ms += other.up_ms;
        self.down_ms += other.down_ms;
        for (region, counts) in &other.latency {
            let mine = self.latency.entry(region.clone()).or_insert_with(|| vec![0; BUCKET_BOUNDS_MS.len()]);
            for (a, b) in mine.iter_mut().zip(counts) {
                *a += b;
            }
        }
    }

    /// Percent of observed time that was healthy ([`UPTIME_BASIS`]); for a rollup from before
    /// time was weighed, of probes that succeeded, and before probes were counted, of ticks
    /// not declared down. `None` when nothing was observed.
    pub fn uptime(&self) -> Option<f64> {
        let observed = self.up_ms + self.down_ms;
        if observed > 0 {
            return Some(100.0 * self.up_ms as f64 / observed as f64);
        }
        if self.probes > 0 {
            return Some(100.0 * f64::from(self.probes - self.failed.min(self.probes)) / f64::from(self.probes));
        }
        let vouched = self.ticks.saturating_sub(self.unknown);
        (vouched > 0).then(|| 100.0 * f64::from(vouched.saturating_sub(self.down)) / f64::from(vouched))
    }

    /// The worst state declared in the period; `None` when no report vouched for any.
    pub fn worst(&self) -> Option<State> {
        match self {
            Rollup { ticks, unknown, .. } if ticks == unknown => None,
            Rollup { down: 1.., .. } => Some(State::Down),
            Rollup { regional: 1.., .. } => Some(State::Regional),
            Rollup { degraded: 1.., .. } => Some(State::Degraded),
            _ => Some(State::Up),
        }
    }

    /// A region's median latency over its healthy probes; `None` without any.
    pub fn p50(&self, region: &str) -> Option<u32> {
        self.latency.get(region).filter(|counts| counts.iter().any(|&c| c > 0)).map(|counts| percentile(counts, 50))
    }

    pub fn summary(&self, start: i64) -> PeriodSummary {
        PeriodSummary {
            start,
            uptime: self.uptime(),
            ticks: self.ticks,
            latency: self
                .latency
                .iter()
                .map(|(region, counts)| RegionLatency {
                    region: region.clone(),
                    p50_ms: percentile(counts, 50),
                    p95_ms: percentile(counts, 95),
                    p99_ms: percentile(counts, 99),
                })
                .collect(),
        }
    }
}

fn percentile(counts: &[u32], percent: u32) -> u32 {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if total == 0 {
        return 0;
    }
    let rank = (total * u64::from(percent)).div_ceil(100).max(1);
    let mut seen = 0u64;
    for (bucket, &count) in counts.iter().enumerate() {
        seen += u64::from(count);
        if seen >= rank {
            return BUCKET_BOUNDS_MS[bucket];
        }
    }
    BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.len() - 1]
}

/// The start of the hour or day holding `at`.
pub fn period_start(at: i64, period: i64) -> i64 {
    at - at.rem_euclid(period)
}

/// Uptime over the last 24 h, 7 d, 30 d and 90 d at `now`, from hourly rollups (recent) and
/// daily ones (older), each keyed by its start: [`window_uptime`] of their uptimes.
pub fn uptime(hourly: &BTreeMap<i64, Rollup>, daily: &BTreeMap<i64, Rollup>, now: i64) -> Uptime {
    let window = |span: i64| {
        let (periods, length) = if span <= 7 * DAY { (hourly, HOUR) } else { (daily, DAY) };
        let from = now - span;
        let items = periods.range(period_start(from, length)..).map(|(start, r)| (*start, length, r.uptime()));
        window_uptime(items, from, now)
    };
    Uptime { last_24h: window(DAY), last_7d: window(7 * DAY), last_30d: window(30 * DAY), last_90d: window(90 * DAY) }
}

/// Uptime over `from..to`: the mean of the uptimes of the periods in it (`(start, length,
/// uptime)`, `None` for no data), each weighted by how much of the window it covers. Each
/// period's own uptime is weighted by time within it (or counted by probes, in rollups
/// written before), so periods of either kind mix without one outweighing the other, and the
/// hour that has just begun counts for the minutes it has had.
pub fn window_uptime(periods: impl IntoIterator<Item = (i64, i64, Option<f64>)>, from: i64, to: i64) -> Option<f64> {
    let (sum, weight) = periods
        .into_iter()
        .filter_map(|(start, length, uptime)| {
            let covered = (start + length).min(to) - start.max(from);
            Some((uptime?, covered as f64)).filter(|_| covered > 0)
        })
        .fold((0.0, 0.0), |(sum, weight), (uptime, covered)| (sum + uptime * covered, weight + covered));
    (weight > 0.0).then(|| sum / weight)
}
