//! Status updates the team posts (`POST /api/updates`, from the cockpit or `curl`), and the
//! incidents they make on the status page, the feed and the Statuspage JSON. Plain text: every
//! view escapes it.

use serde::{Deserialize, Serialize};

/// Where an update stands, in Statuspage's own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UpdateStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
}

impl UpdateStatus {
    pub const ALL: [UpdateStatus; 4] =
        [UpdateStatus::Investigating, UpdateStatus::Identified, UpdateStatus::Monitoring, UpdateStatus::Resolved];

    /// `investigating`, as the JSON says it.
    pub fn key(self) -> &'static str {
        match self {
            UpdateStatus::Investigating => "investigating",
            UpdateStatus::Identified => "identified",
            UpdateStatus::Monitoring => "monitoring",
            UpdateStatus::Resolved => "resolved",
        }
    }

    /// `Investigating`, as people read it.
    pub fn label(self) -> &'static str {
        match self {
            UpdateStatus::Investigating => "Investigating",
            UpdateStatus::Identified => "Identified",
            UpdateStatus::Monitoring => "Monitoring",
            UpdateStatus::Resolved => "Resolved",
        }
    }

    /// The status a word names, in any case: `RESOLVED`, `Investigating`, `fixed`.
    pub fn from_word(word: &str) -> Option<UpdateStatus> {
        let word = word.trim().to_lowercase();
        match word.as_str() {
            "investigating" | "investigation" | "open" | "ongoing" => Some(UpdateStatus::Investigating),
            "identified" | "mitigating" | "mitigation" => Some(UpdateStatus::Identified),
            "monitoring" | "watching" => Some(UpdateStatus::Monitoring),
            "resolved" | "fixed" | "closed" | "recovered" => Some(UpdateStatus::Resolved),
            _ => None,
        }
    }
}

/// The body of `POST /api/updates`: one update to the incident `incident` names. The first
/// update of a name opens it; later ones append; `resolved` closes it (a later update opens
/// it again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdatePost {
    /// The incident's own name: the cockpit sends its incident id; `curl` users pick one
    /// (`2026-12-04-api`). Letters, digits, `.`, `_` and `-`.
    pub incident: String,
    /// What the incident is called on the status page; kept from the last update that had
    /// one.
    #[serde(default)]
    pub title: String,
    pub status: UpdateStatus,
    /// The runbook's severity level (`SEV1`), if one was chosen.
    #[serde(default)]
    pub severity: Option<String>,
    /// The endpoints it affects (names from `outpost.toml`).
    #[serde(default)]
    pub endpoints: Vec<String>,
    /// The message, as readers will see it.
    pub text: String,
}

impl UpdatePost {
    /// Where the worker passes it to the monitor.
    pub const PATH: &'static str = "/updates";
}

/// One update, as posted and dated by the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedUpdate {
    /// 1, 2, 3… within its incident.
    pub number: u32,
    /// Unix seconds, by the worker's clock.
    pub at: i64,
    pub status: UpdateStatus,
    pub text: String,
}

/// An incident the team posted updates for, with all of them, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostedIncident {
    pub key: String,
    pub title: String,
    /// The latest update's status.
    pub status: UpdateStatus,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub endpoints: Vec<String>,
    pub started_at: i64,
    pub updated_at: i64,
    #[serde(default)]
    pub resolved_at: Option<i64>,
    pub updates: Vec<PostedUpdate>,
}

impl PostedIncident {
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }

    pub fn latest(&self) -> Option<&PostedUpdate> {
        self.updates.last()
    }
}
