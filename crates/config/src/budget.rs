//! What one region's round costs on Cloudflare's free plan: subrequests, and how long it
//! lasts when every endpoint hangs until its timeout (a Durable Object waiting on a probe is
//! billed for it). Validation checks a config against these, the worker sizes its deadlines
//! by them, and `cadence` turns them into a day at a given interval.

use crate::limits::*;
use crate::Endpoint;

/// Redirects a probe follows at most, when its endpoint follows them: each is a subrequest.
pub const MAX_REDIRECTS: usize = 3;
/// How long the monitor waits for one alert webhook.
pub const DELIVERY_TIMEOUT_MS: u32 = 5_000;

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
}
