//! How the public routes are served to a crowd: what may be cached, for how long, and what a
//! reader costs. Readers come all at once during an outage; Workers Cache (enabled in
//! `wrangler.toml`, on `*.workers.dev` and custom domains alike) answers them before the
//! Worker runs, as long as each answer says how long it holds.
//!
//! - A fresh answer holds for half the probe interval (at most 10 s), may be served up to
//!   20 s more while the cache fetches the next one (`stale-while-revalidate`), and for a day
//!   when the Worker fails (`stale-if-error`): a crowd costs one Worker run per route per
//!   cache tier per few seconds, and the monitor at most one read per route per isolate per
//!   half interval (`worker/src/read_cache.rs`).
//! - An answer made from the last known status (the monitor could not answer), an error, a
//!   write or a measurement is never cached.

/// The tag every cacheable answer carries, for a purge by tag.
pub const CACHE_TAG: &str = "outpost-status";
/// How long a fresh answer holds, at most (seconds).
pub const MAX_FRESH_SECONDS: u32 = 10;
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

/// The `Cache-Control` header of an answer.
pub fn cache_control(answer: Answer, interval_seconds: u32) -> String {
    match answer {
        Answer::Fresh => format!(
            "public, max-age={}, stale-while-revalidate={REVALIDATE_SECONDS}, stale-if-error={IF_ERROR_SECONDS}",
            fresh_seconds(interval_seconds)
        ),
        Answer::LastKnown | Answer::Uncacheable => "no-store".to_string(),
    }
}

/// Half the probe interval, at least 1 s and at most [`MAX_FRESH_SECONDS`].
pub fn fresh_seconds(interval_seconds: u32) -> u32 {
    (interval_seconds / 2).clamp(1, MAX_FRESH_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_answer_holds_half_an_interval_and_survives_a_failing_worker() {
        assert_eq!(
            cache_control(Answer::Fresh, 20),
            "public, max-age=10, stale-while-revalidate=20, stale-if-error=86400"
        );
        assert_eq!(fresh_seconds(6), 3);
        assert_eq!(fresh_seconds(1), 1);
        assert_eq!(fresh_seconds(3_600), MAX_FRESH_SECONDS);
    }

    #[test]
    fn the_last_known_status_and_errors_are_never_cached() {
        assert_eq!(cache_control(Answer::LastKnown, 20), "no-store");
        assert_eq!(cache_control(Answer::Uncacheable, 20), "no-store");
    }
}
