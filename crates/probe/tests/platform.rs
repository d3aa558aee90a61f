//! The monitor on the real platform: ticks that overlap or arrive late, regions that stay
//! silent, probes that could not run, a probe that stopped, and endpoints removed mid-outage.

use api::{Outcome, ProbeReport, State};
use probe::formats::{badge, statuspage};
use probe::monitor::MonitorState;
use probe::page::render;
use probe::parse_config;

/// Rounds every minute, so "three missed" is three minutes.
const CONFIG: &str =
    "[probe]\ninterval_seconds = 60\n[[endpoint]]\nname = \"api\"\nurl = \"https://api.example.com/health\"\n\
[[alert]]\nkind = \"webhook\"\nurl = \"secret:HOOK\"\n";
const T0: i64 = 1_795_896_000; // 2026-11-28 20:00 UTC

/// One tick's reports: per region `o` ok, `x` HTTP 503, `?` the probe could not run, `-` silent.
fn reports(pattern: &str) -> Vec<(String, Vec<ProbeReport>)> {
    ["weur", "enam", "apac"]
        .iter()
        .zip(pattern.chars())
        .filter(|(_, c)| *c != '-')
        .map(|(region, c)| {
            let outcome = match c {
                'o' => Outcome::Ok,
                'x' => Outcome::HttpStatus { status: 503 },
                _ => Outcome::Unknown { reason: "Too many subrequests".into() },
            };
            (region.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome, latency_ms: 80 }])
        })
        .collect()
}

#[test]
fn a_tick_not_later_than_the_last_is_refused_and_changes_nothing() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    state.tick(&config, (T0) * 1000, &reports("xxx")).unwrap();
    let after_first = state.clone();
    let same_time = state.tick(&config, (T0) * 1000, &reports("xxx"));
    assert_eq!(
        same_time.unwrap_err(),
        probe::monitor::Refused::Stale { region: "apac".into(), at_ms: T0 * 1000, last_ms: T0 * 1000 },
        "a duplicate of the same tick"
    );
    let overtaken = state.tick(&config, (T0 - 30) * 1000, &reports("xxx"));
    assert!(overtaken.is_err(), "a late tick that another overtook");
    assert_eq!(state, after_first, "refused ticks change nothing");
    state.tick(&config, (T0 + 60) * 1000, &reports("xxx")).unwrap();
    assert_eq!(state.detectors["api"].verdict().state, State::Down);
    assert_eq!(state.outbox.pending.len(), 1, "one alert for the one transition");
    assert_eq!(state.outbox.pending[0].id, 1);
}

#[test]
fn a_silent_region_is_no_data_neither_healthy_nor_failing() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    for minute in 0..3 {
        state.tick(&config, (T0 + 60 * minute) * 1000, &reports("x-x")).unwrap();
    }
    let status = state.status(&config, T0 + 180);
    assert_eq!(status.endpoints[0].state, State::Down, "two of three failing, one silent: down");
    assert_eq!(status.endpoints[0].no_data, ["enam"]);
    assert!(render(&status, &[], None, None).contains("No data from enam"));
}

#[test]
fn a_probe_that_could_not_run_is_no_data_never_up_nor_a_failure() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    for minute in 0..4 {
        state.tick(&config, (T0 + 60 * minute) * 1000, &reports("???")).unwrap();
    }
    let status = state.status(&config, T0 + 240);
    assert_eq!(status.endpoints[0].state, State::Unknown, "nothing was learned: no evidence, no up");
    assert_eq!(status.endpoints[0].no_data, ["weur", "enam", "apac"]);
    assert_eq!(status.endpoints[0].uptime_24h, None, "no time was observed, up or down");
    assert!(state.outbox.pending.is_empty(), "no alert for the probe's own trouble");
    let page = render(&status, &[], None, None);
    assert!(page.contains("Some systems cannot be probed") && !page.contains("operational"), "{page}");
    assert_eq!(badge::shields("api", badge::Shown::of_endpoint(&status.endpoints[0], false))["message"], "no data");
    assert_eq!(statuspage::component_status(&status.endpoints[0], false), "degraded_performance");
    assert_eq!(statuspage::page_indicator(&status).1, "Status Unknown For Some Systems");
    for minute in 4..6 {
        state.tick(&config, (T0 + 60 * minute) * 1000, &reports("x?x")).unwrap();
    }
    assert_eq!(state.detectors["api"].verdict().state, State::Down, "the regions that could probe decide");
}

#[test]
fn after_three_missed_ticks_every_view_says_stale_and_none_says_operational() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    state.tick(&config, (T0) * 1000, &reports("ooo")).unwrap();
    let fresh = state.status(&config, T0 + 170);
    assert_eq!((fresh.checked_at, fresh.stale_since), (Some(T0), None));
    let stale = state.status(&config, T0 + 181);
    assert_eq!(stale.stale_since, Some(T0));
    let html = render(&stale, &[], None, None);
    assert!(html.contains("Status unknown: no checks since 2026-11-28 20:00 UTC"), "{html}");
    assert!(!html.contains("All systems operational"));
    let summary = statuspage::summary(&config, &stale, &[]);
    assert_eq!(summary["status"]["indicator"], "minor");
    assert!(summary["status"]["description"].as_str().unwrap().starts_with("Status unknown"));
    assert_ne!(summary["components"][0]["status"], "operational");
    assert_eq!(badge::shields("api", badge::Shown::Stale)["message"], "stale");
}

#[test]
fn an_empty_endpoint_list_is_its_own_state_never_operational() {
    let (config, errors) = parse_config("[site]\ntitle = \"Status\"\n");
    assert_eq!(errors, []);
    let mut state = MonitorState::default();
    state.tick(&config, (T0) * 1000, &[]).unwrap();
    let status = state.status(&config, T0);
    let html = render(&status, &[], None, None);
    assert!(html.contains("No endpoints are probed") && !html.contains("operational"), "{html}");
    let summary = statuspage::summary(&config, &status, &[]);
    assert_eq!(summary["status"]["description"], "No endpoints are probed");
}

#[test]
fn an_endpoint_removed_while_down_has_its_incident_closed() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    state.tick(&config, (T0) * 1000, &reports("xxx")).unwrap();
    state.tick(&config, (T0 + 60) * 1000, &reports("xxx")).unwrap();
    assert!(state.open_incidents.contains_key("api"));
    let (without, _) = parse_config("[site]\ntitle = \"Status\"\n");
    let output = state.tick(&without, (T0 + 120) * 1000, &[]).unwrap();
    assert!(state.open_incidents.is_empty());
    let closed = &output.incidents[0];
    assert_eq!(closed.ended_at, Some(T0 + 120));
    assert!(closed.cause.contains("endpoint removed"), "{}", closed.cause);
}

#[test]
fn an_endpoint_renamed_while_down_says_why_its_outage_ends_without_a_recovery() {
    let (config, _) = parse_config(CONFIG);
    let mut state = MonitorState::default();
    state.tick(&config, T0 * 1000, &reports("xxx")).unwrap();
    state.tick(&config, (T0 + 60) * 1000, &reports("xxx")).unwrap();
    assert_eq!(state.outbox.pending.len(), 1, "api is down: announced");
    let (renamed, errors) = parse_config(&CONFIG.replace("name = \"api\"", "name = \"api-v2\""));
    assert_eq!(errors, []);
    state.tick(&renamed, (T0 + 120) * 1000, &[]).unwrap();
    let last = &state.outbox.pending.last().unwrap().alert;
    assert_eq!(last.headline(), "api is no longer probed (was down)");
    assert!(last.cause.contains("removed from the config"), "{}", last.cause);
    assert!(state.open_incidents.is_empty());
}

#[test]
fn a_target_that_named_the_renamed_endpoint_still_hears_its_outage_end() {
    let named = format!("{ALARMS}endpoints = [\"api\"]\n");
    let (config, errors) = parse_config(&named);
    assert_eq!(errors, []);
    let mut state = MonitorState::default();
    let fail = || one(Outcome::HttpStatus { status: 503 });
    for (at, region) in [(0, "weur"), (100, "enam"), (5_000, "weur"), (5_100, "enam"), (20_000, "weur")] {
        state.report(&config, region, T0 * 1000 + at, &fail()).unwrap();
    }
    let target = config.alerts[0].clone();
    let batch = state.outbox.batch_for(&config, &target, T0 + 21).expect("the outage is announced");
    state.outbox.settle(&config, &batch, &probe::alerts::SendResult::Delivered, T0 + 21);
    // Renamed: the target's list names the new name (validation refuses the old one).
    let text = named.replace("\"api\"", "\"api-v2\"");
    let (renamed, errors) = parse_config(&text);
    assert_eq!(errors, []);
    state.report(&renamed, "weur", T0 * 1000 + 40_000, &[]).unwrap();
    let last = &state.outbox.pending.last().expect("a closing message").alert;
    assert_eq!(last.headline(), "api is no longer probed (was down)");
}

/// Default cadence: regions report on their own, each round or recheck at its own moment.
const ALARMS: &str = "[[endpoint]]\nname = \"api\"\nurl = \"https://api.example.com/health\"\n\
[[alert]]\nkind = \"webhook\"\nurl = \"secret:HOOK\"\n";

fn one(outcome: Outcome) -> Vec<ProbeReport> {
    vec![ProbeReport { endpoint: "api".into(), outcome, latency_ms: 80 }]
}

#[test]
fn a_first_failure_asks_the_other_regions_and_down_waits_for_the_confirm_window() {
    let (config, _) = parse_config(ALARMS);
    let mut state = MonitorState::default();
    let fail = || one(Outcome::HttpStatus { status: 503 });
    let ms = |s: i64| T0 * 1000 + s;
    assert_eq!(state.report(&config, "weur", ms(0), &fail()).unwrap().ask, ["api"], "new trouble: ask the others");
    assert!(state.report(&config, "enam", ms(400), &fail()).unwrap().ask.is_empty(), "already asked");
    state.report(&config, "apac", ms(450), &fail()).unwrap();
    for (region, at) in [("weur", 5_000), ("enam", 5_400), ("apac", 5_450)] {
        let output = state.report(&config, region, ms(at), &fail()).unwrap();
        assert!(output.transitions.is_empty(), "{region}: confirmed by a recheck, but held for 5 s only");
    }
    let confirming = &state.status(&config, T0 + 6).endpoints[0];
    assert_eq!(confirming.state, State::Up, "not declared yet");
    let checking = confirming.checking.as_ref().expect("the failure is being confirmed");
    assert_eq!((checking.state, checking.since), (State::Down, T0));
    assert_eq!(checking.regions, ["weur", "enam", "apac"]);
    assert_eq!(confirming.shown_state(), "checking", "never \"up\" beside every region failing");
    let page = render(&state.status(&config, T0 + 6), &[], None, None);
    assert!(page.contains("Checking: failing in weur, enam, apac since 2026-11-28 20:00:00 UTC"), "{page}");
    assert!(!page.contains("All systems operational"));
    let output = state.report(&config, "weur", ms(20_000), &fail()).unwrap();
    let (_, change) = &output.transitions[0];
    assert_eq!((change.to.state, change.since_ms, change.alert), (State::Down, ms(0), true));
    assert_eq!(state.outbox.pending.len(), 1);
    assert_eq!(state.status(&config, T0 + 21).endpoints[0].checking, None, "declared: no longer checking");
    assert_eq!(output.incidents[0].started_at, T0);
    assert!(state.report(&config, "weur", ms(20_000), &fail()).is_err(), "the same report again is refused");
    assert!(state.report(&config, "oc", ms(21_000), &fail()).is_err(), "a region not configured is refused");
}

#[test]
fn state_saved_by_the_tick_debounce_keeps_its_outage_without_announcing_it_again() {
    let (config, _) = parse_config(ALARMS);
    let mut old = serde_json::to_value(MonitorState::default()).unwrap();
    old.as_object_mut().unwrap().remove("detectors");
    old["trackers"] = serde_json::json!({ "api": { "state": "down", "since": T0, "candidate": null, "candidate_since": T0, "streak": 0 } });
    let mut state = MonitorState::from_json(&old.to_string()).unwrap();
    assert_eq!(state.status(&config, T0 + 60).endpoints[0].state, State::Down);
    let fail = one(Outcome::HttpStatus { status: 503 });
    for at in [70, 75, 90] {
        state.report(&config, "weur", (T0 + at) * 1000, &fail).unwrap();
        state.report(&config, "enam", (T0 + at) * 1000 + 1, &fail).unwrap();
    }
    assert!(state.outbox.pending.is_empty(), "the outage was announced before the upgrade");
    let healthy = one(Outcome::Ok);
    for at in [100, 170] {
        for region in ["weur", "enam", "apac"] {
            state.report(&config, region, (T0 + at) * 1000, &healthy).unwrap();
        }
    }
    assert_eq!(state.status(&config, T0 + 170).endpoints[0].state, State::Up);
    assert_eq!(state.outbox.pending.len(), 1, "its recovery is announced");
}

#[test]
fn a_region_gone_quiet_is_no_data_while_a_probe_that_stopped_keeps_its_last_results() {
    let (config, _) = parse_config(ALARMS);
    let mut state = MonitorState::default();
    let ok = one(Outcome::Ok);
    for region in ["weur", "enam", "apac"] {
        state.report(&config, region, T0 * 1000, &ok).unwrap();
    }
    // weur and enam go on; apac says nothing for longer than three intervals (60 s).
    for at in [20, 40, 61] {
        for region in ["weur", "enam"] {
            state.report(&config, region, (T0 + at) * 1000, &ok).unwrap();
        }
    }
    let status = state.status(&config, T0 + 61);
    assert_eq!(status.endpoints[0].no_data, ["apac"]);
    assert_eq!(status.endpoints[0].regions.iter().map(|r| r.region.as_str()).collect::<Vec<_>>(), ["weur", "enam"]);
    // Then every region stops: the status is stale, and shows what was last known.
    let later = state.status(&config, T0 + 600);
    assert_eq!(later.stale_since, Some(T0 + 61));
    assert_eq!(later.endpoints[0].regions.len(), 2, "the last known results, under the stale warning");
}

#[test]
fn history_saved_before_time_was_weighed_keeps_its_weight_in_the_24_hour_uptime() {
    // Saved by the previous version at 21:30: the 20:00 hour closed with every probe failed,
    // the 21:00 hour open with every probe healthy, counted by probes.
    let mut old = serde_json::to_value(MonitorState::default()).unwrap();
    old.as_object_mut().unwrap().remove("history");
    old["hour_start"] = serde_json::json!(T0 + 3_600);
    old["hour"] = serde_json::json!({ "api": { "ticks": 30, "down": 0, "regional": 0, "degraded": 0, "latency": {}, "probes": 90, "failed": 0 } });
    old["day_start"] = serde_json::json!(T0 - 20 * 3_600);
    old["day"] = serde_json::json!({ "api": { "ticks": 270, "down": 0, "regional": 0, "degraded": 0, "latency": {}, "probes": 810, "failed": 180 } });
    old["recent_probes"] = serde_json::json!({ "api": [[T0, 180, 180]] });
    let state = MonitorState::from_json(&old.to_string()).unwrap();
    let uptime = state.uptime_24h("api", T0 + 5_400).unwrap();
    // The failed hour counts for its hour, the open one for its half hour: 1/3 up.
    assert!((uptime - 100.0 / 3.0).abs() < 1e-9, "{uptime}");
    assert_eq!(state.history.hours.closed_to, T0 + 3_600, "hours before the open one are stored");
    assert_eq!(state.history.days.of("api").values().map(|r| r.probes).sum::<u32>(), 810, "the open day carries on");
}

#[test]
fn a_declared_regional_outage_spreading_toward_down_stays_shown_as_declared() {
    let (config, _) = parse_config(ALARMS);
    let mut state = MonitorState::default();
    let fail = || one(Outcome::HttpStatus { status: 503 });
    let ok = || one(Outcome::Ok);
    let ms = |s: i64| T0 * 1000 + s;
    for (at, weur, enam) in [(0, true, false), (5_000, true, false), (20_000, true, false)] {
        state.report(&config, "weur", ms(at), &if weur { fail() } else { ok() }).unwrap();
        state.report(&config, "enam", ms(at + 100), &if enam { fail() } else { ok() }).unwrap();
    }
    assert_eq!(state.status(&config, T0 + 21).endpoints[0].state, State::Regional);
    // enam starts failing too: down is being confirmed, regional stays what is shown.
    state.report(&config, "enam", ms(25_000), &fail()).unwrap();
    state.report(&config, "enam", ms(26_000), &fail()).unwrap();
    let endpoint = &state.status(&config, T0 + 27).endpoints[0];
    assert_eq!((endpoint.state, endpoint.checking.as_ref()), (State::Regional, None));
    assert_eq!(endpoint.shown_state(), "regional outage");
}
