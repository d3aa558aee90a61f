//! A quarter's lessons in seconds: thirty simulated days through the monitor, with outages
//! global and regional, blips, flapping, reports late, out of order and repeated, the config
//! changed on the way (an endpoint added, one renamed, a region removed), and the state saved
//! and read back after every report, as the worker does. What must hold throughout:
//!
//! - history: every probe the monitor accepted is in exactly one hour and one day, and each
//!   closed day holds what its hours hold;
//! - alerts: per endpoint, trouble and recovery alternate, with at most two messages of
//!   worsening between them, however the endpoint flips;
//! - the saved state stays under its maximum, and nothing panics.

use std::collections::BTreeMap;

use api::{Outcome, ProbeReport, State};
use probe::alerts::SendResult;
use probe::monitor::{MonitorState, MAX_SAVED_STATE_BYTES};
use probe::parse_config;
use probe::rollup::{period_start, Rollup, DAY, HOUR};
use probe::simulate::Rng;

const INTERVAL_MS: i64 = 60_000;
const DAYS: i64 = 30;
/// 2026-09-01 00:00 UTC.
const START_MS: i64 = 1_788_220_800_000;

fn config(endpoints: &[&str], regions: &[&str]) -> probe::Config {
    let mut text = format!(
        "[probe]\ninterval_seconds = 60\nregions = {regions:?}\nconfirm_seconds = 30\nrecover_seconds = 60\n\
         [[alert]]\nkind = \"webhook\"\nurl = \"secret:HOOK\"\n"
    );
    for name in endpoints {
        text.push_str(&format!("[[endpoint]]\nname = \"{name}\"\nurl = \"https://{name}.example.com/health\"\n"));
    }
    let (config, errors) = parse_config(&text);
    assert_eq!(errors, [], "{text}");
    config
}

/// What an endpoint does: `fails(region, at_ms)`, from a random plan of episodes.
struct Episodes {
    /// `(from ms, to ms, regions failing (bit set), flapping)`.
    list: Vec<(i64, i64, u8, bool)>,
}

impl Episodes {
    fn random(rng: &mut Rng) -> Episodes {
        let mut list = Vec::new();
        let mut at = START_MS + rng.below(DAY * 1000);
        while at < START_MS + DAYS * DAY * 1000 {
            let length = match rng.below(10) {
                0..=3 => rng.below(90_000),             // a blip
                4..=7 => 60_000 + rng.below(1_800_000), // an outage of up to half an hour
                _ => 1_800_000 + rng.below(7_200_000),  // a long one
            };
            let regions = [0b111, 0b001, 0b010, 0b011][rng.below(4) as usize];
            list.push((at, at + length, regions, rng.below(5) == 0));
            at += length + rng.below(3 * DAY * 1000);
        }
        Episodes { list }
    }

    fn fails(&self, region: usize, at_ms: i64) -> bool {
        self.list.iter().any(|&(from, to, regions, flapping)| {
            from <= at_ms && at_ms < to && regions & (1 << region) != 0 && (!flapping || (at_ms / INTERVAL_MS) % 2 == 0)
        })
    }
}

/// One report to deliver: when it arrives, from where, taken when, and what it says.
struct Delivery {
    arrives_ms: i64,
    region: String,
    at_ms: i64,
    reports: Vec<ProbeReport>,
}

#[test]
fn thirty_days_of_trouble_late_reports_and_config_changes_keep_every_invariant() {
    let mut rng = Rng::new(0x5eed_0030);
    let regions = ["weur", "enam", "apac"];
    // Days 0–9: two endpoints; 10–19: a third added; 20–: "www" renamed "web", apac removed.
    let configs = [
        (0, config(&["api", "www"], &regions)),
        (10, config(&["api", "www", "db"], &regions)),
        (20, config(&["api", "web", "db"], &regions[..2])),
    ];
    let episodes: BTreeMap<&str, Episodes> =
        ["api", "www", "db", "web"].into_iter().map(|name| (name, Episodes::random(&mut rng))).collect();

    let mut deliveries: Vec<Delivery> = Vec::new();
    for (index, region) in regions.iter().enumerate() {
        let mut at_ms = START_MS + index as i64 * 20_000;
        let mut arrives_ms = 0;
        let mut failing_before: Vec<String> = Vec::new();
        while at_ms < START_MS + DAYS * DAY * 1000 {
            let day = (at_ms - START_MS) / (DAY * 1000);
            let config = &configs.iter().rev().find(|(from, _)| *from <= day).unwrap().1;
            if !config.regions.iter().any(|r| r == region) {
                break;
            }
            let outcome = |name: &str, at: i64| match rng_outcome(&episodes[name], index, at) {
                true => Outcome::HttpStatus { status: 503 },
                false => Outcome::Ok,
            };
            let reports: Vec<ProbeReport> = config
                .endpoints
                .iter()
                .map(|e| ProbeReport { endpoint: e.name.clone(), outcome: outcome(&e.name, at_ms), latency_ms: 80 })
                .collect();
            let new_failures: Vec<String> = reports
                .iter()
                .filter(|r| r.outcome.is_failure() && !failing_before.contains(&r.endpoint))
                .map(|r| r.endpoint.clone())
                .collect();
            failing_before = reports.iter().filter(|r| r.outcome.is_failure()).map(|r| r.endpoint.clone()).collect();
            arrives_ms = (at_ms + rng.below(40_000)).max(arrives_ms + 1);
            deliveries.push(Delivery { arrives_ms, region: region.to_string(), at_ms, reports });
            if rng.below(200) == 0 {
                // Delivered twice: the second copy must change nothing.
                let copy = deliveries.last().unwrap();
                let reports = copy.reports.clone();
                deliveries.push(Delivery {
                    arrives_ms: arrives_ms + 5_000,
                    region: region.to_string(),
                    at_ms,
                    reports,
                });
            }
            if !new_failures.is_empty() {
                // The recheck 5 s later.
                let recheck_ms = at_ms + 5_000;
                let reports = new_failures
                    .iter()
                    .map(|name| ProbeReport {
                        endpoint: name.clone(),
                        outcome: outcome(name, recheck_ms),
                        latency_ms: 80,
                    })
                    .collect();
                arrives_ms = (recheck_ms + rng.below(20_000)).max(arrives_ms + 1);
                deliveries.push(Delivery { arrives_ms, region: region.to_string(), at_ms: recheck_ms, reports });
            }
            // Alarms are late now and then, by up to a minute.
            at_ms += INTERVAL_MS + if rng.below(50) == 0 { rng.below(60_000) } else { 0 };
        }
    }
    deliveries.sort_by_key(|d| d.arrives_ms);

    let mut state = MonitorState::default();
    let mut stored: BTreeMap<(String, i64, i64), Rollup> = BTreeMap::new();
    let mut accepted: BTreeMap<String, u32> = BTreeMap::new();
    let mut alerts: BTreeMap<String, Vec<(State, State)>> = BTreeMap::new();
    let mut largest = 0;
    for delivery in &deliveries {
        let day = (delivery.arrives_ms - START_MS) / (DAY * 1000);
        let config = &configs.iter().rev().find(|(from, _)| *from <= day).unwrap().1;
        let before = state.clone();
        match state.report(config, &delivery.region, delivery.at_ms, &delivery.reports) {
            Ok(output) => {
                for report in delivery.reports.iter().filter(|r| config.endpoints.iter().any(|e| e.name == r.endpoint))
                {
                    *accepted.entry(report.endpoint.clone()).or_default() += u32::from(report.outcome.is_known());
                }
                for closed in output.finished {
                    stored.entry((closed.endpoint, closed.period, closed.start)).or_default().merge(&closed.rollup);
                }
            }
            Err(_) => assert_eq!(state, before, "a refused report changes nothing"),
        }
        // Every message is delivered at once, and counted.
        let now = delivery.arrives_ms / 1000;
        for target in &config.alerts {
            while let Some(batch) = state.outbox.batch_for(config, target, now) {
                for pending in state.outbox.pending.iter().filter(|p| batch.ids.contains(&p.id)) {
                    alerts
                        .entry(pending.alert.endpoint.clone())
                        .or_default()
                        .push((pending.alert.from, pending.alert.to));
                }
                state.outbox.settle(config, &batch, &SendResult::Delivered, now);
            }
        }
        let saved = serde_json::to_string(&state).unwrap();
        largest = largest.max(saved.len());
        state = MonitorState::from_json(&saved).expect("the saved state reads back");
    }

    assert!(largest < MAX_SAVED_STATE_BYTES, "the saved state reached {largest} bytes");
    check_history(&state, &stored, &accepted);
    check_alerts(&alerts);
    let episodes_seen: usize = alerts.values().map(|a| a.iter().filter(|(from, _)| *from == State::Up).count()).sum();
    assert!(episodes_seen > 20, "the run had trouble worth the name: {episodes_seen} episodes announced");
}

fn rng_outcome(episodes: &Episodes, region: usize, at_ms: i64) -> bool {
    episodes.fails(region, at_ms)
}

/// Every accepted probe is in one hour and one day; each closed day holds its hours.
fn check_history(
    state: &MonitorState,
    stored: &BTreeMap<(String, i64, i64), Rollup>,
    accepted: &BTreeMap<String, u32>,
) {
    for (endpoint, count) in accepted {
        for (period, open) in [(HOUR, &state.history.hours), (DAY, &state.history.days)] {
            let closed: u32 =
                stored.iter().filter(|((e, p, _), _)| e == endpoint && *p == period).map(|(_, r)| r.probes).sum();
            let open: u32 = open.of(endpoint).values().map(|r| r.probes).sum();
            assert_eq!(closed + open, *count, "{endpoint}: probes per {period} s period");
        }
    }
    for ((endpoint, period, start), day) in stored.iter().filter(|((_, p, _), _)| *p == DAY) {
        let _ = period;
        let hours = stored
            .iter()
            .filter(|((e, p, s), _)| e == endpoint && *p == HOUR && period_start(*s, DAY) == *start)
            .fold(Rollup::default(), |mut sum, (_, r)| {
                sum.merge(r);
                sum
            });
        assert_eq!(
            (hours.probes, hours.failed, hours.up_ms, hours.down_ms),
            (day.probes, day.failed, day.up_ms, day.down_ms),
            "{endpoint}: the day from {start} holds what its hours hold"
        );
    }
}

/// Per endpoint: a message of trouble, at most two of worsening, then one of recovery (or
/// of removal from the config), and again.
fn check_alerts(alerts: &BTreeMap<String, Vec<(State, State)>>) {
    for (endpoint, list) in alerts {
        let mut open = false;
        let mut worse = 0;
        for &(from, to) in list {
            match (open, from, to) {
                (false, State::Up, to) if to != State::Up => (open, worse) = (true, 0),
                (true, _, State::Up | State::Unknown) => open = false,
                (true, _, _) => {
                    worse += 1;
                    assert!(worse <= 2, "{endpoint}: {worse} messages of worsening in one episode: {list:?}");
                }
                _ => panic!("{endpoint}: {from:?} → {to:?} out of turn in {list:?}"),
            }
        }
    }
}
