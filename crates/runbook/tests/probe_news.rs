//! The probe's news as an incident takes it: only fresh news is recorded, and a time of
//! another day says its date.

use runbook::clock::moment;
use runbook::incident::ProbeOutage;
use runbook::outage::{follow_report, Follow, FOLLOW_MAX_AGE};

// 2026-11-28 20:07:00 UTC
const NOW: i64 = 1_795_896_420;

fn report(checked_at: i64, stale_since: Option<i64>) -> api::StatusReport {
    serde_json::from_value(serde_json::json!({
        "title": "Outpost", "generated_at": checked_at, "checked_at": checked_at, "stale_since": stale_since,
        "regions": ["weur"],
        "endpoints": [{ "name": "api", "state": "up", "since": NOW - 600, "runbook": null, "regions": [], "uptime_24h": null }]
    }))
    .unwrap()
}

fn outage() -> ProbeOutage {
    ProbeOutage {
        endpoint: "api".into(),
        state: api::State::Down,
        onset: NOW - 3600,
        declared: NOW - 3580,
        regions: vec!["weur".into()],
        cause: "HTTP 503".into(),
        recovered: None,
    }
}

#[test]
fn a_fresh_recovery_is_recorded_and_a_cached_one_from_an_earlier_visit_is_not() {
    let fresh = report(NOW - 10, None);
    assert_eq!(follow_report(&outage(), &fresh, NOW - 5, NOW), Some(Follow::Recovered { at: NOW - 600 }));
    let cached = report(NOW - 3 * 86_400, None);
    assert_eq!(follow_report(&outage(), &cached, NOW - 3 * 86_400, NOW), None, "three days old: shown, not recorded");
    let edge = report(NOW - FOLLOW_MAX_AGE - 1, None);
    assert_eq!(follow_report(&outage(), &edge, NOW, NOW), None, "the probe's own time counts, not when it was read");
    let stale = report(NOW - 10, Some(NOW - 900));
    assert_eq!(follow_report(&outage(), &stale, NOW - 5, NOW), None, "a probe that stopped checking says nothing new");
}

#[test]
fn a_time_of_another_day_says_its_date() {
    assert_eq!(moment(NOW - 60, NOW, 0), "20:06");
    assert_eq!(moment(NOW - 3 * 86_400, NOW, 0), "2026-11-25 20:07");
    assert_eq!(moment(NOW - 60, NOW, 240), "00:06", "in the reader's zone, where it is already the next day");
    assert_eq!(moment(NOW - 8 * 3600, NOW, 240), "2026-11-28 16:07");
}

#[test]
fn the_age_of_what_the_site_shows_is_said_in_words() {
    use runbook::outage::freshness;
    let fresh = report(NOW - 10, None);
    assert_eq!(freshness(Some((&fresh, NOW - 5)), Some(true), NOW, 0), "as of 20:06");
    assert_eq!(freshness(Some((&fresh, NOW - 5)), Some(false), NOW, 0), "as of 20:06 — probe unreachable");
    let old = report(NOW - 3 * 86_400, None);
    assert_eq!(
        freshness(Some((&old, NOW - 3 * 86_400)), Some(false), NOW, 0),
        "as of 2026-11-25 20:07 — probe unreachable"
    );
    let stale = report(NOW - 10, Some(NOW - 900));
    assert_eq!(freshness(Some((&stale, NOW - 5)), Some(true), NOW, 0), "the probe stopped checking at 19:52");
    assert_eq!(freshness(None, Some(false), NOW, 0), "probe unreachable, no status yet");
    assert_eq!(freshness(None, None, NOW, 0), "checking…");
}
