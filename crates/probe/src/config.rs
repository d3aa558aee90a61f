//! `outpost.toml`, the one file the site and the probe share: hosts are defined once under
//! `[variables]` and endpoint URLs use them (`http://{EC2_HOST}:8765/api/health`).
//!
//! Parsing returns the endpoints that are valid plus an error (with its line) for each
//! problem, so the build can refuse a broken file while a running probe keeps probing the
//! endpoints that are fine.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::assertion::Assertion;

/// Where Durable Objects can be placed (Cloudflare location hints).
pub const LOCATION_HINTS: &[&str] = &["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    /// The runbook site's public address (`[site] url`), for links from the status page.
    pub site_url: Option<String>,
    /// Where the site finds the probe's API (`[site] probe_api`), if deployed.
    pub probe_api: Option<String>,
    /// One Durable Object per region, named and placed by its location hint.
    pub regions: Vec<String>,
    pub thresholds: Thresholds,
    pub endpoints: Vec<Endpoint>,
    pub alerts: Vec<AlertTarget>,
    pub maintenance: Vec<Maintenance>,
    /// Choices worth telling that are not mistakes (a raw IP probed over a TCP socket).
    pub notes: Vec<ConfigError>,
}

/// Where state changes are announced. The webhook URL is a Worker secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertTarget {
    pub kind: AlertKind,
    /// The Worker secret holding the webhook URL.
    pub url_secret: String,
    /// Endpoints this target hears about; empty means all.
    pub endpoints: Vec<String>,
    /// Undelivered messages older than this are dropped (with a log line).
    pub max_age_minutes: u32,
    pub line: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Slack,
    Discord,
    Webhook,
}

/// A planned window in which alerts are held back; probing and history carry on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

impl Config {
    /// The maintenance window covering `endpoint` at `at`, if any.
    pub fn maintenance_of(&self, endpoint: &str, at: i64) -> Option<&Maintenance> {
        self.maintenance.iter().find(|m| m.covers(endpoint, at))
    }
}

/// How many regions and ticks it takes to change an endpoint's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Failing regions (of those reporting) that make "down"; fewer make "regional".
    pub quorum: usize,
    /// Consecutive ticks a worse state must hold before it is declared.
    pub fail_ticks: u32,
    /// Consecutive healthy ticks before "up" is declared again.
    pub recover_ticks: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub name: String,
    /// With the site's variables filled in.
    pub url: String,
    pub method: String,
    pub expect_status: Vec<Range<u16>>,
    pub assertions: Vec<Assertion>,
    pub slow_ms: u32,
    pub timeout_ms: u32,
    pub max_body_bytes: u32,
    pub headers: Vec<(String, HeaderValue)>,
    /// A runbook section on the site, such as `incident-response#complete-service-outage-sev1`.
    pub runbook: Option<String>,
    pub follow_redirects: bool,
    pub transport: crate::transport::Transport,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    Plain(String),
    /// `secret:NAME`: read from the Worker secret NAME at probe time, never stored.
    Secret(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: u32,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "outpost.toml:{}: {}", self.line, self.message)
    }
}

pub const DEFAULT_REGIONS: &[&str] = &["weur", "enam", "apac"];
pub const DEFAULT_SLOW_MS: u32 = 2_000;
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
pub const DEFAULT_MAX_BODY_BYTES: u32 = 64 * 1024;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    #[serde(default)]
    pub site: RawSite,
    #[serde(default)]
    pub variables: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub probe: Option<Spanned<RawProbe>>,
    #[serde(default, rename = "endpoint")]
    pub endpoints: Vec<Spanned<RawEndpoint>>,
    #[serde(default, rename = "alert")]
    pub alerts: Vec<Spanned<RawAlert>>,
    #[serde(default)]
    pub maintenance: Vec<Spanned<RawMaintenance>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAlert {
    pub kind: Spanned<String>,
    pub url: Spanned<String>,
    #[serde(default)]
    pub endpoints: Vec<String>,
    pub max_age_minutes: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMaintenance {
    pub title: String,
    pub start: Spanned<toml::value::Datetime>,
    pub end: Spanned<toml::value::Datetime>,
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
    pub quorum: Option<Spanned<u32>>,
    pub fail_ticks: Option<Spanned<u32>>,
    pub recover_ticks: Option<Spanned<u32>>,
    pub slow_ms: Option<u32>,
    pub timeout_ms: Option<u32>,
    pub max_body_bytes: Option<u32>,
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
    pub max_body_bytes: Option<u32>,
    #[serde(default)]
    pub headers: BTreeMap<String, Spanned<String>>,
    pub runbook: Option<String>,
    #[serde(default)]
    pub follow_redirects: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum StatusSpec {
    One(u16),
    Many(Vec<u16>),
}

/// Parses and checks `outpost.toml`. Never fails: a syntax error gives an empty config and
/// that error; a bad endpoint is left out and reported.
pub fn parse_config(text: &str) -> (Config, Vec<ConfigError>) {
    let lines = LineIndex::new(text);
    match toml::from_str::<RawConfig>(text) {
        Ok(raw) => crate::validate::validate(raw, &lines),
        Err(error) => {
            let line = error.span().map_or(1, |span| lines.line(span.start));
            let message = error.message().trim().to_string();
            (crate::validate::validate(RawConfig::default(), &lines).0, vec![ConfigError { line, message }])
        }
    }
}

/// Byte offset → 1-based line.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub(crate) fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }
}
