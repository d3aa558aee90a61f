//! The serving part of `cargo xtask bench`: what a day of readers costs against the free plan
//! (`probe::serving::readers_day`, the worker's reads held to the meter by its tests), and how
//! soon after a declaration the open site shows it (`tests/bench/declaration.mjs`).

use std::fmt::Write as _;
use std::path::Path;

use config::cadence::{daily, Shape};
use probe::serving::{fresh_seconds, readers_day, MONITOR_READS_PER_RUN};

use crate::process::{self, root, step};

/// Outages broken at random moments; the median and the worst are reported.
const RUNS: usize = 5;
/// Free plan: Worker requests a day (cache hits included) and Durable Object requests a day.
const FREE_WORKER_REQUESTS: u64 = 100_000;
const FREE_DO_REQUESTS: u64 = 100_000;

/// The table of readers: viewers reloading every 30 s all day.
pub fn readers() -> String {
    let interval = 20;
    let probe = daily(&Shape { timeouts_ms: vec![5_000; 3], regions: 3 }, interval);
    let mut out = String::new();
    writeln!(out, "\n### A day of readers\n").unwrap();
    writeln!(
        out,
        "`probe::serving::readers_day`: viewers of the status page (or the JSON API) reloading every 30 s all day, three \
         endpoints probed every {interval} s from three regions. Workers Cache runs in front of the Worker on \
         `*.workers.dev` and on a custom domain alike, so the figures are the same for both (the Cache API, which works \
         only on a custom domain, is not used). Every view is a Worker request the free plan counts, cache hit or not \
         (Cloudflare's pricing: \"Cache hits count as requests but do not consume CPU time\"). The Worker runs only on a \
         miss, at most once per caching tier per fresh period ({} s; {} s while a failure is confirmed), and each run \
         makes {MONITOR_READS_PER_RUN} monitor request (its view, `api::View`, which every route is made from, built \
         from the monitor's memory: no rows read per view). Workers Cache is tiered by default, so misses meet one \
         upper tier; the last row assumes no tiering at all, a miss in each of 20 data centres. The probe's own day: \
         {} Durable Object requests, {} rows written.\n",
        fresh_seconds(interval),
        probe::serving::CHECKING_FRESH_SECONDS,
        probe.requests,
        probe.rows_written
    )
    .unwrap();
    writeln!(
        out,
        "| viewers | tiers running the Worker | Worker requests / day | Worker runs / day, at most | DO requests / day, at most, with the probe's | within the free plan |\n|---:|---:|---:|---:|---:|---|"
    )
    .unwrap();
    for (viewers, tiers) in [(1u64, 1u64), (100, 1), (10_000, 1), (10_000, 3), (10_000, 20)] {
        let day = readers_day(viewers, 30, interval, tiers);
        let objects = day.do_requests + probe.requests;
        let mut over = Vec::new();
        if day.worker_requests > FREE_WORKER_REQUESTS {
            over.push(format!("Worker requests ({:.0} all-day viewers fit)", FREE_WORKER_REQUESTS as f64 / 2_880.0));
        }
        if objects > FREE_DO_REQUESTS {
            over.push("Durable Object requests".to_string());
        }
        let fits = if over.is_empty() { "yes".to_string() } else { format!("no: {}", over.join(", ")) };
        writeln!(out, "| {viewers} | {tiers} | {} | {} | {objects} | {fits} |", day.worker_requests, day.worker_runs)
            .unwrap();
    }
    writeln!(
        out,
        "\nAn outage's crowd lasts hours, not days: the {FREE_WORKER_REQUESTS} requests are {} viewer-hours at one \
         reload every 30 s (the page itself reloads every 60 s when calm, 30 s in trouble, 10 s while confirming; the \
         site, open on the team's screens, reads every 15 s when calm). Past the limit, viewers get Cloudflare's error \
         page while the probe, which runs on Durable Object alarms, carries on (its requests are Durable Object requests, \
         counted apart). A Durable Object limit reached instead: the Worker answers the last status it had with its age \
         (tested in `tests/worker/crowd.test.mjs`). The Workers Paid plan ($5 a month) lifts both.",
        FREE_WORKER_REQUESTS / 120
    )
    .unwrap();
    out
}

/// Breaks the demo at random moments with the site open, and reports how long after the
/// probe's declaration the page shows it.
pub fn declaration(demo_dist: &Path) -> Result<String, String> {
    step(&format!("breaking the demo {RUNS} times with the site open: declaration to page"));
    let json = process::output(
        process::node().arg(root().join("tests/bench/declaration.mjs")).arg(RUNS.to_string()).arg(demo_dist),
    )
    .ok_or("the declaration benchmark failed (tests/bench/declaration.mjs)")?;
    let report: serde_json::Value = serde_json::from_str(&json).map_err(|e| format!("declaration benchmark: {e}"))?;
    let runs = report["runs"].as_array().cloned().unwrap_or_default();
    let mut shown: Vec<f64> = runs.iter().filter_map(|r| r["shown_after_declared_ms"].as_f64()).collect();
    let mut declared: Vec<f64> = runs.iter().filter_map(|r| r["declared_after_ms"].as_f64()).collect();
    shown.sort_by(f64::total_cmp);
    declared.sort_by(f64::total_cmp);
    let median = |v: &[f64]| v.get(v.len() / 2).copied().unwrap_or(f64::NAN) / 1000.0;
    let worst = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN) / 1000.0;
    let mut out = String::new();
    writeln!(out, "\n## From declaration to the open page\n").unwrap();
    writeln!(
        out,
        "`tests/bench/declaration.mjs`: the demo as `cargo xtask dev` runs it (windows {}), the site's home page open \
         in Chromium at 390 px, the demo broken {} times at random moments. The site reads the probe every 15 s when \
         calm and every 5 s while a failure is being confirmed; the worker holds its answer 5 s, 2 s then. So the page \
         sees the confirmation before the declaration, and the declaration within seconds.\n",
        report["windows"],
        runs.len()
    )
    .unwrap();
    writeln!(out, "| | median | worst |\n|---|---:|---:|").unwrap();
    writeln!(out, "| onset → declared by the probe | {:.1} s | {:.1} s |", median(&declared), worst(&declared))
        .unwrap();
    writeln!(out, "| declared → shown on the open page | {:.1} s | {:.1} s |", median(&shown), worst(&shown)).unwrap();
    Ok(out)
}
