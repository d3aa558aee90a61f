//! What a configuration costs on Cloudflare's free plan, per tick and per day: the figures
//! validation checks a config against, `cargo xtask bench` records, and the worker sizes its
//! deadlines by. The worst case is the one that matters: an outage in which every endpoint
//! hangs until its timeout, because a Durable Object waiting on a probe is billed for it.

use crate::limits::*;
use crate::{Config, Endpoint};

/// Cron ticks per day (one a minute).
pub const TICKS_PER_DAY: u64 = 24 * 60;
/// Redirects a probe follows at most, when its endpoint follows them: each is a subrequest.
pub const MAX_REDIRECTS: usize = 3;
/// How long the monitor waits for one alert webhook.
pub const DELIVERY_TIMEOUT_MS: u32 = 5_000;
/// The monitor's own work per tick (decisions, storage), generously.
const MONITOR_TICK_MS: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TickCost {
    /// Requests the cron invocation makes: one per region object, one to the monitor.
    pub cron_subrequests: usize,
    /// Requests each region object makes: one per endpoint.
    pub region_subrequests: usize,
    /// Connections a region holds open at once (probes run this many at a time).
    pub connections: usize,
    /// SQLite rows the monitor writes per tick: the tick record, the endpoint states, the
    /// removal of the record that fell out of the 48 hours.
    pub rows_written: u64,
}

pub fn tick_cost(endpoints: usize, regions: usize) -> TickCost {
    TickCost {
        cron_subrequests: regions + 1,
        region_subrequests: endpoints,
        connections: endpoints.min(FREE_CONNECTIONS),
        rows_written: 3,
    }
}

/// Rows written per day: every tick's, plus one hourly rollup per endpoint each hour and one
/// daily rollup per endpoint each day, plus removing rollups older than 90 days.
pub fn rows_written_per_day(endpoints: usize, regions: usize) -> u64 {
    let endpoints = endpoints as u64;
    tick_cost(endpoints as usize, regions).rows_written * TICKS_PER_DAY
        + endpoints * 24
        + endpoints * 2
        + endpoints * 24
}

/// Subrequests one region's invocation may make: one per endpoint, plus its redirects.
pub fn region_subrequests<'a>(endpoints: impl IntoIterator<Item = &'a Endpoint>) -> usize {
    endpoints.into_iter().map(|e| 1 + if e.follow_redirects { MAX_REDIRECTS } else { 0 }).sum()
}

/// How long one region's probes take when every endpoint hangs: they run
/// [`FREE_CONNECTIONS`] at a time, each until its timeout (longest first fills the slots
/// worst). Milliseconds.
pub fn region_worst_case_ms(timeouts_ms: impl IntoIterator<Item = u32>) -> u64 {
    let mut timeouts: Vec<u64> = timeouts_ms.into_iter().map(u64::from).collect();
    timeouts.sort_unstable_by(|a, b| b.cmp(a));
    let mut slots = [0u64; FREE_CONNECTIONS];
    for timeout in timeouts {
        if let Some(earliest) = slots.iter_mut().min() {
            *earliest += timeout;
        }
    }
    slots.into_iter().max().unwrap_or(0)
}

/// Durable Object duration in the worst case, per tick and per day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duration {
    /// Seconds each region's object is busy in one tick.
    pub region_seconds: f64,
    /// Seconds the monitor is busy in one tick (alert webhooks that hang included).
    pub monitor_seconds: f64,
    /// GB-s billed per tick, at [`BILLED_GB_PER_OBJECT`].
    pub gb_seconds_per_tick: f64,
    pub gb_seconds_per_day: f64,
}

/// The duration a config costs when every endpoint and every alert webhook hangs.
pub fn worst_case_duration(config: &Config) -> Duration {
    let region_ms = region_worst_case_ms(config.endpoints.iter().map(|e| e.timeout_ms));
    let monitor_ms = u64::from(MONITOR_TICK_MS) + config.alerts.len() as u64 * u64::from(DELIVERY_TIMEOUT_MS);
    let object_seconds = (config.regions.len() as f64 * region_ms as f64 + monitor_ms as f64) / 1000.0;
    let gb_seconds_per_tick = object_seconds * BILLED_GB_PER_OBJECT;
    Duration {
        region_seconds: region_ms as f64 / 1000.0,
        monitor_seconds: monitor_ms as f64 / 1000.0,
        gb_seconds_per_tick,
        gb_seconds_per_day: gb_seconds_per_tick * TICKS_PER_DAY as f64,
    }
}

/// The longest timeout that keeps the worst case within the free plan's daily duration, for
/// this many endpoints, regions and alert targets (whole seconds, at least 1 s if any fits).
pub fn largest_timeout_that_fits(endpoints: usize, regions: usize, alerts: usize) -> Option<u32> {
    let per_tick_gb_s = FREE_DURATION_GB_S_PER_DAY / TICKS_PER_DAY as f64;
    let monitor_s = (f64::from(MONITOR_TICK_MS) + alerts as f64 * f64::from(DELIVERY_TIMEOUT_MS)) / 1000.0;
    let region_s = (per_tick_gb_s / BILLED_GB_PER_OBJECT - monitor_s) / regions.max(1) as f64;
    let rounds = endpoints.div_ceil(FREE_CONNECTIONS).max(1) as f64;
    let timeout_s = (region_s / rounds).floor();
    (timeout_s >= 1.0).then_some((timeout_s * 1000.0) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hanging_probes_run_six_at_a_time() {
        assert_eq!(region_worst_case_ms([10_000; 6]), 10_000);
        assert_eq!(region_worst_case_ms([10_000; 7]), 20_000);
        assert_eq!(region_worst_case_ms([10_000; 50]), 90_000);
        assert_eq!(region_worst_case_ms([]), 0);
    }

    #[test]
    fn the_largest_timeout_that_fits_does_fit() {
        for (endpoints, regions, alerts) in [(1, 3, 0), (10, 3, 1), (50, 3, 2), (50, 5, 3)] {
            let timeout = largest_timeout_that_fits(endpoints, regions, alerts).expect("some timeout fits");
            let region_ms = region_worst_case_ms(std::iter::repeat_n(timeout, endpoints));
            let monitor_ms = 200 + alerts as u64 * 5_000;
            let gb_s_day = (regions as u64 * region_ms + monitor_ms) as f64 / 1000.0 * BILLED_GB_PER_OBJECT * 1440.0;
            assert!(gb_s_day <= FREE_DURATION_GB_S_PER_DAY, "{endpoints} endpoints at {timeout} ms: {gb_s_day}");
        }
    }
}
