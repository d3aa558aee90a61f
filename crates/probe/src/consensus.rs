//! What the regions together say about an endpoint, and when that is believed.
//!
//! Each tick, the regions' outcomes give an observed state: **down** when at least `quorum`
//! regions fail, **regional** when fewer do, **degraded** when all answer but some slowly,
//! else **up**. The declared state follows only after the same observation holds for
//! `fail_ticks` ticks (or `recover_ticks` to come back up), so one blip never alerts and a
//! flapping endpoint does not either.

use serde::{Deserialize, Serialize};

use api::{Outcome, RegionResult, State};
use config::Thresholds;

/// This tick's state from the regions that reported something known. `None` when none did:
/// a silent region, or one whose probe could not run, is no data, neither healthy nor failing.
pub fn observe(results: &[RegionResult], quorum: usize) -> Option<State> {
    if !results.iter().any(|r| r.outcome.is_known()) {
        return None;
    }
    let failing = results.iter().filter(|r| r.outcome.is_failure()).count();
    Some(if failing >= quorum {
        State::Down
    } else if failing > 0 {
        State::Regional
    } else if results.iter().any(|r| r.outcome == Outcome::Slow) {
        State::Degraded
    } else {
        State::Up
    })
}

/// An endpoint's declared state and the change it is waiting to confirm. Saved between ticks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracker {
    pub state: State,
    /// When the declared state began: the first tick that observed it.
    pub since: i64,
    pub candidate: Option<State>,
    pub candidate_since: i64,
    pub streak: u32,
    /// When the declared state was confirmed (0 in state saved before this was kept).
    #[serde(default)]
    pub declared_at: i64,
}

/// A declared change of state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub from: State,
    pub to: State,
    /// When the new state was first observed (not when it was confirmed).
    pub since: i64,
}

impl Tracker {
    pub fn new(now: i64) -> Tracker {
        Tracker { state: State::Up, since: now, candidate: None, candidate_since: now, streak: 0, declared_at: now }
    }

    pub fn step(&mut self, observed: Option<State>, now: i64, thresholds: &Thresholds) -> Option<Transition> {
        // No region reported (the worker itself failed): nothing is learned, nothing changes.
        let observed = observed?;
        if observed == self.state {
            self.candidate = None;
            self.streak = 0;
            return None;
        }
        if self.candidate == Some(observed) {
            self.streak += 1;
        } else {
            self.candidate = Some(observed);
            self.candidate_since = now;
            self.streak = 1;
        }
        let needed = if observed == State::Up { thresholds.recover_ticks } else { thresholds.fail_ticks };
        if self.streak < needed {
            return None;
        }
        let transition = Transition { from: self.state, to: observed, since: self.candidate_since };
        self.state = observed;
        self.since = self.candidate_since;
        self.declared_at = now;
        self.candidate = None;
        self.streak = 0;
        Some(transition)
    }
}
