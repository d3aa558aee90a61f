//! The JSON the worker serves (`/api/status`, `/api/history/…`, `/api/incidents`) and the
//! site reads. Documented in `docs/api.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::outage::OutageLink;
use crate::verdict::{Outcome, State};

/// One region's latest result for one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionResult {
    pub region: String,
    pub outcome: Outcome,
    pub latency_ms: u32,
    /// Unix seconds.
    pub at: i64,
}

/// `GET /api/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusReport {
    pub title: String,
    pub generated_at: i64,
    /// When the regions last probed (Unix seconds); `None` before the first tick.
    #[serde(default)]
    pub checked_at: Option<i64>,
    /// Set when no tick has run for three intervals: the time of the last one. Every view
    /// then says the status is stale instead of showing it as current.
    #[serde(default)]
    pub stale_since: Option<i64>,
    pub regions: Vec<String>,
    pub endpoints: Vec<EndpointStatus>,
    /// What the team posted (`POST /api/updates`): open incidents and those resolved lately,
    /// the most recently updated first.
    #[serde(default)]
    pub posted: Vec<crate::PostedIncident>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointStatus {
    pub name: String,
    pub state: State,
    /// Changing between healthy and failing again and again: `state` is then the worst seen
    /// while it lasts, and it ends after a calm window.
    #[serde(default)]
    pub flapping: bool,
    /// When the state began: the first probe that saw it.
    pub since: i64,
    /// When the probe declared it, after it held long enough to be believed.
    #[serde(default)]
    pub declared_at: Option<i64>,
    /// The site's runbook section for this endpoint, such as `incident-response#complete-service-outage-sev1`.
    pub runbook: Option<String>,
    /// The host values its URL uses (`FRONTEND_HOST = "aragora.live"`), for the runbook's
    /// commands.
    #[serde(default)]
    pub hosts: BTreeMap<String, String>,
    pub regions: Vec<RegionResult>,
    /// Configured regions with no recent result (silent for three intervals, or unable to
    /// probe): no data, neither healthy nor failing.
    #[serde(default)]
    pub no_data: Vec<String>,
    /// Uptime over the last 24 hours, 0 to 100 (the share of probes that succeeded, over
    /// every region), if any probe was seen.
    pub uptime_24h: Option<f64>,
    /// The maintenance window it is in now, if any: alerts are held back.
    #[serde(default)]
    pub maintenance: Option<Maintenance>,
    /// Trouble seen but not yet declared: the probe is confirming it (a recheck, the other
    /// regions asked) and alerts wait for the declaration. `state` stays what was declared.
    #[serde(default)]
    pub checking: Option<Checking>,
}

/// What the probe is confirming about an endpoint before it declares it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checking {
    /// The state it will declare if the trouble holds (down, regional outage, degraded).
    pub state: State,
    /// The first probe that saw the trouble (Unix seconds).
    pub since: i64,
    /// The regions whose latest probe failed (or was slow).
    pub regions: Vec<String>,
}

impl Checking {
    /// "Checking: failing in weur, enam", "Checking: slow in apac": the same words on the
    /// status page and in the site.
    pub fn words(&self) -> String {
        let how = if self.state == State::Degraded { "slow" } else { "failing" };
        match self.regions.as_slice() {
            [] => format!("Checking: {how} at times"),
            regions => format!("Checking: {how} in {}", regions.join(", ")),
        }
    }
}

impl EndpointStatus {
    /// The state as shown: `down`, `down, flapping`, or `checking` while trouble seen is
    /// being confirmed (never "up" beside regions failing).
    pub fn shown_state(&self) -> String {
        if self.checking.is_some() {
            return "checking".to_string();
        }
        if self.flapping {
            format!("{}, flapping", self.state.label())
        } else {
            self.state.label().to_string()
        }
    }

    /// The class every view colours it by: its state's, or `checking` while trouble seen is
    /// being confirmed.
    pub fn shown_class(&self) -> &'static str {
        if self.checking.is_some() {
            "checking"
        } else {
            self.state.class()
        }
    }

    /// The outage it is in, as a link to the runbook carries it; `None` when it is up.
    pub fn outage(&self) -> Option<OutageLink> {
        OutageLink::from_results(
            &self.name,
            self.state,
            self.since,
            self.declared_at.unwrap_or(self.since),
            &self.regions,
        )
    }
}

/// The monitor's answer to the worker's reads of the public routes, posted nowhere: read
/// from [`View::PATH`], so the status, the incidents and the pictures of every page, badge and
/// feed cost one Durable Object request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub status: StatusReport,
    pub incidents: Vec<DetectedIncident>,
    /// `None` when the monitor could not read its history just now.
    pub pictures: Option<crate::Pictures>,
}

impl View {
    pub const PATH: &'static str = "/view";
}

impl StatusReport {
    /// The endpoints whose runbook link points into the runbook `slug`.
    pub fn endpoints_for(&self, slug: &str) -> Vec<EndpointStatus> {
        self.endpoints
            .iter()
            .filter(|e| e.runbook.as_deref().is_some_and(|link| crate::links::split_link(link).0 == slug))
            .cloned()
            .collect()
    }

    /// Every endpoint up, none being checked, the probe not stale: nothing to watch closely.
    pub fn is_calm(&self) -> bool {
        self.stale_since.is_none() && self.endpoints.iter().all(|e| e.state == State::Up && e.checking.is_none())
    }

    /// Some endpoint's trouble is being confirmed: a declaration may come any second.
    pub fn is_checking(&self) -> bool {
        self.endpoints.iter().any(|e| e.checking.is_some())
    }

    /// When the site, open on a team member's screen, should read the status again
    /// (seconds): every 5 s while a failure is being confirmed, so the declaration shows
    /// within seconds; every 10 s in trouble; every 15 s when calm, which with the worker's
    /// 5 s of caching adds up to about the default confirm window, so a reader usually sees
    /// the checking before the declaration. Each read is a request the platform counts
    /// (`docs/benchmarks.md`).
    pub fn read_again_seconds(&self) -> u32 {
        if self.is_checking() {
            5
        } else if self.is_calm() {
            15
        } else {
            10
        }
    }
}

/// An outage the probe detected: from the first failing tick to the first healthy one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectedIncident {
    pub id: i64,
    pub endpoint: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    /// The worst state it reached.
    pub worst: State,
    /// Regions that saw it fail.
    pub regions: Vec<String>,
    /// What the first failing probe said: "HTTP 502", "timed out".
    pub cause: String,
}

/// `GET /api/incidents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentList {
    pub incidents: Vec<DetectedIncident>,
}

/// `GET /api/history/{endpoint}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub endpoint: String,
    pub uptime: Uptime,
    /// How uptime is computed, in words.
    #[serde(default)]
    pub uptime_basis: String,
    /// Per hour for the last 7 days, oldest first.
    pub hourly: Vec<PeriodSummary>,
    /// Per day for the last 90 days, oldest first.
    pub daily: Vec<PeriodSummary>,
}

/// Percent of probes that succeeded (see `History::uptime_basis`), 0 to 100; `None` without
/// data for the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uptime {
    pub last_24h: Option<f64>,
    pub last_7d: Option<f64>,
    pub last_30d: Option<f64>,
    pub last_90d: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodSummary {
    pub start: i64,
    /// `None` when nothing was observed in the period: no data is not 100 %.
    pub uptime: Option<f64>,
    pub ticks: u32,
    pub latency: Vec<RegionLatency>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionLatency {
    pub region: String,
    pub p50_ms: u32,
    pub p95_ms: u32,
    pub p99_ms: u32,
}

/// A planned window in which alerts are held back; probing and history carry on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Maintenance {
    pub title: String,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    /// Endpoints under maintenance; empty means all.
    pub endpoints: Vec<String>,
}

impl Maintenance {
    pub fn covers(&self, endpoint: &str, at: i64) -> bool {
        self.start <= at && at < self.end && (self.endpoints.is_empty() || self.endpoints.iter().any(|e| e == endpoint))
    }
}

/// `GET /api/alerts`: what waits to be delivered to each alert target, and what was given up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertReport {
    pub targets: Vec<AlertTargetStatus>,
    /// Messages dropped without delivery (refused by the receiver, too old, target removed),
    /// newest last.
    pub failures: Vec<AlertFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertTargetStatus {
    /// The target's stable id: `kind:SECRET`, or the `id` it was given.
    pub id: String,
    pub kind: String,
    pub pending: usize,
    /// When the oldest pending message is tried next (Unix seconds).
    pub next_attempt_at: Option<i64>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFailure {
    pub at: i64,
    pub target: String,
    /// The message ids that were dropped.
    pub ids: Vec<u64>,
    pub error: String,
}
