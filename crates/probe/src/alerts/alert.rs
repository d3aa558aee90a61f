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
    /// When the trouble this message belongs to began (Unix seconds): the same for every
    /// message from the first failure to the recovery, so paging tools group them
    /// (`dedup_key`, `alias`). Set by the outbox when the message is queued.
    #[serde(default)]
    pub episode: Option<i64>,
    /// Trouble said again because it lasts (`remind_minutes`), not a change.
    #[serde(default)]
    pub reminder: bool,
}

impl Alert {
    /// Whether this message ends its episode: recovered, or no longer probed.
    pub fn ends_trouble(&self) -> bool {
        matches!(self.to, State::Up | State::Unknown)
    }

    /// One key per endpoint and episode, for the tools that group messages by key: ours
    /// alone (an endpoint name is ASCII letters, digits, `-`, `_`, `.`), never a server's.
    pub fn episode_key(&self) -> String {
        match self.episode {
            Some(start) => format!("outpost-{}-{start}", self.endpoint),
            None => format!("outpost-{}", self.endpoint),
        }
    }

    pub fn headline(&self) -> String {
        if self.reminder {
            let now = match self.to {
                State::Regional => format!("failing in {}", self.regions.join(", ")),
                State::Degraded => "slow".to_string(),
                state => state.label().to_string(),
            };
            // `from` is the worst state announced: better since is said as such.
            return if self.from == self.to {
                format!("Reminder: {} is still {now}", self.endpoint)
            } else {
                format!("Reminder: {} is still in trouble, now {now} (announced: {})", self.endpoint, self.from.label())
            };
        }
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

/// One line for a message carrying `alerts`: the headline, or how many changes and theirs.
pub fn summary(alerts: &[&Alert]) -> String {
    match alerts {
        [one] => one.headline(),
        _ => {
            format!("{} changes: {}", alerts.len(), alerts.iter().map(|a| a.headline()).collect::<Vec<_>>().join("; "))
        }
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

/// At most `max` bytes of UTF-8 (ntfy counts bytes), cut on a character boundary.
pub fn cap_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// At most `max` UTF-16 code units (Telegram counts them: an emoji is two).
pub fn cap_utf16(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in text.chars() {
        if units + c.len_utf16() > max.saturating_sub(1) {
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}
