//! What one probe found ([`Outcome`]) and what an endpoint is declared to be ([`State`]).

use serde::{Deserialize, Serialize};

/// The verdict on one probe from one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// Healthy, but slower than the endpoint's `slow_ms`.
    Slow,
    HttpStatus {
        status: u16,
    },
    Timeout,
    Dns,
    /// Refused or reset: the runtime reports both as one ("Network connection lost").
    ConnectionFailed,
    Tls,
    AssertionFailed {
        reason: String,
    },
    BodyTooLarge,
    Redirect {
        location: Option<String>,
    },
    /// A failure the runtime reported in words we do not recognise.
    Error {
        message: String,
    },
    /// The probe itself could not run (out of subrequests, a runtime error, a missing
    /// secret): nothing is known about the endpoint, so this is neither healthy nor failing.
    Unknown {
        reason: String,
    },
}

impl Outcome {
    /// Up (possibly slow) rather than failing.
    pub fn is_healthy(&self) -> bool {
        matches!(self, Outcome::Ok | Outcome::Slow)
    }

    /// The endpoint failed this probe (a probe that could not run is not a failure).
    pub fn is_failure(&self) -> bool {
        !self.is_healthy() && !matches!(self, Outcome::Unknown { .. })
    }

    /// Whether the probe learned anything about the endpoint.
    pub fn is_known(&self) -> bool {
        !matches!(self, Outcome::Unknown { .. })
    }

    /// A short phrase for the status page and alerts.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Ok => "ok".into(),
            Outcome::Slow => "slow".into(),
            Outcome::HttpStatus { status } => format!("HTTP {status}"),
            Outcome::Timeout => "timed out".into(),
            Outcome::Dns => "DNS lookup failed".into(),
            Outcome::ConnectionFailed => "connection refused or reset".into(),
            Outcome::Tls => "TLS handshake failed".into(),
            Outcome::AssertionFailed { reason } => format!("check failed: {reason}"),
            Outcome::BodyTooLarge => "response body too large".into(),
            Outcome::Redirect { location: Some(to) } => format!("redirected to {to}"),
            Outcome::Redirect { location: None } => "redirected".into(),
            Outcome::Error { message } => message.clone(),
            Outcome::Unknown { reason } => format!("not probed: {reason}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Up,
    Degraded,
    Regional,
    Down,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Up => "up",
            State::Degraded => "degraded",
            State::Regional => "regional outage",
            State::Down => "down",
        }
    }

    /// The CSS class every view colours the state by.
    pub fn class(self) -> &'static str {
        match self {
            State::Up => "up",
            State::Degraded => "degraded",
            State::Regional => "regional",
            State::Down => "down",
        }
    }

    /// An outage (some region cannot use the endpoint), not merely slowness.
    pub fn is_outage(self) -> bool {
        matches!(self, State::Regional | State::Down)
    }
}
