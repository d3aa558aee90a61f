//! One message about one endpoint, in words every format shares.

use api::State;
use serde::{Deserialize, Serialize};

/// The most characters of a cause a message carries.
pub const MAX_CAUSE_CHARS: usize = 300;

/// What one message says about one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub endpoint: String,
    pub from: State,
    pub to: State,
    /// Changing between healthy and failing again and again; `to` is the worst seen.
    #[serde(default)]
    pub flapping: bool,
    /// When the new state was first observed.
    pub since: i64,
    pub regions: Vec<String>,
    /// What the probe saw, as the server said it: hostile text, escaped when rendered.
    pub cause: String,
    pub status_page: Option<String>,
    pub runbook: Option<String>,
}

impl Alert {
    pub fn headline(&self) -> String {
        let news = match self.to {
            State::Up => return format!("{} recovered (was {})", self.endpoint, self.from.label()),
            _ if self.flapping => format!("{} is flapping: failing at times", self.endpoint),
            State::Unknown => format!("{} is no longer probed", self.endpoint),
            State::Degraded => format!("{} is slow", self.endpoint),
            State::Regional => format!("{} is failing in {}", self.endpoint, self.regions.join(", ")),
            State::Down => format!("{} is down", self.endpoint),
        };
        // Trouble that got worse says what it was, so the message reads alone.
        if self.from == State::Up {
            news
        } else {
            format!("{news} (was {})", self.from.label())
        }
    }

    /// The lines under the headline. Only the cause comes from a probed server; `cause`
    /// escapes it for the platform, after it is capped.
    pub fn details(&self, cause: impl Fn(&str) -> String) -> Vec<String> {
        let mut lines = vec![format!("State: {} since {} UTC", self.to.label(), crate::page::clock(self.since))];
        if self.to != State::Up {
            if !self.regions.is_empty() {
                lines.push(format!("Failing in: {}", self.regions.join(", ")));
            }
            lines.push(format!("Cause: {}", cause(&cap(&self.cause, MAX_CAUSE_CHARS))));
        }
        if let Some(runbook) = &self.runbook {
            lines.push(format!("Runbook: {runbook}"));
        }
        if let Some(page) = &self.status_page {
            lines.push(format!("Status: {page}"));
        }
        lines
    }
}

/// At most `max` characters, with `…` where it was cut.
pub fn cap(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
