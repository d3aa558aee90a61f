//! The JSON the worker serves (`/api/status`, `/api/history/…`, `/api/incidents`) and the
//! site reads. Documented in `docs/api.md`.

use serde::{Deserialize, Serialize};

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
    pub regions: Vec<String>,
    pub endpoints: Vec<EndpointStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointStatus {
    pub name: String,
    pub state: State,
    pub since: i64,
    /// The site's runbook section for this endpoint, such as `incident-response#complete-service-outage-sev1`.
    pub runbook: Option<String>,
    pub regions: Vec<RegionResult>,
    /// Uptime over the last 24 hours, 0 to 100, if any ticks were seen.
    pub uptime_24h: Option<f64>,
    /// The maintenance window it is in now, if any: alerts are held back.
    #[serde(default)]
    pub maintenance: Option<Maintenance>,
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
    /// Per hour for the last 7 days, oldest first.
    pub hourly: Vec<PeriodSummary>,
    /// Per day for the last 90 days, oldest first.
    pub daily: Vec<PeriodSummary>,
}

/// Percent of ticks not down, 0 to 100; `None` without data for the period.
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
    pub uptime: f64,
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
