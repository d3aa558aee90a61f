//! The messages the worker's Durable Objects send each other, typed once for both sides.
//! Each has the internal path it is posted to.

use serde::{Deserialize, Serialize};

use crate::verdict::Outcome;

/// Worker → a region's object, posted to [`ProbeAsk::PATH`] (`POST /api/probe`): probe every
/// endpoint from there now, and answer with the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeAsk {
    pub region: String,
}

impl ProbeAsk {
    pub const PATH: &'static str = "/probe";
}

/// A region's result for one endpoint: its answer to a [`ProbeAsk`] is a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeReport {
    pub endpoint: String,
    pub outcome: Outcome,
    pub latency_ms: u32,
}

/// Worker → the monitor, posted to [`Ingest::PATH`]: every region's reports of one round on
/// demand, started at `at_ms` (Unix ms). The monitor answers with the new status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingest {
    pub at_ms: i64,
    pub reports: Vec<(String, Vec<ProbeReport>)>,
}

impl Ingest {
    pub const PATH: &'static str = "/ingest";
}

/// A region → the monitor, posted to [`Report::PATH`] after each of its rounds, rechecks and
/// probes asked for: its results, dated by when the probes started (Unix milliseconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub region: String,
    pub at_ms: i64,
    pub reports: Vec<ProbeReport>,
}

impl Report {
    pub const PATH: &'static str = "/report";
}

/// The monitor → a region, posted to [`Soon::PATH`]: a region just saw these endpoints fail,
/// so probe them now rather than at the next round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Soon {
    pub endpoints: Vec<String>,
}

impl Soon {
    pub const PATH: &'static str = "/soon";
}

/// The cron's watchdog → a region, posted to [`Arm::PATH`]: make sure the rounds' alarm is
/// set. The region answers with [`Armed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arm {
    pub region: String,
}

impl Arm {
    pub const PATH: &'static str = "/arm";
}

/// A region's answer to [`Arm`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Armed {
    /// No alarm was set: the rounds had stopped, and are started again.
    pub rearmed: bool,
    /// When the last round started (Unix ms), if one ever did.
    pub last_round_ms: Option<i64>,
}

/// An object's own meter since it started: SQLite rows as the platform bills them (the SQL
/// cursors' `rowsWritten` and `rowsRead`), and alarms set (each billed as a row written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterCounts {
    pub rows_written: u64,
    pub rows_read: u64,
    pub alarms_set: u64,
}

/// A region's object → the worker, from [`RegionMeta::PATH`]: its rounds and its meter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionMeta {
    /// Alarms that probed something (rounds, rechecks, probes asked for), since it started.
    pub probe_runs: u64,
    pub meter: MeterCounts,
}

impl RegionMeta {
    pub const PATH: &'static str = "/meta";
}

/// The monitor → the worker, from [`MonitorMeta::PATH`]: what it did and what it cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorMeta {
    /// Read requests answered (status, history…), since the object started.
    pub monitor_reads: u64,
    /// Reports applied.
    pub reports: u64,
    pub meter: MeterCounts,
}

impl MonitorMeta {
    pub const PATH: &'static str = "/meta";
}

/// Worker → the monitor, posted to [`Beat::PATH`] (`POST /api/heartbeat/<name>`, its token
/// checked): the heartbeat `name` reported in now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beat {
    pub name: String,
}

impl Beat {
    pub const PATH: &'static str = "/beat";
}
