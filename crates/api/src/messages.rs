//! The messages the worker's Durable Objects send each other, typed once for both sides.
//! Each has the internal path it is posted to.

use serde::{Deserialize, Serialize};

use crate::verdict::Outcome;

/// Worker → a region's object, posted to [`ProbeAsk::PATH`]: probe every endpoint from there.
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

/// Worker → the monitor, posted to [`Ingest::PATH`]: every region's reports for the tick at
/// `at` (Unix seconds). The monitor answers with the new status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingest {
    pub at: i64,
    pub reports: Vec<(String, Vec<ProbeReport>)>,
}

impl Ingest {
    pub const PATH: &'static str = "/ingest";
}
