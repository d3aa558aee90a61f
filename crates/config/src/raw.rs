//! `outpost.toml` as written: serde's view of the file, with spans for error lines. Only
//! `validate` reads these; everyone else gets a [`crate::Config`].

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// Each part is read on its own (`read.rs`), so a mistake in one leaves the others.
#[derive(Default)]
pub(crate) struct RawConfig {
    pub site: RawSite,
    pub variables: BTreeMap<String, Spanned<String>>,
    pub probe: Option<Spanned<RawProbe>>,
    pub endpoints: Vec<Spanned<RawEndpoint>>,
    pub alerts: Vec<Spanned<RawAlert>>,
    pub maintenance: Vec<Spanned<RawMaintenance>>,
    pub heartbeats: Vec<Spanned<RawHeartbeat>>,
    pub deploy: Option<Spanned<RawDeploy>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDeploy {
    pub pages_project: Option<Spanned<String>>,
    pub worker: Option<Spanned<String>>,
    pub account_id: Option<Spanned<String>>,
    pub site_domain: Option<Spanned<String>>,
    pub probe_domain: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHeartbeat {
    pub name: Spanned<String>,
    pub period_seconds: Spanned<u32>,
    pub grace_seconds: Option<Spanned<u32>>,
    pub token: Spanned<String>,
    pub runbook: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlert {
    pub id: Option<String>,
    pub kind: Spanned<String>,
    pub url: Option<Spanned<String>>,
    pub key: Option<Spanned<String>>,
    pub chat: Option<Spanned<String>>,
    pub topic: Option<Spanned<String>>,
    #[serde(default)]
    pub endpoints: Vec<String>,
    pub max_age_minutes: Option<u32>,
    pub remind_minutes: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMaintenance {
    pub title: String,
    pub start: Option<Spanned<toml::value::Datetime>>,
    pub end: Option<Spanned<toml::value::Datetime>>,
    pub every: Option<Spanned<String>>,
    pub from: Option<Spanned<String>>,
    pub until: Option<Spanned<String>>,
    pub time_zone: Option<Spanned<String>>,
    #[serde(default)]
    pub endpoints: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    pub title: Option<String>,
    pub url: Option<String>,
    pub probe_api: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProbe {
    pub regions: Option<Spanned<Vec<String>>>,
    pub interval_seconds: Option<Spanned<u32>>,
    pub quorum: Option<Spanned<u32>>,
    pub recheck_seconds: Option<Spanned<u32>>,
    pub confirm_seconds: Option<Spanned<u32>>,
    pub recover_seconds: Option<Spanned<u32>>,
    pub flap_changes: Option<Spanned<u32>>,
    pub flap_window_seconds: Option<Spanned<u32>>,
    /// Read from files written for the minute cron, and translated to seconds.
    pub fail_ticks: Option<Spanned<u32>>,
    pub recover_ticks: Option<Spanned<u32>>,
    pub slow_ms: Option<Spanned<u32>>,
    pub timeout_ms: Option<Spanned<u32>>,
    pub max_body_bytes: Option<Spanned<u32>>,
    pub dns_resolver: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEndpoint {
    pub name: Spanned<String>,
    pub url: Spanned<String>,
    pub method: Option<Spanned<String>>,
    pub expect_status: Option<Spanned<StatusSpec>>,
    #[serde(default, rename = "assert")]
    pub assertions: Vec<Spanned<String>>,
    pub slow_ms: Option<Spanned<u32>>,
    pub timeout_ms: Option<Spanned<u32>>,
    pub max_body_bytes: Option<Spanned<u32>>,
    #[serde(default)]
    pub headers: BTreeMap<String, Spanned<String>>,
    pub runbook: Option<String>,
    #[serde(default)]
    pub follow_redirects: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum StatusSpec {
    // Wide, so an out-of-range code gets our message rather than serde's.
    One(i64),
    Many(Vec<i64>),
}

/// Byte offset → 1-based line.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub(crate) fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }
}
