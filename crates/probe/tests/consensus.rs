//! Region consensus over scripted timelines: outages, partitions, flapping, slowness and
//! recovery, with debounce both ways.

use api::Outcome;
use api::RegionResult;
use api::State;
use config::Thresholds;
use probe::consensus::{observe, Tracker, Transition};

const REGIONS: [&str; 3] = ["weur", "enam", "apac"];
const THRESHOLDS: Thresholds = Thresholds { quorum: 2, fail_ticks: 2, recover_ticks: 3 };

/// One tick as a string of region outcomes: `o` ok, `s` slow, `x` failing, `-` no report.
fn tick(pattern: &str) -> Vec<RegionResult> {
    REGIONS
        .iter()
        .zip(pattern.chars())
        .filter(|(_, c)| *c != '-')
        .map(|(region, c)| RegionResult {
            region: region.to_string(),
            outcome: match c {
                'o' => Outcome::Ok,
                's' => Outcome::Slow,
                _ => Outcome::HttpStatus { status: 502 },
            },
            latency_ms: 100,
            at: 0,
        })
        .collect()
}

/// Runs ticks one minute apart; returns the state after each and the transitions.
fn run(ticks: &[&str]) -> (Vec<State>, Vec<Transition>) {
    let mut tracker = Tracker::new(0);
    let mut states = Vec::new();
    let mut transitions = Vec::new();
    for (minute, pattern) in ticks.iter().enumerate() {
        let now = minute as i64 * 60;
        transitions.extend(tracker.step(observe(&tick(pattern), THRESHOLDS.quorum), now, &THRESHOLDS));
        states.push(tracker.state);
    }
    (states, transitions)
}

use State::*;

#[test]
fn a_global_outage_is_down_after_the_debounce_and_up_after_recovery() {
    let (states, transitions) = run(&["ooo", "xxx", "xxx", "xxx", "ooo", "ooo", "ooo", "ooo"]);
    assert_eq!(states, [Up, Up, Down, Down, Down, Down, Up, Up]);
    assert_eq!(
        transitions,
        [Transition { from: Up, to: Down, since: 60 }, Transition { from: Down, to: Up, since: 240 }],
        "states date from the first tick that saw them"
    );
}

#[test]
fn one_region_failing_is_regional_never_down() {
    let (states, _) = run(&["ooo", "oox", "oox", "oox", "oox", "oox"]);
    assert_eq!(states, [Up, Up, Regional, Regional, Regional, Regional]);
}

#[test]
fn a_single_blip_changes_nothing() {
    let (states, transitions) = run(&["ooo", "xxx", "ooo", "oxo", "ooo", "xxo", "ooo"]);
    assert!(states.iter().all(|s| *s == Up));
    assert!(transitions.is_empty());
}

#[test]
fn flapping_never_declares_and_recovery_needs_consecutive_successes() {
    let (states, _) = run(&["xxx", "xxx", "ooo", "xxx", "ooo", "ooo", "xxx", "ooo", "ooo", "ooo"]);
    assert_eq!(states, [Up, Down, Down, Down, Down, Down, Down, Down, Down, Up]);
}

#[test]
fn slowness_everywhere_is_degraded() {
    let (states, transitions) = run(&["ooo", "sso", "sss", "oso", "ooo", "ooo", "ooo"]);
    assert_eq!(states, [Up, Up, Degraded, Degraded, Degraded, Degraded, Up]);
    assert_eq!(transitions.iter().map(|t| t.to).collect::<Vec<_>>(), [Degraded, Up]);
}

#[test]
fn an_outage_that_narrows_to_one_region_becomes_regional() {
    let (states, _) = run(&["xxx", "xxx", "xxo", "oxo", "oxo", "ooo", "ooo", "ooo"]);
    assert_eq!(states, [Up, Down, Down, Down, Regional, Regional, Regional, Up]);
}

#[test]
fn regions_that_do_not_report_neither_fail_nor_pass() {
    let (states, _) = run(&["---", "---", "x--", "x--", "xx-", "xx-"]);
    assert_eq!(states, [Up, Up, Up, Regional, Regional, Down], "one of one reporting is not a quorum");
}
