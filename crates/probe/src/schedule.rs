//! One region's schedule on its Durable Object's alarm: a round of every endpoint each
//! interval, a recheck of an endpoint that just failed, and probes the monitor asked for
//! now. The object has one alarm; this says what is due when it rings and when it should
//! ring next. Pure: the worker keeps it in the object's storage.

use serde::{Deserialize, Serialize};

/// What a region's object remembers between alarms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionPlan {
    /// The region this object probes from (its name and location hint), set when armed.
    pub region: String,
    /// When the next round is due (Unix ms); 0 before the first.
    pub next_round_ms: i64,
    /// When the last round started.
    pub last_round_ms: Option<i64>,
    /// Endpoints to probe again, and when.
    pub rechecks: Vec<(String, i64)>,
    /// Endpoints the monitor asked to probe now.
    pub soon: Vec<String>,
    /// Endpoints whose latest probe here failed.
    pub failing: Vec<String>,
}

/// What is due when the alarm rings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// Every endpoint.
    Round,
    /// These endpoints only.
    Some(Vec<String>),
    Nothing,
}

impl RegionPlan {
    /// Armed as `region`, the `index`-th of `count`: the first round is spread over the
    /// interval, so the regions' rounds take turns and an outage is seen by the first of
    /// them within a fraction of the interval.
    pub fn arm(&mut self, region: &str, index: usize, count: usize, now_ms: i64, interval_ms: i64) {
        self.region = region.to_string();
        if self.next_round_ms == 0 {
            self.next_round_ms = now_ms + interval_ms * index as i64 / count.max(1) as i64;
        }
    }

    /// What is due at `now_ms`, taken off the plan.
    pub fn take_due(&mut self, now_ms: i64) -> Due {
        if now_ms >= self.next_round_ms {
            // A round probes everything: rechecks and asks are covered by it.
            self.rechecks.clear();
            self.soon.clear();
            return Due::Round;
        }
        let mut due: Vec<String> = std::mem::take(&mut self.soon);
        self.rechecks.retain(|(endpoint, at)| {
            let ready = *at <= now_ms;
            if ready && !due.contains(endpoint) {
                due.push(endpoint.clone());
            }
            !ready
        });
        if due.is_empty() {
            Due::Nothing
        } else {
            Due::Some(due)
        }
    }

    /// After probes that started at `started_ms`: `results` are `(endpoint, failed)`. A
    /// round sets the next one an interval after it started (or at once, if it overran).
    /// An endpoint healthy here before and failing now is probed again after `recheck_ms`.
    pub fn done(
        &mut self,
        round: bool,
        started_ms: i64,
        results: &[(String, bool)],
        interval_ms: i64,
        recheck_ms: i64,
    ) {
        if round {
            self.last_round_ms = Some(started_ms);
            self.next_round_ms = started_ms + interval_ms;
        }
        for (endpoint, failed) in results {
            let was_failing = self.failing.contains(endpoint);
            if *failed && !was_failing {
                self.failing.push(endpoint.clone());
                if started_ms + recheck_ms < self.next_round_ms {
                    self.rechecks.push((endpoint.clone(), started_ms + recheck_ms));
                }
            } else if !*failed && was_failing {
                self.failing.retain(|e| e != endpoint);
            }
        }
    }

    /// The monitor asks for these endpoints now.
    pub fn ask(&mut self, endpoints: &[String]) {
        for endpoint in endpoints {
            if !self.soon.contains(endpoint) {
                self.soon.push(endpoint.clone());
            }
        }
    }

    /// Keeps the asks of `saved`, the plan as stored now, but those in `taken` (the asks this
    /// copy started with, already probed): asks that arrived while this copy was away
    /// probing would otherwise be overwritten by it.
    pub fn keep_asks_of(&mut self, saved: &RegionPlan, taken: &[String]) {
        let arrived: Vec<String> = saved.soon.iter().filter(|e| !taken.contains(e)).cloned().collect();
        self.ask(&arrived);
    }

    /// When the alarm should ring next (Unix ms).
    pub fn next_alarm_ms(&self, now_ms: i64) -> i64 {
        if !self.soon.is_empty() {
            return now_ms;
        }
        self.rechecks.iter().map(|(_, at)| *at).fold(self.next_round_ms, i64::min)
    }

    /// Whether the rounds have stopped: none started for three intervals.
    pub fn stalled(&self, now_ms: i64, interval_ms: i64) -> bool {
        self.last_round_ms.is_some_and(|last| now_ms - last > 3 * interval_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_new_failure_is_rechecked_once_before_the_next_round() {
        let mut plan = RegionPlan::default();
        assert_eq!(plan.take_due(1_000), Due::Round, "the first alarm is a round");
        plan.done(true, 1_000, &[("api".into(), true), ("www".into(), false)], 20_000, 5_000);
        assert_eq!(plan.next_alarm_ms(1_300), 6_000, "the recheck comes before the round");
        assert_eq!(plan.take_due(6_000), Due::Some(names(&["api"])));
        plan.done(false, 6_000, &[("api".into(), true)], 20_000, 5_000);
        assert_eq!(plan.next_alarm_ms(6_200), 21_000, "still failing: no second recheck");
        assert_eq!(plan.take_due(21_000), Due::Round);
        plan.done(true, 21_000, &[("api".into(), false), ("www".into(), false)], 20_000, 5_000);
        assert!(plan.failing.is_empty());
    }

    #[test]
    fn an_ask_rings_at_once_and_a_round_covers_it() {
        let mut plan = RegionPlan { next_round_ms: 20_000, ..RegionPlan::default() };
        plan.ask(&names(&["api", "api"]));
        assert_eq!(plan.next_alarm_ms(3_000), 3_000);
        assert_eq!(plan.take_due(3_000), Due::Some(names(&["api"])));
        assert_eq!(plan.take_due(3_001), Due::Nothing);
        plan.ask(&names(&["api"]));
        assert_eq!(plan.take_due(20_000), Due::Round);
        assert!(plan.soon.is_empty());
    }

    #[test]
    fn an_ask_saved_while_a_round_ran_survives_the_rounds_own_save() {
        let mut stored = RegionPlan { next_round_ms: 1_000, soon: names(&["www"]), ..RegionPlan::default() };
        let mut in_round = stored.clone();
        let taken = in_round.soon.clone();
        assert_eq!(in_round.take_due(1_000), Due::Round);
        // The monitor's ask lands in storage while the round's probes run.
        stored.ask(&names(&["api"]));
        in_round.done(true, 1_000, &[("api".into(), false), ("www".into(), false)], 20_000, 5_000);
        in_round.keep_asks_of(&stored, &taken);
        assert_eq!(in_round.next_alarm_ms(1_500), 1_500, "the ask rings at once");
        assert_eq!(in_round.take_due(1_500), Due::Some(names(&["api"])), "www was probed by the round");
    }

    #[test]
    fn regions_take_turns_over_the_interval() {
        let starts: Vec<i64> = (0..3)
            .map(|index| {
                let mut plan = RegionPlan::default();
                plan.arm("weur", index, 3, 1_000, 21_000);
                plan.next_round_ms
            })
            .collect();
        assert_eq!(starts, [1_000, 8_000, 15_000]);
        let mut started = RegionPlan { next_round_ms: 5_000, ..RegionPlan::default() };
        started.arm("weur", 2, 3, 1_000, 21_000);
        assert_eq!(started.next_round_ms, 5_000, "re-arming keeps the turn");
    }

    #[test]
    fn rounds_that_stopped_for_three_intervals_are_stalled() {
        let plan = RegionPlan { last_round_ms: Some(0), ..RegionPlan::default() };
        assert!(!plan.stalled(60_000, 20_000));
        assert!(plan.stalled(60_001, 20_000));
        assert!(!RegionPlan::default().stalled(1_000_000, 20_000), "never started is not stalled");
    }
}
