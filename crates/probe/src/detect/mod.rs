//! Deciding by time, not by counts of ticks: an endpoint's declared state from the probe
//! results of its regions as they arrive (regular rounds, rechecks, probes asked for now).
//!
//! - A region is **failing** when its latest two probes or more failed (a failure and its
//!   recheck agree). Worse is declared once failures have held for `confirm_seconds`: some
//!   failing probe at least that long after the first one of the episode. **down** when
//!   `quorum` regions are failing, **regional** when fewer are.
//! - Better (up, or down → regional) is declared once it has held for `recover_seconds`.
//! - **Flapping**: the trouble appeared or cleared `flap_changes` times within
//!   `flap_window_seconds`. It is declared at the worst state of the window, so a service
//!   failing half its checks is never "up", and it ends after a calm window.
//! - Few alerts per episode: when trouble is first declared, when it becomes worse than any
//!   state announced in the episode (slow → failing in a region → down) while no region goes
//!   back and forth (so never while flapping, nor for a service failing some of its checks
//!   at random), and when it is over. So an episode sends at most four messages, however it
//!   flips.
//! - A result not later than its region's last one (a duplicate, or one overtaken) is
//!   ignored, so nothing counts twice.
//!
//! Times are milliseconds. Pure: the worker and the simulation (`crate::simulate`) feed it.

mod runs;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use api::State;
pub use runs::{Class, RegionRun};

/// The windows, from `[probe]` (defaults in [`Windows::default`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub quorum: usize,
    pub confirm_ms: i64,
    pub recover_ms: i64,
    pub flap_changes: usize,
    pub flap_window_ms: i64,
    /// A region with no result for this long is no longer counted: it says nothing now.
    pub silent_ms: i64,
}

impl Windows {
    /// The windows of a config: its thresholds, and three intervals of silence.
    pub fn of(config: &config::Config) -> Windows {
        Windows::from_thresholds(&config.thresholds, config.interval_seconds)
    }

    pub fn from_thresholds(t: &config::Thresholds, interval_seconds: u32) -> Windows {
        let ms = |seconds: u32| i64::from(seconds) * 1000;
        Windows {
            quorum: t.quorum,
            confirm_ms: ms(t.confirm_seconds),
            recover_ms: ms(t.recover_seconds),
            flap_changes: t.flap_changes as usize,
            flap_window_ms: ms(t.flap_window_seconds),
            silent_ms: 3 * ms(interval_seconds),
        }
    }
}

impl Default for Windows {
    fn default() -> Windows {
        Windows::from_thresholds(&config::Thresholds::default(), config::DEFAULT_INTERVAL_SECONDS)
    }
}

/// What is declared of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub state: State,
    pub flapping: bool,
}

impl Verdict {
    pub const UP: Verdict = Verdict { state: State::Up, flapping: false };
}

/// A declared change, and whether it is announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub from: Verdict,
    pub to: Verdict,
    /// When what is now declared began (the first probe that saw it).
    pub since_ms: i64,
    pub at_ms: i64,
    pub alert: bool,
}

/// One endpoint's detector, saved between results.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detector {
    pub declared: Option<Verdict>,
    pub regions: BTreeMap<String, RegionRun>,
    /// The first failing result of the trouble in progress (any region).
    pub trouble_since: Option<i64>,
    /// The first slow result of the slowness in progress.
    pub slow_since: Option<i64>,
    /// The undeclared state the regions say now, and since when it has been said.
    pub candidate: Option<(State, i64)>,
    /// The worst state seen while flapping.
    pub flap_worst: Option<State>,
    /// A trouble alert went out and its recovery has not.
    pub episode_open: bool,
    /// The worst state an alert of the open episode announced (`None` in state saved before
    /// it was kept: then the state declared when the episode's next change comes).
    #[serde(default)]
    pub announced: Option<State>,
    /// When what is declared began, and when it was declared (ms; 0 before any change).
    #[serde(default)]
    pub since_ms: i64,
    #[serde(default)]
    pub declared_at_ms: i64,
}

impl Detector {
    pub fn verdict(&self) -> Verdict {
        self.declared.unwrap_or(Verdict::UP)
    }

    /// Trouble the regions report while the endpoint is declared up, not yet believed: the
    /// state it would be declared as, and since when it was seen (ms). Trouble already
    /// declared that may get worse is shown as declared, not as "checking".
    pub fn confirming(&self) -> Option<(State, i64)> {
        let declared = self.verdict();
        if declared.state != State::Up || declared.flapping {
            return None;
        }
        let (state, since) = self.candidate.filter(|(state, _)| *state > declared.state)?;
        let start = if state == State::Degraded { self.slow_since } else { self.trouble_since };
        Some((state, start.unwrap_or(since)))
    }

    /// Takes one result from `region` obtained at `at_ms`; a declared change, if any.
    pub fn observe(&mut self, windows: &Windows, region: &str, class: Class, at_ms: i64) -> Option<Change> {
        self.observe_all(windows, &[(region, class)], at_ms)
    }

    /// Takes results of probes that started together (one round from every region), then
    /// decides once: regions confirming at the same moment are one observation, not a
    /// "regional" one region at a time.
    pub fn observe_all(&mut self, windows: &Windows, results: &[(&str, Class)], at_ms: i64) -> Option<Change> {
        let mut worst = None;
        for &(region, class) in results {
            if self.regions.entry(region.to_string()).or_default().take(class, at_ms) {
                worst = worst.max(Some(class));
            }
        }
        self.update_trouble(windows, at_ms);
        self.decide(windows, worst?, at_ms)
    }

    /// Whether `class` from `region` is the first failure of new trouble, so the other
    /// regions should be asked to probe now rather than at their next round.
    pub fn is_new_trouble(&self, region: &str) -> bool {
        let run = self.regions.get(region);
        run.is_some_and(|r| r.class == Class::Failing && r.count == 1)
            && self.regions.iter().all(|(name, r)| name == region || r.class != Class::Failing)
            && self.verdict().state == State::Up
    }

    fn update_trouble(&mut self, windows: &Windows, at_ms: i64) {
        let since = |any: bool, since: Option<i64>| if any { since.or(Some(at_ms)) } else { None };
        let failing = self.heard(windows, at_ms).any(|r| r.class == Class::Failing);
        let slow = self.heard(windows, at_ms).any(|r| r.class == Class::Slow);
        self.trouble_since = since(failing, self.trouble_since);
        self.slow_since = since(slow, self.slow_since);
    }

    /// The most flips any one region made within the window: a region that keeps starting
    /// and stopping to fail is flapping, whatever the others do.
    fn flips(&mut self, windows: &Windows, at_ms: i64) -> usize {
        self.regions.values_mut().map(|r| r.flips_within(windows.flap_window_ms, at_ms)).max().unwrap_or(0)
    }

    /// What the regions heard from say now, before any window.
    fn raw_state(&self, windows: &Windows, at_ms: i64) -> State {
        let failing = self.heard(windows, at_ms).filter(|r| r.is_failing()).count();
        if failing >= windows.quorum {
            State::Down
        } else if failing > 0 {
            State::Regional
        } else if self.heard(windows, at_ms).any(|r| r.class == Class::Slow && r.count >= 2) {
            State::Degraded
        } else {
            State::Up
        }
    }

    /// The regions heard from recently: one silent for too long (its object stopped) says
    /// nothing.
    fn heard(&self, windows: &Windows, at_ms: i64) -> impl Iterator<Item = &RegionRun> {
        let silent_ms = windows.silent_ms;
        self.regions.values().filter(move |r| at_ms - r.last_ms <= silent_ms)
    }

    /// Since when the regions have said `raw`: for down, since the quorum's last region
    /// started its run of failures; for a regional outage, the first region.
    fn worse_since(&self, windows: &Windows, raw: State, at_ms: i64) -> Option<i64> {
        let mut starts: Vec<i64> = self.heard(windows, at_ms).filter(|r| r.is_failing()).map(|r| r.first_ms).collect();
        starts.sort_unstable();
        match raw {
            State::Down => starts.get(windows.quorum.saturating_sub(1)).copied(),
            State::Regional => starts.first().copied(),
            State::Degraded => self.slow_since,
            State::Up | State::Unknown => None,
        }
    }

    fn decide(&mut self, windows: &Windows, class: Class, at_ms: i64) -> Option<Change> {
        let raw = self.raw_state(windows, at_ms);
        let current = self.verdict();
        if self.candidate.is_none_or(|(state, _)| state != raw) {
            self.candidate = Some((raw, at_ms));
        }
        // Flapping holds until a whole window passes with no flip.
        let flips = self.flips(windows, at_ms);
        let flapping = flips >= windows.flap_changes || (current.flapping && flips > 0);
        // No region has gone back and forth: a worse state now is the trouble spreading, not
        // the noise of a service failing some of its checks.
        let steady = flips <= 1;
        if flapping {
            let worst = [self.flap_worst, Some(raw), Some(current.state), Some(State::Regional)].into_iter().flatten();
            let worst = worst.max().unwrap_or(State::Regional);
            self.flap_worst = Some(worst);
            return self.declare(
                Verdict { state: worst, flapping: true },
                self.trouble_since.unwrap_or(at_ms),
                at_ms,
                steady,
            );
        }
        self.flap_worst = None;
        if current.flapping {
            // Calm again: what the regions say has held for a whole window.
            let since = self.candidate.map_or(at_ms, |(_, since)| since);
            return self.declare(Verdict { state: raw, flapping: false }, since, at_ms, steady);
        }
        let since = self.candidate.map_or(at_ms, |(_, since)| since);
        if raw > current.state {
            // Worse: declared once the trouble has held for the window, shown by a result
            // that still says so.
            let start = if raw == State::Degraded { self.slow_since } else { self.trouble_since };
            let held = start.is_some_and(|start| at_ms - start >= windows.confirm_ms);
            // Trouble already declared gets worse only once the worse state itself has held
            // for the window: failing in one region, then in two for a moment, is not down.
            let held = held
                && (current.state == State::Up
                    || self.worse_since(windows, raw, at_ms).is_some_and(|s| at_ms - s >= windows.confirm_ms));
            let evidence = matches!(class, Class::Failing | Class::Slow);
            if held && evidence {
                return self.declare(Verdict { state: raw, flapping: false }, start.unwrap_or(at_ms), at_ms, steady);
            }
        } else if raw < current.state
            && at_ms - since >= windows.recover_ms
            && (raw != State::Up || self.trouble_since.is_none())
        {
            // Better: held for the window; up only when no region's latest result failed.
            return self.declare(Verdict { state: raw, flapping: false }, since, at_ms, steady);
        }
        None
    }

    /// `steady`: no region has gone back and forth within the flap window.
    fn declare(&mut self, to: Verdict, since_ms: i64, at_ms: i64, steady: bool) -> Option<Change> {
        let from = self.verdict();
        if to == from {
            return None;
        }
        self.declared = Some(to);
        (self.since_ms, self.declared_at_ms) = (since_ms, at_ms);
        // A message when trouble begins, when it gets worse than announced, and when it is
        // over. Going back and forth within the announced state (better then worse again,
        // flapping) shows on the page, in the API and in the incident, and sends nothing.
        let alert = if to.state == State::Up {
            self.announced = None;
            std::mem::replace(&mut self.episode_open, false)
        } else if !std::mem::replace(&mut self.episode_open, true) {
            self.announced = Some(to.state);
            true
        } else {
            let announced = self.announced.unwrap_or(from.state);
            // Flapping does not announce: if it settles into worse, that is sent.
            let worse = to.state > announced && !to.flapping && steady;
            self.announced = Some(if worse { to.state } else { announced });
            worse
        };
        Some(Change { from, to, since_ms, at_ms, alert })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Windows = Windows {
        quorum: 2,
        confirm_ms: 20_000,
        recover_ms: 60_000,
        flap_changes: 6,
        flap_window_ms: 300_000,
        silent_ms: 60_000,
    };

    fn feed(detector: &mut Detector, results: &[(&str, Class, i64)]) -> Vec<Change> {
        results.iter().filter_map(|&(region, class, at)| detector.observe(&W, region, class, at)).collect()
    }

    #[test]
    fn down_is_declared_once_failures_have_held_for_the_window_in_a_quorum() {
        let mut d = Detector::default();
        let f = Class::Failing;
        let changes = feed(&mut d, &[("weur", f, 0), ("enam", f, 1_000), ("weur", f, 5_000), ("enam", f, 6_000)]);
        assert!(changes.is_empty(), "two regions agree, but only for 6 s");
        assert!(!d.is_new_trouble("weur"), "known trouble: the others were asked already");
        let changes = feed(&mut d, &[("weur", f, 20_000)]);
        assert_eq!(changes.len(), 1);
        assert_eq!((changes[0].to.state, changes[0].since_ms, changes[0].alert), (State::Down, 0, true));
    }

    #[test]
    fn a_repeated_or_late_report_never_counts_twice() {
        let mut d = Detector::default();
        let f = Class::Failing;
        // The same failure delivered three times, and an older one after it: still one probe.
        feed(&mut d, &[("weur", f, 0), ("weur", f, 0), ("weur", f, 0), ("weur", f, -5_000), ("enam", f, 0)]);
        feed(&mut d, &[("weur", f, 20_000), ("weur", f, 20_000)]);
        assert_eq!(d.regions["weur"].count, 2, "two distinct probes from weur, not five");
        assert_eq!(d.regions["enam"].count, 1);
        assert_ne!(d.verdict().state, State::Down, "enam has one failing probe: not a failing region yet");
    }

    #[test]
    fn recovery_waits_for_its_window_and_for_every_region_to_pass() {
        let mut d = Detector::default();
        let (f, h) = (Class::Failing, Class::Healthy);
        feed(&mut d, &[("weur", f, 0), ("enam", f, 0), ("weur", f, 5_000), ("enam", f, 5_000), ("weur", f, 20_000)]);
        assert_eq!(d.verdict().state, State::Down);
        assert!(feed(&mut d, &[("weur", h, 40_000), ("enam", h, 40_000), ("weur", h, 60_000)]).is_empty());
        // A failure in the window holds recovery back, however long health has held elsewhere.
        assert!(feed(&mut d, &[("enam", f, 100_000)]).is_empty());
        let up = feed(&mut d, &[("enam", h, 120_000), ("weur", h, 140_000), ("enam", h, 180_000)]);
        assert_eq!(up.len(), 1);
        assert_eq!((up[0].to, up[0].alert), (Verdict::UP, true));
    }

    #[test]
    fn trouble_that_spreads_is_announced_again_once_down_has_held_and_never_a_third_time() {
        let mut d = Detector::default();
        let (f, h) = (Class::Failing, Class::Healthy);
        let regional = feed(&mut d, &[("weur", f, 0), ("weur", f, 5_000), ("weur", f, 20_000)]);
        assert_eq!(regional.iter().map(|c| (c.to.state, c.alert)).collect::<Vec<_>>(), [(State::Regional, true)]);
        assert!(
            feed(&mut d, &[("enam", f, 60_000), ("enam", f, 65_000), ("weur", f, 70_000)]).is_empty(),
            "down for 5 s"
        );
        let down = feed(&mut d, &[("enam", f, 80_000)]);
        assert_eq!(down.iter().map(|c| (c.to.state, c.alert)).collect::<Vec<_>>(), [(State::Down, true)]);
        // enam recovers (down → regional, told by the page only), then fails again.
        feed(&mut d, &[("enam", h, 100_000), ("weur", f, 120_000), ("enam", h, 170_000), ("weur", f, 175_000)]);
        assert_eq!(d.verdict().state, State::Regional);
        let again =
            feed(&mut d, &[("enam", f, 200_000), ("enam", f, 205_000), ("weur", f, 210_000), ("enam", f, 225_000)]);
        assert_eq!(
            again.iter().map(|c| (c.to.state, c.alert)).collect::<Vec<_>>(),
            [(State::Down, false)],
            "down was announced"
        );
    }

    #[test]
    fn a_region_going_back_and_forth_makes_down_without_a_second_alert() {
        let mut d = Detector::default();
        let (f, h) = (Class::Failing, Class::Healthy);
        feed(&mut d, &[("weur", f, 0), ("weur", f, 5_000), ("weur", f, 20_000)]);
        // enam starts failing, stops, starts again: three flips, fewer than flapping needs.
        feed(
            &mut d,
            &[("enam", f, 30_000), ("enam", h, 35_000), ("enam", f, 40_000), ("enam", f, 45_000), ("weur", f, 50_000)],
        );
        let down = feed(&mut d, &[("enam", f, 60_000)]);
        assert_eq!(
            down.iter().map(|c| (c.to, c.alert)).collect::<Vec<_>>(),
            [(Verdict { state: State::Down, flapping: false }, false)]
        );
    }

    #[test]
    fn state_saved_before_announcements_were_kept_escalates_from_what_was_declared() {
        let mut d = Detector {
            declared: Some(Verdict { state: State::Regional, flapping: false }),
            episode_open: true,
            ..Detector::default()
        };
        let f = Class::Failing;
        let changes = feed(
            &mut d,
            &[("weur", f, 0), ("enam", f, 0), ("weur", f, 5_000), ("enam", f, 5_000), ("weur", f, 20_000)],
        );
        assert_eq!(changes.iter().map(|c| (c.to.state, c.alert)).collect::<Vec<_>>(), [(State::Down, true)]);
    }
}
