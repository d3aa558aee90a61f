//! What one probe found ([`Outcome`]) and what an endpoint is declared to be ([`State`]).

use serde::{Deserialize, Serialize};

/// The verdict on one probe from one region. In JSON, `{"kind": "http_status", "status": 503}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "FlatOutcome")]
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

/// [`Outcome`] as it is read: one flat object. Serde's own reading of a tagged enum buffers
/// every field first, which costs the site's WebAssembly about 14 KB for this one type.
#[derive(Deserialize)]
struct FlatOutcome {
    kind: String,
    status: Option<u16>,
    reason: Option<String>,
    location: Option<String>,
    message: Option<String>,
}

impl TryFrom<FlatOutcome> for Outcome {
    type Error = String;

    fn try_from(flat: FlatOutcome) -> Result<Outcome, String> {
        let missing = |field: &str| format!("outcome {:?} needs {field:?}", flat.kind);
        Ok(match flat.kind.as_str() {
            "ok" => Outcome::Ok,
            "slow" => Outcome::Slow,
            "http_status" => Outcome::HttpStatus { status: flat.status.ok_or_else(|| missing("status"))? },
            "timeout" => Outcome::Timeout,
            "dns" => Outcome::Dns,
            "connection_failed" => Outcome::ConnectionFailed,
            "tls" => Outcome::Tls,
            "assertion_failed" => Outcome::AssertionFailed { reason: flat.reason.ok_or_else(|| missing("reason"))? },
            "body_too_large" => Outcome::BodyTooLarge,
            "redirect" => Outcome::Redirect { location: flat.location },
            "error" => Outcome::Error { message: flat.message.ok_or_else(|| missing("message"))? },
            "unknown" => Outcome::Unknown { reason: flat.reason.ok_or_else(|| missing("reason"))? },
            other => return Err(format!("unknown outcome kind {other:?}")),
        })
    }
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
    /// No region could vouch for the endpoint just now (every recent probe was unable to run,
    /// or none has run yet): never shown or counted as up. Ordered between up and any trouble
    /// seen, so a page with one unknown endpoint is not "all operational". Never declared by
    /// the detector; only reported.
    Unknown,
    Degraded,
    Regional,
    Down,
}

impl State {
    pub fn label(self) -> &'static str {
        match self {
            State::Up => "up",
            State::Unknown => "no data",
            State::Degraded => "degraded",
            State::Regional => "regional outage",
            State::Down => "down",
        }
    }

    /// The CSS class every view colours the state by.
    pub fn class(self) -> &'static str {
        match self {
            State::Up => "up",
            State::Unknown => "unknown",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outage_kind_reads_back_as_it_was_written() {
        let all = [
            Outcome::Ok,
            Outcome::Slow,
            Outcome::HttpStatus { status: 503 },
            Outcome::Timeout,
            Outcome::Dns,
            Outcome::ConnectionFailed,
            Outcome::Tls,
            Outcome::AssertionFailed { reason: ".status != ok".into() },
            Outcome::BodyTooLarge,
            Outcome::Redirect { location: Some("/login".into()) },
            Outcome::Redirect { location: None },
            Outcome::Error { message: "internal error".into() },
            Outcome::Unknown { reason: "no secret".into() },
        ];
        for outcome in all {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), outcome, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&Outcome::HttpStatus { status: 503 }).unwrap(),
            r#"{"kind":"http_status","status":503}"#
        );
        let bad = serde_json::from_str::<Outcome>(r#"{"kind":"http_status"}"#).unwrap_err().to_string();
        assert!(bad.contains("needs \"status\""), "{bad}");
        assert!(serde_json::from_str::<Outcome>(r#"{"kind":"meteor"}"#).is_err());
    }
}
