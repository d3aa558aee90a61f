//! `outpost.toml`, the one file the site and the probe share, read and checked in one place
//! for every caller: the site's build script, `cargo xtask` and the worker. Hosts are defined
//! once under `[variables]`; runbook commands and endpoint URLs both use them
//! (`http://{EC2_HOST}:8765/api/health`).
//!
//! Parsing never fails and never panics: it returns the config it could build plus an error
//! (with its line and what to do) for each problem. The build refuses a file with errors; a
//! running probe keeps probing the endpoints that are fine.
#![forbid(unsafe_code)]

mod address;
mod alert_target;
pub mod assertion;
pub mod budget;
pub mod cadence;
pub mod deploy;
pub mod deploy_check;
pub mod dns;
mod endpoint;
mod errors;
pub mod heartbeat;
pub mod limits;
mod maintenance;
mod probe_api;
mod raw;
mod read;
pub mod recurring;
mod secrets;
pub mod transport;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

pub use api::Maintenance;

use crate::assertion::Assertion;
use crate::raw::LineIndex;

pub use address::unreachable_ip;
pub use limits::{MAX_BODY_BYTES, MAX_TIMEOUT_MS};
pub use validate::SPAWNING_HINTS;

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
    /// Seconds between a region's rounds: a status older than three of them is stale.
    pub interval_seconds: u32,
    pub thresholds: Thresholds,
    pub endpoints: Vec<Endpoint>,
    pub alerts: Vec<AlertTarget>,
    pub maintenance: Vec<Maintenance>,
    /// `[[maintenance]]` with `every`: windows that come back each week.
    pub recurring: Vec<recurring::RecurringMaintenance>,
    /// `[deploy]`: where `cargo xtask deploy` sends the site and the probe.
    pub deploy: Option<deploy::Deploy>,
    /// Choices worth telling that are not mistakes (a raw IP probed over a TCP socket).
    pub notes: Vec<ConfigError>,
}

/// Where state changes are announced. Credentials (webhook URLs, keys) are Worker secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertTarget {
    /// Stable across edits of the list: queued messages name their target by it.
    pub id: String,
    pub kind: AlertKind,
    /// Where requests go.
    pub url: AlertUrl,
    /// The Worker secret holding the target's key: PagerDuty's routing key, Opsgenie's API
    /// key, an ntfy access token.
    pub key_secret: Option<String>,
    /// Telegram's chat: a numeric id or `@channel`.
    pub chat: Option<String>,
    /// ntfy's topic.
    pub topic: Option<String>,
    /// Endpoints this target hears about; empty means all.
    pub endpoints: Vec<String>,
    /// Undelivered messages older than this are dropped (with a log line).
    pub max_age_minutes: u32,
    /// While an endpoint stays in trouble (and is not flapping), it is said again this often.
    pub remind_minutes: Option<u32>,
    pub line: u32,
}

/// A target's address: a Worker secret when it carries a credential (Slack, Discord, Teams,
/// Telegram, webhooks), or the service's public address, written or by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertUrl {
    Secret(String),
    Public(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Slack,
    Discord,
    Webhook,
    Teams,
    Telegram,
    Pagerduty,
    Opsgenie,
    Ntfy,
}

impl AlertKind {
    pub const ALL: [AlertKind; 8] = [
        AlertKind::Slack,
        AlertKind::Discord,
        AlertKind::Webhook,
        AlertKind::Teams,
        AlertKind::Telegram,
        AlertKind::Pagerduty,
        AlertKind::Opsgenie,
        AlertKind::Ntfy,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AlertKind::Slack => "slack",
            AlertKind::Discord => "discord",
            AlertKind::Webhook => "webhook",
            AlertKind::Teams => "teams",
            AlertKind::Telegram => "telegram",
            AlertKind::Pagerduty => "pagerduty",
            AlertKind::Opsgenie => "opsgenie",
            AlertKind::Ntfy => "ntfy",
        }
    }

    /// The public address used when `url` is not written; `None` when the address is itself
    /// a credential and must be a secret.
    pub fn default_url(self) -> Option<&'static str> {
        match self {
            AlertKind::Pagerduty => Some("https://events.pagerduty.com/v2/enqueue"),
            AlertKind::Opsgenie => Some("https://api.opsgenie.com/v2/alerts"),
            AlertKind::Ntfy => Some("https://ntfy.sh/"),
            _ => None,
        }
    }
}

impl Config {
    /// The maintenance window covering `endpoint` at `at`, if any: a one-off window, or
    /// the occurrence of a recurring one.
    pub fn maintenance_of(&self, endpoint: &str, at: i64) -> Option<Maintenance> {
        let once = self.maintenance.iter().find(|m| m.covers(endpoint, at)).cloned();
        once.or_else(|| self.recurring.iter().filter_map(|r| r.occurrence_at(at)).find(|m| m.covers(endpoint, at)))
    }

    /// Every window to show at `now`: the one-off windows, and each recurring window's
    /// occurrence under way or next to come.
    pub fn maintenance_windows(&self, now: i64) -> Vec<Maintenance> {
        let mut windows = self.maintenance.clone();
        windows.extend(self.recurring.iter().filter_map(|r| r.current_or_next(now)));
        windows
    }
}

/// How an endpoint's state is decided: how many regions make "down", and how long a change
/// must hold (the detector in `probe::detect` reads these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Failing regions (of those reporting) that make "down"; fewer make "regional".
    pub quorum: usize,
    /// A region probes a healthy endpoint that just failed again after this long.
    pub recheck_seconds: u32,
    /// Failures must hold this long before a worse state is declared.
    pub confirm_seconds: u32,
    /// Health must hold this long before a better state is declared.
    pub recover_seconds: u32,
    /// Starts and ends of failing, in one region within the flap window, that make "flapping".
    pub flap_changes: u32,
    pub flap_window_seconds: u32,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            quorum: 2,
            recheck_seconds: 5,
            confirm_seconds: 20,
            recover_seconds: 60,
            flap_changes: 4,
            flap_window_seconds: 300,
        }
    }
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
    /// The `[variables]` its URL names, with their values (`FRONTEND_HOST = "aragora.live"`):
    /// a link from an alert fills them in the runbook's commands.
    pub hosts: BTreeMap<String, String>,
    pub follow_redirects: bool,
    pub transport: transport::Transport,
    pub line: u32,
}

impl Endpoint {
    /// Whether the regions probe it: a `[[heartbeat]]` reports in instead.
    pub fn is_probed(&self) -> bool {
        !matches!(self.transport, transport::Transport::Heartbeat { .. })
    }

    /// A heartbeat's expected period and grace (seconds), and the secret holding its token.
    pub fn heartbeat(&self) -> Option<(u32, u32, &str)> {
        match &self.transport {
            transport::Transport::Heartbeat { period_seconds, grace_seconds, token } => {
                Some((*period_seconds, *grace_seconds, token))
            }
            _ => None,
        }
    }
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
/// Each region's rounds, on its own alarms.
pub const DEFAULT_INTERVAL_SECONDS: u32 = 20;
pub const DEFAULT_SLOW_MS: u32 = 2_000;
/// A quarter of the default interval: hanging endpoints are known within a round, and the
/// free plan can afford a day of them (10 s could not: `cadence::fastest_sustainable`).
pub const DEFAULT_TIMEOUT_MS: u32 = 5_000;
pub const DEFAULT_MAX_BODY_BYTES: u32 = 64 * 1024;

/// Where the probe will run, which decides what it may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Platform {
    /// A local run (`wrangler dev`, the tests): loopback servers may be probed. On
    /// Cloudflare `connect()` refuses them, so a deployed config may not name them.
    pub local: bool,
}

/// Parses and checks `outpost.toml` for Cloudflare. Never fails and never panics: every
/// mistake is an error with its line, and only the part it is in is left out (one bad
/// endpoint, one bad section).
pub fn parse_config(text: &str) -> (Config, Vec<ConfigError>) {
    parse_config_for(text, Platform::default())
}

/// [`parse_config`] for a given platform.
pub fn parse_config_for(text: &str, platform: Platform) -> (Config, Vec<ConfigError>) {
    let lines = LineIndex::new(text);
    let (raw, mut errors) = read::read(text, &lines);
    let (config, more) = validate::validate(raw, &lines, platform);
    errors.extend(more);
    errors.sort_by_key(|e| e.line);
    (config, errors)
}
