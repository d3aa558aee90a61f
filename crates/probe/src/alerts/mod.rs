//! Alerts without storms: one message per declared change of state per target, kept in a
//! persisted outbox until delivered, retried with backoff, in order, and never sent again
//! once delivered (receivers can drop repeats by id: delivery is at least once). Changes
//! that come together go out together, one message per target. During maintenance they
//! wait; when the window ends, what still holds is sent.

mod outbox;
pub mod redact;
mod render;
mod retry_after;

pub use outbox::{backoff_seconds, Batch, Failure, Outbox, Pending, SendResult, MAX_PENDING};
pub use render::{payload, MAX_CAUSE_CHARS};
pub use retry_after::{retry_after_seconds, send_result};

use api::State;
use serde::{Deserialize, Serialize};

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
            lines.push(format!("Cause: {}", cause(&render::cap(&self.cause, MAX_CAUSE_CHARS))));
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
