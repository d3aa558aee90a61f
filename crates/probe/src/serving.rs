//! How the public routes are served to a crowd: what may be cached, for how long, and what a
//! reader costs. Readers come all at once during an outage; Workers Cache (enabled in
//! `wrangler.toml`, on `*.workers.dev` and custom domains alike) answers them before the
//! Worker runs, as long as each answer says how long it holds.
//!
//! - A fresh answer holds for half the probe interval, at most 10 s when all is calm, 5 s in
//!   trouble and 2 s while a failure is being confirmed (a declaration may come any second);
//!   it may be served up to 20 s more while the cache fetches the next one
//!   (`stale-while-revalidate`), and for a day when the Worker fails (`stale-if-error`). A
//!   crowd costs one Worker run per route per cache tier per fresh period, and the monitor at
//!   most one read per isolate per fresh period (`worker/src/read_cache.rs`): every public
//!   route is made from one monitor answer (`api::View`).
//! - An answer made from the last known status (the monitor could not answer), an error, a
//!   write or a measurement is never cached.

use api::StatusReport;

/// The tag every cacheable answer carries, for a purge by tag.
pub const CACHE_TAG: &str = "outpost-status";
/// How long a fresh answer holds, at most (seconds): when all is calm, in trouble, and while
/// a failure is being confirmed.
pub const MAX_FRESH_SECONDS: u32 = 10;
pub const TROUBLE_FRESH_SECONDS: u32 = 5;
pub const CHECKING_FRESH_SECONDS: u32 = 2;
/// How long a cache may keep serving an answer while it fetches the next (seconds).
pub const REVALIDATE_SECONDS: u32 = 20;
/// How long a cache may keep serving an answer while the Worker fails (seconds).
pub const IF_ERROR_SECONDS: u32 = 86_400;

/// What an answer is, for caching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The current status, or a view of it (page, JSON, badge, feed), or a 404.
    Fresh,
    /// Made from the last status the worker had: the monitor could not answer.
    LastKnown,
    /// An error, a write (`POST /api/probe`), or a measurement (`/api/meta`).
    Uncacheable,
}

/// The `Cache-Control` header of an answer that holds `fresh_seconds` when fresh.
pub fn cache_control(answer: Answer, fresh_seconds: u32) -> String {
    match answer {
        Answer::Fresh => format!(
            "public, max-age={fresh_seconds}, stale-while-revalidate={REVALIDATE_SECONDS}, stale-if-error={IF_ERROR_SECONDS}"
        ),
        Answer::LastKnown | Answer::Uncacheable => "no-store".to_string(),
    }
}

/// Half the probe interval, at least 1 s and at most [`MAX_FRESH_SECONDS`]: how long an
/// answer holds when nothing is known of what it says.
pub fn fresh_seconds(interval_seconds: u32) -> u32 {
    (interval_seconds / 2).clamp(1, MAX_FRESH_SECONDS)
}

/// How long an answer made from `report` holds: shorter while something is being confirmed
/// or is in trouble, so readers learn of a declaration within seconds.
pub fn fresh_seconds_of(report: &StatusReport, interval_seconds: u32) -> u32 {
    let cap = if report.is_checking() {
        CHECKING_FRESH_SECONDS
    } else if report.is_calm() {
        MAX_FRESH_SECONDS
    } else {
        TROUBLE_FRESH_SECONDS
    };
    fresh_seconds(interval_seconds).min(cap)
}

/// Monitor requests one run of the Worker makes for any public route: its view (`api::View`).
pub const MONITOR_READS_PER_RUN: u64 = 1;
/// Rows one view reads at most: the recent incidents (`LIMIT 50`) and the state.
pub const ROWS_PER_VIEW: u64 = 51;

/// What a day of readers costs: `viewers` reloading one route every `reload_seconds`, all
/// day, from `data_centres` data centres, with the probe every `interval_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderDay {
    /// Requests to the Worker, cache hits included: the free plan counts every one.
    pub worker_requests: u64,
    /// Runs of the Worker at most: cache misses, one per route per data centre per fresh
    /// period (fewer with the tiered cache), and never more than the requests.
    pub worker_runs: u64,
    /// Durable Object requests at most: each run reads the monitor's view once (the
    /// isolate's copy serves the rest of the fresh period).
    pub do_requests: u64,
    /// SQLite rows read at most by those requests.
    pub rows_read: u64,
}

pub fn readers_day(viewers: u64, reload_seconds: u32, interval_seconds: u32, data_centres: u64) -> ReaderDay {
    let worker_requests = viewers * 86_400 / u64::from(reload_seconds.max(1));
    let misses = data_centres.min(viewers) * 86_400 / u64::from(fresh_seconds(interval_seconds));
    let worker_runs = misses.min(worker_requests);
    let do_requests = worker_runs * MONITOR_READS_PER_RUN;
    ReaderDay { worker_requests, worker_runs, do_requests, rows_read: worker_runs * ROWS_PER_VIEW }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_answer_holds_half_an_interval_and_survives_a_failing_worker() {
        assert_eq!(
            cache_control(Answer::Fresh, fresh_seconds(20)),
            "public, max-age=10, stale-while-revalidate=20, stale-if-error=86400"
        );
        assert_eq!(fresh_seconds(6), 3);
        assert_eq!(fresh_seconds(1), 1);
        assert_eq!(fresh_seconds(3_600), MAX_FRESH_SECONDS);
    }

    #[test]
    fn an_answer_holds_briefly_while_a_failure_is_being_confirmed_and_in_trouble() {
        let calm = StatusReport {
            title: "t".into(),
            generated_at: 0,
            checked_at: Some(0),
            stale_since: None,
            regions: vec!["weur".into()],
            endpoints: Vec::new(),
        };
        assert_eq!(fresh_seconds_of(&calm, 20), 10);
        let endpoint: api::EndpointStatus = serde_json::from_value(serde_json::json!({
            "name": "api", "state": "up", "since": 0, "runbook": null, "regions": [], "uptime_24h": null,
            "checking": { "state": "down", "since": 0, "regions": ["weur"] }
        }))
        .unwrap();
        let checking = StatusReport { endpoints: vec![endpoint.clone()], ..calm.clone() };
        assert_eq!(fresh_seconds_of(&checking, 20), 2);
        let down = api::EndpointStatus { state: api::State::Down, checking: None, ..endpoint };
        assert_eq!(fresh_seconds_of(&StatusReport { endpoints: vec![down], ..calm.clone() }, 20), 5);
        assert_eq!(fresh_seconds_of(&StatusReport { stale_since: Some(0), ..calm }, 20), 5, "stale is not calm");
    }

    #[test]
    fn a_crowd_pays_a_request_per_view_but_the_monitor_a_read_per_fresh_period() {
        let one = readers_day(1, 30, 20, 1);
        assert_eq!((one.worker_requests, one.worker_runs), (2_880, 2_880), "alone, every view misses");
        let crowd = readers_day(10_000, 30, 20, 50);
        assert_eq!(crowd.worker_requests, 28_800_000);
        assert_eq!(crowd.worker_runs, 50 * 8_640, "bounded by data centres, not viewers");
        assert_eq!(crowd.do_requests, 50 * 8_640, "one view per run");
    }

    #[test]
    fn the_last_known_status_and_errors_are_never_cached() {
        assert_eq!(cache_control(Answer::LastKnown, 10), "no-store");
        assert_eq!(cache_control(Answer::Uncacheable, 10), "no-store");
    }
}
