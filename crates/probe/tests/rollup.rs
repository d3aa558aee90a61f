//! Rollups: uptime and latency percentiles, and what a day costs in writes.

use std::collections::BTreeMap;

use api::State;
use config::limits::{FREE_ROWS_WRITTEN_PER_DAY, FREE_SUBREQUESTS_PER_INVOCATION};
use probe::rollup::{period_start, uptime, EndpointTick, Rollup, DAY, HOUR};

fn tick(state: State, latencies: &[(&str, u32, bool)]) -> EndpointTick {
    EndpointTick {
        endpoint: "api".into(),
        state,
        regions: latencies.iter().map(|(r, l, h)| (r.to_string(), *l, *h)).collect(),
    }
}

#[test]
fn uptime_counts_every_failed_probe_and_latency_percentiles_come_from_healthy_probes() {
    let mut hour = Rollup::default();
    for minute in 0..60 {
        let state = match minute {
            0..=2 => State::Down,
            3..=9 => State::Regional,
            _ => State::Up,
        };
        let latency = if minute % 10 == 0 { 900 } else { 90 };
        hour.add(&tick(state, &[("weur", latency, state != State::Down), ("apac", 5_000, false)]));
    }
    // weur failed 3 of 60 (the declared-down minutes; the regional ones were apac's), apac
    // all 60: 63 of 120 probes.
    assert_eq!(hour.uptime(), Some(47.5));
    let summary = hour.summary(0);
    assert_eq!(summary.latency.len(), 1, "apac never answered, so it has no latency");
    let weur = &summary.latency[0];
    assert_eq!((weur.region.as_str(), weur.p50_ms, weur.p95_ms, weur.p99_ms), ("weur", 100, 1_000, 1_000));
}

#[test]
fn uptime_windows_use_hours_for_a_week_and_days_beyond() {
    let now = 100 * DAY + 12 * HOUR;
    let mut hourly = BTreeMap::new();
    let mut daily = BTreeMap::new();
    for hour in 0..(7 * 24) {
        let start = period_start(now, HOUR) - hour * HOUR;
        let mut rollup = Rollup::default();
        for minute in 0..60 {
            let down = hour == 2 && minute < 30;
            rollup.add(&tick(if down { State::Down } else { State::Up }, &[]));
        }
        hourly.insert(start, rollup);
    }
    for day in 0..90 {
        let mut rollup = Rollup::default();
        for _ in 0..1440 {
            rollup.add(&tick(State::Up, &[]));
        }
        if day == 40 {
            rollup.down = 144;
        }
        daily.insert(period_start(now, DAY) - day * DAY, rollup);
    }
    let result = uptime(&hourly, &daily, now);
    let round = |v: Option<f64>| v.map(|v| (v * 1000.0).round() / 1000.0);
    // Each hour (day) counts for the part of the window it covers; the one now beginning, none.
    assert_eq!(round(result.last_24h), Some(97.917), "one hour of 24 half down");
    assert_eq!(round(result.last_7d), Some(99.701), "one hour of 167 half down");
    assert_eq!(round(result.last_30d), Some(100.0));
    assert_eq!(round(result.last_90d), Some(99.888), "one day of 89.5 at 90 %");
    assert_eq!(uptime(&BTreeMap::new(), &BTreeMap::new(), now).last_24h, None, "no data is not 100%");
}

#[test]
fn fifty_endpoints_in_three_regions_fit_the_free_plan_at_the_cadence_validation_picks() {
    use config::cadence::{daily, fastest_sustainable, Shape};
    let shape = Shape { timeouts_ms: vec![config::DEFAULT_TIMEOUT_MS; 50], regions: 3 };
    assert!(region_subrequests_of(50) <= FREE_SUBREQUESTS_PER_INVOCATION);
    let interval = fastest_sustainable(&shape).expect("some cadence fits");
    let day = daily(&shape, interval);
    assert_eq!(day.overrun(), None);
    assert!(day.rows_written < FREE_ROWS_WRITTEN_PER_DAY && day.requests < config::limits::FREE_DO_REQUESTS_PER_DAY);
    assert!(daily(&shape, 20).overrun().is_some(), "every 20 s, a day of 50 hanging endpoints would not fit");
}

fn region_subrequests_of(endpoints: usize) -> usize {
    let text: String = (0..endpoints)
        .map(|i| format!("[[endpoint]]\nname = \"e{i}\"\nurl = \"https://e{i}.example.com/\"\n"))
        .collect();
    config::budget::region_subrequests(&config::parse_config(&text).0.endpoints)
}

#[test]
fn rollups_counted_by_probes_and_by_time_mix_in_a_window_without_one_outweighing_the_other() {
    let now = 100 * DAY;
    // 89 days written before time was weighed, each at 90 %, and one weighed by time at 100 %.
    let mut daily = BTreeMap::new();
    for day in 1..=89 {
        let old = Rollup { ticks: 4_320, probes: 12_960, failed: 1_296, ..Rollup::default() };
        daily.insert(now - day * DAY, old);
    }
    daily.insert(now - 90 * DAY, Rollup { ticks: 4_320, up_ms: 3 * 86_400_000, ..Rollup::default() });
    let result = uptime(&BTreeMap::new(), &daily, now);
    let last_90d = result.last_90d.unwrap();
    assert!((last_90d - (89.0 * 90.0 + 100.0) / 90.0).abs() < 1e-9, "{last_90d}");
}
