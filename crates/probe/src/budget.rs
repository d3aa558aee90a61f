//! What a tick costs on Cloudflare's free plan, so the design can show it fits.
//! The limits themselves are in `config::limits`, where validation also uses them.

pub use config::limits::*;

pub const TICKS_PER_DAY: u64 = 24 * 60;

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
