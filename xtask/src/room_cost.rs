//! The live room's part of `cargo xtask bench`: what one incident worked live costs, counted
//! by `tests/bench/room_cost.mjs` under workerd, set against the free plan beside the probe's
//! own day.

use std::fmt::Write as _;

use config::cadence::{daily, Shape};
use config::limits;

use crate::process::{self, root, step};

/// An incident worked for about two hours by four people: every step, field and severity
/// change the site sends (gathered every half second), one phone dropping off twice.
const CHANGES: usize = 240;
const PEOPLE: usize = 4;
/// Free plan, a day: Durable Object requests, rows written, GB-s (`config::limits`).
const FREE_DO_REQUESTS: f64 = limits::FREE_DO_REQUESTS_PER_DAY as f64;
const FREE_ROWS_WRITTEN: f64 = limits::FREE_ROWS_WRITTEN_PER_DAY as f64;
const FREE_GB_S: f64 = limits::FREE_DURATION_GB_S_PER_DAY;
/// A Durable Object is billed at 128 MB while active.
const GB: f64 = 0.128;
/// Alarm runs per room: the first, 48 h after the opening, finds a later change and sets
/// itself again (a row written); the second ends the room.
const ALARM_RUNS: f64 = 2.0;

pub fn measure() -> Result<String, String> {
    step(&format!("working one incident live: {PEOPLE} people, {CHANGES} changes (tests/bench/room_cost.mjs)"));
    let json = process::output(
        process::node().arg(root().join("tests/bench/room_cost.mjs")).arg(CHANGES.to_string()).arg(PEOPLE.to_string()),
    )
    .ok_or("the room cost benchmark failed (tests/bench/room_cost.mjs)")?;
    let run: serde_json::Value = serde_json::from_str(&json).map_err(|e| format!("room cost benchmark: {e}"))?;
    let number = |key: &str| run[key].as_f64().ok_or(format!("room cost benchmark: no {key} in {json}"));
    let incoming = number("incoming_messages")?;
    let upgrades = number("upgrades")?;
    let do_requests = 1.0 + upgrades + (incoming / 20.0).ceil() + ALARM_RUNS;
    // The SQL meter's rows, each alarm set (billed as a row written: the one at the opening,
    // counted by the object, and the one the first alarm run sets again), and `deleteAll`
    // at the end, counted as one more.
    let rows_written = number("rows_written")? + number("alarms_set")? + 2.0;
    let active_s = number("change_ms_total")? / 1000.0;
    let gb_s = active_s * GB;
    let probe = daily(&Shape { timeouts_ms: vec![5_000; 3], regions: 3 }, 20);
    let room_for = |free: f64, probe_use: f64, per_incident: f64| ((free - probe_use) / per_incident).floor();
    let limits = [
        ("Durable Object requests", room_for(FREE_DO_REQUESTS, probe.requests_worst as f64, do_requests)),
        ("rows written", room_for(FREE_ROWS_WRITTEN, probe.rows_written_worst as f64, rows_written)),
        ("GB-s", room_for(FREE_GB_S, probe.gb_seconds_worst, gb_s)),
    ];
    let (first, fit) = limits.into_iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or(("none", f64::NAN));
    let mut out = String::new();
    writeln!(out, "\n## A live incident's cost\n").unwrap();
    writeln!(
        out,
        "`tests/bench/room_cost.mjs`: the worker under workerd, a room opened on an incident, {PEOPLE} people joining \
         (one on a phone that drops off and comes back twice), {CHANGES} changes sent in turn at the site's pace (each \
         step checked, a status typed a few words at a time, severity set), made by the real encoder. Rows by the SQL \
         cursors' meter; Durable Object requests as Cloudflare bills them: the opening, each WebSocket upgrade, \
         incoming WebSocket messages at 20:1 (outgoing ones are free), and the two alarm runs that end the room after \
         48 h idle. The object hibernates between messages (WebSocket Hibernation API), so it is billed only while it \
         handles one; the time from a change sent to its answer bounds that from above.\n"
    )
    .unwrap();
    writeln!(
        out,
        "| per incident | measured | free plan, a day | beside the probe's day of trouble, incidents a day |"
    )
    .unwrap();
    writeln!(out, "|---|---:|---:|---:|").unwrap();
    writeln!(
        out,
        "| Durable Object requests | {do_requests:.0} ({incoming:.0} messages in, {upgrades:.0} connections) | {FREE_DO_REQUESTS:.0} | {:.0} |",
        room_for(FREE_DO_REQUESTS, probe.requests_worst as f64, do_requests)
    )
    .unwrap();
    writeln!(
        out,
        "| rows written | {rows_written:.0} (one per change, {:.0} to open it and set its alarm, 2 to set it again and delete it) | {FREE_ROWS_WRITTEN:.0} | {:.0} |",
        rows_written - CHANGES as f64 - 2.0,
        room_for(FREE_ROWS_WRITTEN, probe.rows_written_worst as f64, rows_written)
    )
    .unwrap();
    writeln!(
        out,
        "| GB-s, at most | {gb_s:.2} ({active_s:.2} s active at 128 MB) | {FREE_GB_S:.0} | {:.0} |",
        room_for(FREE_GB_S, probe.gb_seconds_worst, gb_s)
    )
    .unwrap();
    writeln!(
        out,
        "\nOne change from send to answer: {:.1} ms median, {:.1} ms at the 95th percentile (loopback). Rows read: {:.0}. \
         The Worker requests are the opening and the {upgrades:.0} connections. The probe's day is {} Durable Object \
         requests and {} rows written on a day of trouble (three endpoints, three regions, every 20 s, every round \
         rechecked), as a day with an incident usually is. The first limit reached is {first}: \
         a team on the free plan can work about {fit:.0} incidents like this one live a day, beside its probe.",
        number("change_ms_median")?,
        number("change_ms_p95")?,
        number("rows_read")?,
        probe.requests_worst,
        probe.rows_written_worst,
    )
    .unwrap();
    Ok(out)
}
