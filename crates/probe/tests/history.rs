//! History only grows and tells the truth: whatever order reports arrive in across hour and
//! day boundaries (late, slow, rechecks, regions silent for a while), every probe ingested is
//! in exactly one stored period, a closed period is only ever added to, and each period's
//! uptime is the time-weighted truth (a probe stands for the time until its region's next).

use std::collections::BTreeMap;

use api::{Outcome, ProbeReport};
use probe::monitor::MonitorState;
use probe::parse_config;
use probe::rollup::{period_start, Rollup, DAY, HOUR};
use proptest::prelude::*;

const INTERVAL_MS: i64 = 20_000;
/// Three intervals: the longest a probe stands for, and the grace a period waits.
const CAP_MS: i64 = 3 * INTERVAL_MS;
const REGIONS: [&str; 3] = ["weur", "enam", "apac"];
const ENDPOINTS: [&str; 2] = ["api", "web"];
/// 2026-11-29 23:00 UTC: the runs cross an hour and a day.
const T0_MS: i64 = 1_796_079_600_000;

fn config() -> probe::Config {
    let text =
        "[probe]\ninterval_seconds = 20\n[[endpoint]]\nname = \"api\"\nurl = \"https://api.example.com/health\"\n\
                [[endpoint]]\nname = \"web\"\nurl = \"https://www.example.com/\"\n";
    let (config, errors) = parse_config(text);
    assert_eq!(errors, []);
    config
}

/// One region's report: when it was taken, and each endpoint's outcome (`None`: not in it).
#[derive(Debug, Clone)]
struct Sent {
    region: usize,
    at_ms: i64,
    arrives_ms: i64,
    outcomes: Vec<(usize, Outcome)>,
}

fn outcome(code: u8) -> Outcome {
    match code % 8 {
        0..=4 => Outcome::Ok,
        5 | 6 => Outcome::HttpStatus { status: 503 },
        _ => Outcome::Unknown { reason: "Too many subrequests".into() },
    }
}

/// Each region's rounds every interval from its own phase, rechecks 5 s after a failure,
/// silences of a few minutes, and a delay before each report arrives (in order per region).
fn schedule(codes: &[u8], delays: &[u16], silences: &[u8], max_delay_ms: i64) -> Vec<Sent> {
    let mut sent = Vec::new();
    let mut code = codes.iter().cycle().copied();
    let mut delay = delays.iter().cycle().map(|d| i64::from(*d) % (max_delay_ms + 1));
    for region in 0..REGIONS.len() {
        let mut at_ms = T0_MS + 25 * 60_000 + region as i64 * 6_700;
        let mut arrives_ms = 0;
        let mut silence = silences.iter().cycle().skip(region);
        while at_ms < T0_MS + 105 * 60_000 {
            let outcomes: Vec<(usize, Outcome)> =
                (0..ENDPOINTS.len()).map(|e| (e, outcome(code.next().unwrap()))).collect();
            let failing: Vec<usize> = outcomes.iter().filter(|(_, o)| o.is_failure()).map(|(e, _)| *e).collect();
            arrives_ms = (at_ms + delay.next().unwrap()).max(arrives_ms);
            sent.push(Sent { region, at_ms, arrives_ms, outcomes });
            if !failing.is_empty() {
                let recheck_ms = at_ms + 5_000;
                let outcomes = failing.iter().map(|e| (*e, outcome(code.next().unwrap()))).collect();
                arrives_ms = (recheck_ms + delay.next().unwrap()).max(arrives_ms);
                sent.push(Sent { region, at_ms: recheck_ms, arrives_ms, outcomes });
            }
            // Now and then a region is silent for a few minutes (its alarm was late, it stopped).
            let quiet = silence.next().copied().unwrap_or(0);
            at_ms += INTERVAL_MS + if quiet > 250 { i64::from(quiet - 250) * 30_000 } else { 0 };
        }
    }
    // Last, every region reports well past the end, so every period before it closes.
    for region in 0..REGIONS.len() {
        let at_ms = T0_MS + 4 * 3_600_000 + region as i64;
        sent.push(Sent { region, at_ms, arrives_ms: at_ms, outcomes: vec![(0, Outcome::Ok), (1, Outcome::Ok)] });
    }
    sent.sort_by_key(|s| (s.arrives_ms, s.region));
    sent
}

struct Run {
    state: MonitorState,
    /// What the worker stores: each closed period, only ever added to.
    stored: BTreeMap<(String, i64, i64), Rollup>,
    known_probes: BTreeMap<String, u32>,
}

fn run(sent: &[Sent]) -> Run {
    let config = config();
    let mut run = Run { state: MonitorState::default(), stored: BTreeMap::new(), known_probes: BTreeMap::new() };
    for (n, report) in sent.iter().enumerate() {
        let reports: Vec<ProbeReport> = report
            .outcomes
            .iter()
            .map(|(e, o)| ProbeReport { endpoint: ENDPOINTS[*e].into(), outcome: o.clone(), latency_ms: 40 })
            .collect();
        let output = run.state.report(&config, REGIONS[report.region], report.at_ms, &reports).expect("in order");
        for (e, o) in &report.outcomes {
            *run.known_probes.entry(ENDPOINTS[*e].to_string()).or_default() += u32::from(o.is_known());
        }
        for closed in output.finished {
            run.stored.entry((closed.endpoint, closed.period, closed.start)).or_default().merge(&closed.rollup);
        }
        // Saved and read back now and then, as the worker does after every report (the soak
        // test does it every time).
        if n % 7 == 0 {
            let saved = serde_json::to_string(&run.state).unwrap();
            run.state = MonitorState::from_json(&saved).unwrap();
        }
    }
    run
}

/// The time-weighted truth: `(up ms, down ms)` per endpoint and period start.
fn truth(sent: &[Sent], period: i64) -> BTreeMap<(String, i64), (u64, u64)> {
    let mut out: BTreeMap<(String, i64), (u64, u64)> = BTreeMap::new();
    for region in 0..REGIONS.len() {
        for (e, endpoint) in ENDPOINTS.iter().enumerate() {
            let mut probes: Vec<(i64, Outcome)> = sent
                .iter()
                .filter(|s| s.region == region)
                .filter_map(|s| Some((s.at_ms, s.outcomes.iter().find(|(i, _)| *i == e)?.1.clone())))
                .collect();
            probes.sort_by_key(|p| p.0);
            for pair in probes.windows(2) {
                let ((from, outcome), (next, _)) = (&pair[0], &pair[1]);
                if !outcome.is_known() {
                    continue;
                }
                let mut at = *from;
                let end = (*next).min(from + CAP_MS);
                while at < end {
                    let boundary = (period_start(at / 1000, period) + period) * 1000;
                    let to = end.min(boundary);
                    let slot = out.entry((endpoint.to_string(), period_start(at / 1000, period))).or_default();
                    if outcome.is_healthy() {
                        slot.0 += (to - at) as u64;
                    } else {
                        slot.1 += (to - at) as u64;
                    }
                    at = to;
                }
            }
        }
    }
    out
}

fn check_probes_are_all_stored_once(run: &Run, period: i64) -> Result<(), TestCaseError> {
    for endpoint in ENDPOINTS {
        let stored: u32 =
            run.stored.iter().filter(|((e, p, _), _)| e == endpoint && *p == period).map(|(_, r)| r.probes).sum();
        let open = if period == HOUR { &run.state.history.hours } else { &run.state.history.days };
        let open: u32 = open.of(endpoint).values().map(|r| r.probes).sum();
        prop_assert_eq!(stored + open, run.known_probes[endpoint], "{} per {}", endpoint, period);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 64, ..ProptestConfig::default() })]

    #[test]
    fn in_any_arrival_order_history_holds_every_probe_once_and_the_time_weighted_truth(
        codes in prop::collection::vec(any::<u8>(), 50..400),
        delays in prop::collection::vec(any::<u16>(), 1..50),
        silences in prop::collection::vec(any::<u8>(), 1..50),
    ) {
        // Reports arrive up to 55 s late: within the grace, so every period is exact.
        let sent = schedule(&codes, &delays, &silences, 55_000);
        let run = run(&sent);
        check_probes_are_all_stored_once(&run, HOUR)?;
        check_probes_are_all_stored_once(&run, DAY)?;
        for period in [HOUR, DAY] {
            let truth = truth(&sent, period);
            let closed_to = if period == HOUR { run.state.history.hours.closed_to } else { run.state.history.days.closed_to };
            for ((endpoint, start), (up, down)) in truth.iter().filter(|((_, start), _)| start + period <= closed_to) {
                let stored = run.stored.get(&(endpoint.clone(), period, *start)).cloned().unwrap_or_default();
                prop_assert_eq!((stored.up_ms, stored.down_ms), (*up, *down), "{} {} at {}", endpoint, period, start);
            }
        }
    }

    #[test]
    fn reports_later_than_the_grace_are_added_to_their_period_and_never_count_time_twice(
        codes in prop::collection::vec(any::<u8>(), 50..400),
        delays in prop::collection::vec(any::<u16>(), 1..50),
        silences in prop::collection::vec(any::<u8>(), 1..50),
    ) {
        // Up to 5 minutes late: periods close before some reports that belong to them arrive.
        let sent = schedule(&codes, &delays.iter().map(|d| d.wrapping_mul(5)).collect::<Vec<_>>(), &silences, 300_000);
        let run = run(&sent);
        check_probes_are_all_stored_once(&run, HOUR)?;
        check_probes_are_all_stored_once(&run, DAY)?;
        let truth = truth(&sent, HOUR);
        let true_total: u64 = truth.values().map(|(up, down)| up + down).sum();
        let hours = run.stored.iter().filter(|((_, p, _), _)| *p == HOUR).map(|(_, r)| r.up_ms + r.down_ms);
        let open = ENDPOINTS.iter().flat_map(|e| run.state.history.hours.of(e).into_values()).map(|r| r.up_ms + r.down_ms);
        let counted: u64 = hours.chain(open).sum();
        // A report later than the grace may find its time already given to the probe before
        // it; time is never added twice, and none is lost but what stands in open hours.
        prop_assert!(counted <= true_total, "counted {} ms of {} observed", counted, true_total);
        prop_assert!(counted >= true_total - true_total / 50, "counted {} ms of {} observed", counted, true_total);
    }
}

#[test]
fn a_report_taken_before_midnight_that_arrives_after_it_is_added_to_its_day() {
    let config = config();
    let mut state = MonitorState::default();
    let midnight = T0_MS + 3_600_000;
    let ok = |e: &str| ProbeReport { endpoint: e.into(), outcome: Outcome::Ok, latency_ms: 40 };
    let fail =
        |e: &str| ProbeReport { endpoint: e.into(), outcome: Outcome::HttpStatus { status: 503 }, latency_ms: 40 };
    let mut stored: BTreeMap<(i64, i64), Rollup> = BTreeMap::new();
    fn store_in(stored: &mut BTreeMap<(i64, i64), Rollup>, output: probe::monitor::TickOutput) {
        for closed in output.finished.into_iter().filter(|c| c.endpoint == "api") {
            stored.entry((closed.period, closed.start)).or_default().merge(&closed.rollup);
        }
    }
    let mut store = |output| store_in(&mut stored, output);
    // A whole day of weur and enam every 20 s; apac too, until 23:59:50.
    for at_ms in (midnight - DAY * 1000..midnight).step_by(INTERVAL_MS as usize) {
        for region in REGIONS {
            store(state.report(&config, region, at_ms + 10, &[ok("api"), ok("web")]).unwrap());
        }
    }
    // weur and enam report past midnight; apac's 23:59:55 recheck arrives after them, and
    // after the grace.
    for at_ms in [midnight + 1_000, midnight + 21_000, midnight + 41_000, midnight + 61_000, midnight + 81_000] {
        store(state.report(&config, "weur", at_ms, &[ok("api"), ok("web")]).unwrap());
        store(state.report(&config, "enam", at_ms, &[ok("api"), ok("web")]).unwrap());
    }
    let day_start = (midnight - DAY * 1000) / 1000;
    let before = stored[&(DAY, day_start)].clone();
    assert_eq!(before.probes, 3 * 4320, "the day closed with every probe it had");
    store_in(&mut stored, state.report(&config, "apac", midnight - 5_000, &[fail("api")]).unwrap());
    let after = &stored[&(DAY, day_start)];
    assert_eq!((after.probes, after.failed), (3 * 4320 + 1, 1), "added to, not replaced by one probe");
    assert!(after.uptime().unwrap() > 99.9, "a day of probes is not overwritten by its last one");
}
