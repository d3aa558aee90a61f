//! One region's current run of like results: failing, slow or healthy since when, and how
//! many probes said so.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use api::Outcome;

/// What one result says, for deciding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Class {
    #[default]
    Healthy,
    /// Healthy, but slower than the endpoint's `slow_ms`.
    Slow,
    Failing,
    /// The probe could not run: nothing is known, and the run goes on unbroken.
    Unknown,
}

impl Class {
    pub fn of(outcome: &Outcome) -> Class {
        match outcome {
            Outcome::Ok => Class::Healthy,
            Outcome::Slow => Class::Slow,
            Outcome::Unknown { .. } => Class::Unknown,
            _ => Class::Failing,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRun {
    pub class: Class,
    /// The first and the latest result of the run (ms).
    pub first_ms: i64,
    pub last_ms: i64,
    pub count: u32,
    /// The latest result taken, of any class: an older or equal one is not taken again.
    pub seen_ms: Option<i64>,
    /// When this region started or stopped failing, within the flapping window.
    #[serde(default)]
    pub flips: VecDeque<i64>,
}

impl RegionRun {
    /// Takes a result; `false` when it says nothing new (late, repeated, or unknown).
    pub fn take(&mut self, class: Class, at_ms: i64) -> bool {
        if self.seen_ms.is_some_and(|seen| at_ms <= seen) {
            return false;
        }
        self.seen_ms = Some(at_ms);
        if class == Class::Unknown {
            return false;
        }
        let was_failing = self.count > 0 && self.class == Class::Failing;
        if self.count > 0 && class == self.class {
            self.count += 1;
        } else {
            (self.class, self.first_ms, self.count) = (class, at_ms, 1);
        }
        self.last_ms = at_ms;
        // Every start and end of failing counts, confirmed or not: an endpoint that fails
        // one probe in two is never confirmed failing, yet it is far from healthy.
        if (class == Class::Failing) != was_failing {
            self.flips.push_back(at_ms);
        }
        true
    }

    /// Forgets flips older than the window; how many are left.
    pub fn flips_within(&mut self, window_ms: i64, now_ms: i64) -> usize {
        while self.flips.front().is_some_and(|&t| now_ms - t > window_ms) {
            self.flips.pop_front();
        }
        self.flips.len()
    }

    /// Failing, and a second probe agreed.
    pub fn is_failing(&self) -> bool {
        self.class == Class::Failing && self.count >= 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_not_later_than_the_last_is_not_counted_again() {
        let mut run = RegionRun::default();
        assert!(run.take(Class::Failing, 1_000));
        assert!(!run.take(Class::Failing, 1_000), "the same result twice");
        assert!(!run.take(Class::Failing, 900), "a late one");
        assert!(!run.is_failing());
        assert!(run.take(Class::Failing, 6_000));
        assert!(run.is_failing());
        assert_eq!((run.first_ms, run.last_ms, run.count), (1_000, 6_000, 2));
    }

    #[test]
    fn an_unknown_result_neither_breaks_nor_extends_a_run() {
        let mut run = RegionRun::default();
        run.take(Class::Failing, 1_000);
        assert!(!run.take(Class::Unknown, 2_000));
        run.take(Class::Failing, 3_000);
        assert_eq!(run.count, 2);
        run.take(Class::Healthy, 4_000);
        assert_eq!((run.class, run.count, run.first_ms), (Class::Healthy, 1, 4_000));
        assert_eq!(run.flips, [1_000, 4_000], "failing from the first failure to the first success");
        assert_eq!(run.flips_within(1_500, 5_000), 1);
    }
}
