//! Every answer the worker and its objects refuse or cannot give, with its HTTP status, in
//! one place. The body is JSON, `{"error": "..."}`, so scripts read all of them one way.

use serde_json::json;
use worker::Response;

/// Why a request gets no answer it asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No such route; the body lists the routes there are.
    NoRoute { routes: &'static [&'static str] },
    /// A history asked for an endpoint the config does not have.
    NoSuchEndpoint,
    /// A method the route does not take.
    MethodNotAllowed,
    /// A route that needs `PROBE_TOKEN`, which is not set.
    RouteOff,
    /// `POST /api/updates` without `UPDATES_TOKEN` set.
    UpdatesOff,
    /// A route whose token secret (named) is not set.
    SecretNotSet(String),
    /// A beat for a name no `[[heartbeat]]` has.
    NoSuchHeartbeat,
    /// A route that needs the bearer token, without it.
    Unauthorized,
    /// A report the monitor cannot take (dated ahead of its clock, or refused by the state).
    ReportRefused(String),
    /// A status update that cannot be taken: what to fix.
    BadUpdate(String),
    /// A body over the route's bound (bytes).
    TooLarge(usize),
    /// Something failed on the way; try again shortly.
    Unavailable(&'static str),
    /// Local runs only: the platform's request limit, as if it were reached.
    LimitReachedForTest,
    /// Local runs only: a region made to fail on purpose.
    TestFault(String),
}

impl Refusal {
    pub fn status(&self) -> u16 {
        match self {
            Refusal::NoRoute { .. } | Refusal::NoSuchEndpoint => 404,
            Refusal::MethodNotAllowed => 405,
            Refusal::RouteOff | Refusal::UpdatesOff | Refusal::SecretNotSet(_) => 403,
            Refusal::NoSuchHeartbeat => 404,
            Refusal::BadUpdate(_) => 400,
            Refusal::TooLarge(_) => 413,
            Refusal::Unauthorized => 401,
            Refusal::ReportRefused(_) => 409,
            Refusal::Unavailable(_) | Refusal::LimitReachedForTest | Refusal::TestFault(_) => 503,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::NoRoute { .. } => "not found".into(),
            Refusal::NoSuchEndpoint => "no such endpoint".into(),
            Refusal::MethodNotAllowed => {
                "method not allowed: the API is read-only but for POST /api/probe, /api/updates and /api/heartbeat/{name}".into()
            }
            Refusal::RouteOff => "this route is off: set the PROBE_TOKEN secret to enable it".into(),
            Refusal::UpdatesOff => "status updates are off: set the UPDATES_TOKEN secret to enable them".into(),
            Refusal::SecretNotSet(secret) => format!("this heartbeat is off: set the {secret} secret to enable it"),
            Refusal::NoSuchHeartbeat => "no heartbeat has this name in outpost.toml".into(),
            Refusal::BadUpdate(why) => format!("update refused: {why}"),
            Refusal::TooLarge(bytes) => format!("the body is larger than this route reads ({bytes} bytes)"),
            Refusal::Unauthorized => "a valid bearer token is required".into(),
            Refusal::ReportRefused(why) => why.clone(),
            Refusal::Unavailable(why) => (*why).into(),
            Refusal::LimitReachedForTest => "Exceeded allowed requests (a test of a reached limit)".into(),
            Refusal::TestFault(fault) => format!("test fault: {fault} region"),
        }
    }

    /// The JSON answer, with its status.
    pub fn response(&self) -> Response {
        let body = match self {
            Refusal::NoRoute { routes } => json!({ "error": self.message(), "routes": routes }),
            _ => json!({ "error": self.message() }),
        };
        let status = self.status();
        Response::from_json(&body)
            .map(|r| r.with_status(status))
            .unwrap_or_else(|_| Response::empty().expect("an empty response").with_status(status))
    }
}

/// Failures on the way to an answer: the probe's own words, for the log.
pub const PROBE_UNAVAILABLE: &str = "the probe could not answer this request; try again shortly";
/// The pictures need the history, which could not be read.
pub const HISTORY_UNAVAILABLE: &str = "the history could not be read just now; try again shortly";
