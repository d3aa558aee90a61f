//! The detection path, simulated with the production defaults over outages that start at
//! random moments (`probe::simulate`): the promises the probe makes, held to account.

use probe::simulate::scenarios::{scenarios, simulate, Expect, Summary};
use probe::simulate::Settings;

const TRIALS: u64 = 120;

fn summary(name: &str) -> Summary {
    let scenario = scenarios().into_iter().find(|s| s.name == name).expect("a scenario by that name");
    simulate(&scenario, &Settings::default(), TRIALS)
}

#[test]
fn every_global_outage_is_declared_down_within_60_seconds() {
    for name in ["global, HTTP 503", "global, hanging", "two regions"] {
        let s = summary(name);
        assert_eq!(s.missed(), 0, "{name}: every outage declared");
        let slowest = *s.detect_ms().last().unwrap();
        assert!(slowest <= 60_000, "{name}: declared {slowest} ms after onset");
        assert_eq!(s.wrong(), 0);
        assert_eq!(s.trouble_alerts(), (1, 1), "{name}: one alert, not one per region or per round");
        assert_eq!(s.recovery_alerts(), (1, 1), "{name}: one recovery");
    }
}

#[test]
fn one_region_failing_is_regional_and_never_down() {
    let s = summary("one region");
    assert_eq!(s.missed(), 0);
    assert_eq!(s.wrong(), 0, "never called down");
    assert!(*s.detect_ms().last().unwrap() <= 60_000);
}

#[test]
fn a_blip_shorter_than_the_window_sends_nothing() {
    for name in ["blip of 5 s", "blip of 10 s", "blip of 15 s"] {
        let s = summary(name);
        assert_eq!(s.wrong(), 0, "{name}: nothing declared");
        assert_eq!(s.trouble_alerts(), (0, 0), "{name}");
    }
}

#[test]
fn an_outage_that_spreads_is_announced_again_when_it_becomes_down() {
    let s = summary("one region, then all 2 min later");
    assert_eq!(s.missed(), 0, "down declared every time");
    let slowest = *s.detect_ms().last().unwrap();
    assert!(slowest <= 60_000, "down declared {slowest} ms after the spread");
    assert_eq!(s.trouble_alerts(), (2, 2), "one message for the region, one for down");
    assert_eq!(s.recovery_alerts(), (1, 1));
    assert_eq!(s.up_during_trouble(), 0);
}

#[test]
fn a_flapping_endpoint_is_declared_flapping_with_one_alert_and_never_up_meanwhile() {
    for scenario in scenarios().iter().filter(|s| s.expect == Expect::Flapping) {
        let s = simulate(scenario, &Settings::default(), TRIALS);
        assert_eq!(s.missed(), 0, "{}: declared flapping every time", s.name);
        assert_eq!(s.trouble_alerts(), (1, 1), "{}: one alert per episode, never one per flip", s.name);
        assert_eq!(s.recovery_alerts(), (1, 1), "{}: one when it is calm again", s.name);
        assert_eq!(s.up_during_trouble(), 0, "{}: never up while it fails", s.name);
    }
}

#[test]
fn flapping_faster_than_the_rounds_is_never_up_once_seen_and_alerts_at_most_once() {
    let s = summary("flapping 10 s / 10 s (faster than the rounds)");
    assert!(s.missed() < s.trials.len() / 3, "seen most of the time: missed {}", s.missed());
    assert!(s.trouble_alerts().1 <= 1);
    assert_eq!(s.up_during_trouble(), 0);
}

#[test]
fn the_same_seed_gives_the_same_run() {
    assert_eq!(summary("global, hanging"), summary("global, hanging"));
}
