//! What one tick costs the monitor in CPU, for 45 endpoints (the most a region may probe) in 3 regions: the decisions plus
//! reading and writing its state as JSON, as the worker does each tick. Run by
//! `cargo xtask bench`; prints `name<TAB>median µs<TAB>what` lines.

use std::hint::black_box;

use api::Outcome;
use api::ProbeReport;
use probe::monitor::MonitorState;

use bench_timing::report;

fn main() {
    let endpoints: String = (0..45)
        .map(|i| format!("[[endpoint]]\nname = \"e{i}\"\nurl = \"https://e{i}.example.com/health\"\ntimeout_ms = 2000\nassert = ['.status == \"ok\"']\n"))
        .collect();
    let (config, errors) = probe::parse_config(&endpoints);
    assert!(errors.is_empty());
    let reports: Vec<(String, Vec<ProbeReport>)> = ["weur", "enam", "apac"]
        .iter()
        .map(|region| {
            let list = (0..45)
                .map(|i| ProbeReport { endpoint: format!("e{i}"), outcome: Outcome::Ok, latency_ms: 40 + i })
                .collect();
            (region.to_string(), list)
        })
        .collect();
    let mut state = MonitorState::default();
    // A state as it is after a day: histograms filled for the hour and the day.
    let mut at = 1_795_896_000;
    for _ in 0..(24 * 60 - 1) {
        state.tick(&config, at, &reports).expect("ticks in time order");
        at += 60;
    }
    let json = serde_json::to_string(&state).unwrap();
    report(
        "monitor_tick_45x3",
        "one tick's decisions for 45 endpoints (the most a region may probe) in 3 regions",
        || {
            let mut copy = state.clone();
            let _ = black_box(copy.tick(&config, at, black_box(&reports)));
        },
    );
    report(
        "monitor_state_json_45x3",
        &format!("read and write the monitor's state row ({} KB of JSON)", json.len() / 1024),
        || {
            let parsed: MonitorState = serde_json::from_str(black_box(&json)).unwrap();
            black_box(serde_json::to_string(&parsed).unwrap());
        },
    );
    report("parse_config_45", "parse and check an outpost.toml with 45 endpoints", || {
        black_box(probe::parse_config(black_box(&endpoints)));
    });
}
