//! A `dns://` check's outcome from the DNS-over-HTTPS resolver's JSON answer
//! (`{"Status": 0, "Answer": [{"type": 1, "data": "203.0.113.7"}]}`). The team's records
//! failing (no such name, their servers failing, no record, not the expected value) is a
//! failure; the resolver itself not answering says nothing about the records: unknown.

use api::Outcome;
use config::dns::RECORD_TYPES;
use serde::Deserialize;

use crate::classify::{bounded, FetchFailure, Observation};

#[derive(Deserialize)]
struct DohAnswer {
    #[serde(rename = "Status")]
    status: u32,
    #[serde(rename = "Answer", default)]
    answer: Vec<DohRecord>,
}

#[derive(Deserialize)]
struct DohRecord {
    #[serde(rename = "type")]
    record_type: u16,
    data: String,
}

/// The outcome of asking for `name`'s `record_type` records, each of `expect` among them.
pub fn judge(name: &str, record_type: &str, expect: &[String], observation: &Observation) -> Outcome {
    let unknown = |reason: String| Outcome::Unknown { reason };
    let response = match &observation.result {
        Ok(response) => response,
        Err(FetchFailure::TimedOut) => return unknown("the DNS resolver did not answer in time".into()),
        Err(FetchFailure::Error(message)) => {
            return bounded(unknown(format!("the DNS resolver could not be reached: {message}")))
        }
    };
    if response.status != 200 {
        return unknown(format!("the DNS resolver answered HTTP {}", response.status));
    }
    let Ok(answer) = serde_json::from_slice::<DohAnswer>(&response.body) else {
        return unknown("the DNS resolver's answer is not DNS JSON".into());
    };
    let failed = |reason: String| bounded(Outcome::AssertionFailed { reason });
    match answer.status {
        0 => {}
        3 => return failed(format!("{name} does not exist (NXDOMAIN)")),
        2 => return failed(format!("{name}'s name servers failed to answer (SERVFAIL)")),
        5 => return failed(format!("{name}'s name servers refused to answer (REFUSED)")),
        code => return failed(format!("DNS answered status {code} for {name}")),
    }
    let number = RECORD_TYPES.iter().find(|(t, _)| *t == record_type).map_or(0, |(_, n)| *n);
    let found: Vec<String> =
        answer.answer.iter().filter(|r| r.record_type == number).map(|r| normalize(&r.data, record_type)).collect();
    if found.is_empty() {
        return failed(format!("{name} has no {record_type} record"));
    }
    let missing: Vec<&String> = expect.iter().filter(|e| !found.contains(&normalize(e, record_type))).collect();
    if !missing.is_empty() {
        let expected: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        return failed(format!("{name} {record_type} is {}; expected {}", found.join(", "), expected.join(", ")));
    }
    Outcome::Ok
}

/// A record's value as compared: an address in its canonical form; a TXT value without the
/// quotes around its strings (long ones come split, `"v=spf1 …" "… -all"`), as written; any
/// other without a trailing dot, in lower case (names compare without case).
fn normalize(data: &str, record_type: &str) -> String {
    let trimmed = data.trim();
    // Addresses compare as addresses: 2001:0db8::1 is 2001:db8::1.
    if let (true, Ok(ip)) = (matches!(record_type, "A" | "AAAA"), trimmed.parse::<std::net::IpAddr>()) {
        return ip.to_string();
    }
    if record_type == "TXT" {
        let inner = trimmed.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(trimmed);
        return inner.replace("\" \"", "");
    }
    trimmed.trim_end_matches('.').to_ascii_lowercase()
}
