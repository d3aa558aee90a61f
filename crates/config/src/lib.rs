//! `outpost.toml`, the one file the site and the probe share, read and checked in one place
//! for every caller: the site's build script, `cargo xtask` and the worker. Hosts are defined
//! once under `[variables]`; runbook commands and endpoint URLs both use them
//! (`http://{EC2_HOST}:8765/api/health`).
//!
//! Parsing never fails and never panics: it returns the config it could build plus an error
//! (with its line and what to do) for each problem. The build refuses a file with errors; a
//! running probe keeps probing the endpoints that are fine.
#![forbid(unsafe_code)]

pub mod assertion;
pub mod limits;
mod raw;
pub mod transport;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

pub use api::Maintenance;

use crate::assertion::Assertion;
use crate::raw::{LineIndex, RawConfig};

/// Where Durable Objects can be placed (Cloudflare location hints).
pub const LOCATION_HINTS: &[&str] = &["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"];

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `[site] title`: the site's and the status page's name.
    pub title: String,
    /// `[variables]`: host values the runbooks' commands and the endpoints' URLs share.
    pub variables: BTreeMap<String, String>,
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
    pub transport: transport::Transport,
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

/// Parses and checks `outpost.toml`. Never fails: a syntax error gives an empty config and
/// that error; a bad endpoint is left out and reported.
pub fn parse_config(text: &str) -> (Config, Vec<ConfigError>) {
    let lines = LineIndex::new(text);
    match toml::from_str::<RawConfig>(text) {
        Ok(raw) => validate::validate(raw, &lines),
        Err(error) => {
            let line = error.span().map_or(1, |span| lines.line(span.start));
            let message = error.message().trim().to_string();
            (validate::validate(RawConfig::default(), &lines).0, vec![ConfigError { line, message }])
        }
    }
}
