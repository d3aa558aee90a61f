//! How the public routes are served to a crowd: what may be cached, for how long, and what a
//! reader costs. Readers come all at once during an outage; Workers Cache (enabled in
//! `wrangler.toml`, on `*.workers.dev` and custom domains alike) answers them before the
//! Worker runs, as long as each answer says how long it holds.
//!
//! - A fresh answer holds 5 s (at most half the probe interval), 2 s while a failure is being
//!   confirmed (a declaration may come any second), counted from when the monitor gave it, so
//!   the isolate's copy and the cache's never add up. It may be served for a day when the
//!   Worker fails (`stale-if-error`). There is no `stale-while-revalidate`: a lone reader
//!   would always get the answer before last, and the cache collapses concurrent misses
//!   anyway. A crowd costs one Worker run per cache tier per fresh period, and each run at
//!   most one monitor read (`api::View`, which every route is made from; the isolate's copy
//!   is shared, `worker/src/read_cache.rs`).
//! - Fresh for 5 s plus the site's calm reading every 15 s adds up to about the default
//!   confirm window (20 s): an open page usually sees "checking" before the declaration, then
//!   reads every 5 s; when it does not, it sees the declaration at its next calm read.
//! - An answer made from the last known status (the monitor could not answer), an error, a
//!   write or a measurement is never cached.

use api::StatusReport;

/// The tag every cacheable answer carries, for a purge by tag.
pub const CACHE_TAG: &str = "outpost-status";
/// How long a fresh answer holds, at most (seconds), and while a failure is being confirmed.
pub const MAX_FRESH_SECONDS: u32 = 5;
pub const CHECKING_FRESH_SECONDS: u32 = 2;
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

/// The `Cache-Control` header of an answer that holds `fresh_seconds` more when fresh.
pub fn cache_control(answer: Answer, fresh_seconds: u32) -> String {
    match answer {
        Answer::Fresh => format!("public, max-age={}, stale-if-error={IF_ERROR_SECONDS}", fresh_seconds.max(1)),
        Answer::LastKnown | Answer::Uncacheable => "no-store".to_string(),
    }
}

/// Half the probe interval, at least 1 s and at most [`MAX_FRESH_SECONDS`]: how long an
/// answer holds when nothing is known of what it says.
pub fn fresh_seconds(interval_seconds: u32) -> u32 {
    (interval_seconds / 2).clamp(1, MAX_FRESH_SECONDS)
}

/// How long an answer made from `report` holds: shorter while something is being confirmed,
/// so readers learn of the declaration within seconds.
pub fn fresh_seconds_of(report: &StatusReport, interval_seconds: u32) -> u32 {
    let cap = if report.is_checking() { CHECKING_FRESH_SECONDS } else { MAX_FRESH_SECONDS };
    fresh_seconds(interval_seconds).min(cap)
}

/// Monitor requests one run of the Worker makes for any public route: its view (`api::View`).
pub const MONITOR_READS_PER_RUN: u64 = 1;

/// What a day of readers costs: `viewers` reloading one route every `reload_seconds`, all
/// day, answered by `tiers` caches that run the Worker on a miss (one upper tier with the
/// tiered cache; a data centre each without it), with the probe every `interval_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderDay {
    /// Requests to the Worker, cache hits included: the free plan counts every one.
    pub worker_requests: u64,
    /// Runs of the Worker at most: a miss per route per tier per fresh period, never more
    /// than the requests.
    pub worker_runs: u64,
    /// Durable Object requests at most: each run reads the monitor's view once (the
    /// isolate's copy serves the rest of the fresh period). The view is made from memory:
    /// no rows are read per view.
    pub do_requests: u64,
}

pub fn readers_day(viewers: u64, reload_seconds: u32, interval_seconds: u32, tiers: u64) -> ReaderDay {
    let worker_requests = viewers * 86_400 / u64::from(reload_seconds.max(1));
    let misses = tiers.min(viewers) * 86_400 / u64::from(fresh_seconds(interval_seconds));
    let worker_runs = misses.min(worker_requests);
    ReaderDay { worker_requests, worker_runs, do_requests: worker_runs * MONITOR_READS_PER_RUN }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_answer_holds_five_seconds_at_most_and_survives_a_failing_worker() {
        assert_eq!(cache_control(Answer::Fresh, fresh_seconds(20)), "public, max-age=5, stale-if-error=86400");
        assert_eq!(cache_control(Answer::Fresh, 0), "public, max-age=1, stale-if-error=86400");
        assert_eq!(fresh_seconds(6), 3);
        assert_eq!(fresh_seconds(1), 1);
        assert_eq!(fresh_seconds(3_600), MAX_FRESH_SECONDS);
    }

    #[test]
    fn an_answer_holds_briefly_while_a_failure_is_being_confirmed() {
        let calm = StatusReport {
            title: "t".into(),
            generated_at: 0,
            checked_at: Some(0),
            stale_since: None,
            regions: vec!["weur".into()],
            endpoints: Vec::new(),
            posted: Vec::new(),
        };
        assert_eq!(fresh_seconds_of(&calm, 20), 5);
        let endpoint: api::EndpointStatus = serde_json::from_value(serde_json::json!({
            "name": "api", "state": "up", "since": 0, "runbook": null, "regions": [], "uptime_24h": null,
            "checking": { "state": "down", "since": 0, "regions": ["weur"] }
        }))
        .unwrap();
        let checking = StatusReport { endpoints: vec![endpoint.clone()], ..calm.clone() };
        assert_eq!(fresh_seconds_of(&checking, 20), 2);
        let down = api::EndpointStatus { state: api::State::Down, checking: None, ..endpoint };
        assert_eq!(fresh_seconds_of(&StatusReport { endpoints: vec![down], ..calm.clone() }, 20), 5);
        assert_eq!(fresh_seconds_of(&calm, 2), 1, "never more than half an interval");
    }

    #[test]
    fn a_crowd_pays_a_request_per_view_but_the_monitor_a_read_per_fresh_period() {
        let one = readers_day(1, 30, 20, 1);
        assert_eq!((one.worker_requests, one.worker_runs), (2_880, 2_880), "alone, every view misses");
        let crowd = readers_day(10_000, 30, 20, 3);
        assert_eq!(crowd.worker_requests, 28_800_000);
        assert_eq!(crowd.worker_runs, 3 * 17_280, "bounded by the tiers, not the viewers");
        assert_eq!(crowd.do_requests, 3 * 17_280, "one view per run");
    }

    #[test]
    fn the_last_known_status_and_errors_are_never_cached() {
        assert_eq!(cache_control(Answer::LastKnown, 10), "no-store");
        assert_eq!(cache_control(Answer::Uncacheable, 10), "no-store");
    }
}
