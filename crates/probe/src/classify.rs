//! One probe's result, classified: what the worker saw, turned into what it means.

use api::Outcome;
use config::Endpoint;

use crate::assertion::{check, Body};

/// What the worker observed, before any judgement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub elapsed_ms: u32,
    pub result: Result<Response, FetchFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub location: Option<String>,
    /// At most the endpoint's `max_body_bytes`.
    pub body: Vec<u8>,
    /// More body followed than was read.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchFailure {
    /// The worker gave up after the endpoint's timeout.
    TimedOut,
    /// fetch() threw: the runtime's message, classified by [`classify_error`].
    Error(String),
}

/// The longest text from outside (a check's reason quoting the body, a `Location`, the
/// runtime's error) an outcome keeps, in characters: it is saved, shown and sent in alerts.
pub const MAX_OUTSIDE_CHARS: usize = 200;

/// What one probe's observation means, with any text from outside capped.
pub fn classify(endpoint: &Endpoint, observation: &Observation) -> Outcome {
    bounded(judge(endpoint, observation))
}

/// `outcome` with its text from outside at most [`MAX_OUTSIDE_CHARS`], cut on a character,
/// without controls or the invisible and direction-changing characters that would make it
/// read otherwise on the page, in alerts and in a post-mortem.
pub fn bounded(outcome: Outcome) -> Outcome {
    let cap = |text: String| {
        let visible: String = text.chars().filter(|c| !api::outage::is_hidden(*c)).collect();
        match visible.char_indices().nth(MAX_OUTSIDE_CHARS) {
            Some((cut, _)) => format!("{}…", &visible[..cut]),
            None => visible,
        }
    };
    match outcome {
        Outcome::AssertionFailed { reason } => Outcome::AssertionFailed { reason: cap(reason) },
        Outcome::Redirect { location } => Outcome::Redirect { location: location.map(cap) },
        Outcome::Error { message } => Outcome::Error { message: cap(message) },
        Outcome::Unknown { reason } => Outcome::Unknown { reason: cap(reason) },
        other => other,
    }
}

fn judge(endpoint: &Endpoint, observation: &Observation) -> Outcome {
    let response = match &observation.result {
        Err(FetchFailure::TimedOut) => return Outcome::Timeout,
        Err(FetchFailure::Error(message)) => return classify_error(message),
        Ok(response) => response,
    };
    let expected = endpoint.expect_status.iter().any(|range| range.contains(&response.status));
    if (300..400).contains(&response.status) && !expected && !endpoint.follow_redirects {
        return Outcome::Redirect { location: response.location.clone() };
    }
    if !expected {
        return cloudflare_origin_error(response).unwrap_or(Outcome::HttpStatus { status: response.status });
    }
    if response.truncated {
        return Outcome::BodyTooLarge;
    }
    let text = String::from_utf8_lossy(&response.body);
    let mut body = Body::new(&text);
    for assertion in &endpoint.assertions {
        if let Err(reason) = check(assertion, &mut body) {
            return Outcome::AssertionFailed { reason };
        }
    }
    if observation.elapsed_ms > endpoint.slow_ms {
        Outcome::Slow
    } else {
        Outcome::Ok
    }
}

/// Workers report network failures as exceptions with a message; these are the words each
/// kind of failure uses.
pub fn classify_error(message: &str) -> Outcome {
    let lower = message.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    // The platform refusing the probe itself says nothing about the endpoint.
    if has(&["too many subrequests", "subrequest limit", "internal error", "exceeded", "script will never generate"]) {
        return Outcome::Unknown { reason: message.chars().take(200).collect() };
    }
    if has(&["dns", "name not resolved", "resolve host", "lookup", "no such host", "name or service not known"]) {
        Outcome::Dns
    } else if has(&["tls", "ssl", "certificate", "handshake"]) {
        Outcome::Tls
    } else if has(&["refused", "reset", "connection lost", "disconnected", "broken pipe", "closed", "cannot connect"]) {
        Outcome::ConnectionFailed
    } else if has(&["timed out", "timeout", "aborted"]) {
        Outcome::Timeout
    } else if has(&["redirect"]) {
        Outcome::Redirect { location: None }
    } else {
        Outcome::Error { message: message.chars().take(200).collect() }
    }
}

/// On Cloudflare, a fetch to an origin that cannot be reached does not throw: the edge
/// answers with one of its own 52x statuses, and for DNS failures error code 1016.
fn cloudflare_origin_error(response: &Response) -> Option<Outcome> {
    let body = String::from_utf8_lossy(&response.body);
    match response.status {
        530 if body.contains("1016") => Some(Outcome::Dns),
        521 | 523 => Some(Outcome::ConnectionFailed),
        522 | 524 => Some(Outcome::Timeout),
        525 | 526 => Some(Outcome::Tls),
        _ => None,
    }
}
