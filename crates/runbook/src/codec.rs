//! The incident as one compact, versioned text token: what the browser saves, and what a
//! share link will carry. Decoding never panics and says what is wrong with a bad token.
//!
//! Token: `o1` + base64url (no padding) of a byte string:
//! id, runbook, start (unix s), resolved (+1 delta), severity, next update (+1 delta),
//! checks (u32 step id, time delta), fields, variables, events. Text is length-prefixed
//! UTF-8; integers are LEB128 varints, signed ones zigzag-encoded; times are deltas from
//! the start so they stay small.

use std::collections::BTreeMap;
use std::fmt;

use crate::incident::{Event, EventKind, Incident, Timestamp};
use crate::steps::StepId;

const PREFIX: &str = "o1";
/// Far above any real incident, far below what would hurt a browser tab.
const MAX_TOKEN_LEN: usize = 256 * 1024;
const MAX_TEXT: usize = 64 * 1024;
const MAX_ITEMS: u64 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    /// A token from a newer Outpost, or not an Outpost token at all.
    UnknownVersion(String),
    TooLong,
    NotBase64,
    /// The token was cut short (a truncated link).
    Truncated,
    /// Text in the token is not valid UTF-8.
    BadText,
    /// A count or length beyond what any real incident has.
    Implausible,
    TrailingData,
    UnknownEvent(u8),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the incident data is empty"),
            DecodeError::UnknownVersion(prefix) => write!(
                f,
                "the incident data has format \"{prefix}\", which this version of Outpost does not know (it may come from a newer version)"
            ),
            DecodeError::TooLong => write!(f, "the incident data is too long to be real"),
            DecodeError::NotBase64 => write!(f, "the incident data contains characters a link never has"),
            DecodeError::Truncated => write!(f, "the incident data is cut short (was the link copied whole?)"),
            DecodeError::BadText => write!(f, "the incident data holds text that is not valid"),
            DecodeError::Implausible => write!(f, "the incident data holds sizes no real incident has"),
            DecodeError::TrailingData => write!(f, "the incident data has extra bytes at its end"),
            DecodeError::UnknownEvent(kind) => write!(f, "the incident data holds an event of unknown kind {kind}"),
        }
    }
}

impl std::error::Error for DecodeError {}

pub fn encode(incident: &Incident) -> String {
    let mut out = Vec::with_capacity(256);
    put_text(&mut out, &incident.id);
    put_text(&mut out, &incident.runbook);
    put_varint(&mut out, zigzag(incident.started_at));
    put_optional_delta(&mut out, incident.resolved_at, incident.started_at);
    put_text(&mut out, incident.severity.as_deref().unwrap_or(""));
    put_optional_delta(&mut out, incident.next_update_at, incident.started_at);
    put_varint(&mut out, incident.checks.len() as u64);
    for (step, at) in &incident.checks {
        out.extend_from_slice(&step.0.to_le_bytes());
        put_varint(&mut out, zigzag(at.wrapping_sub(incident.started_at)));
    }
    put_map(&mut out, &incident.fields);
    put_map(&mut out, &incident.variables);
    put_varint(&mut out, incident.events.len() as u64);
    for event in &incident.events {
        let (kind, text) = match &event.kind {
            EventKind::SeverityChanged { to } => (0u8, Some(to.as_str())),
            EventKind::MessageCopied { template } => (1, Some(template.as_str())),
            EventKind::Resolved => (2, None),
            EventKind::Reopened => (3, None),
        };
        out.push(kind);
        put_varint(&mut out, zigzag(event.at.wrapping_sub(incident.started_at)));
        if let Some(text) = text {
            put_text(&mut out, text);
        }
    }
    format!("{PREFIX}{}", base64url_encode(&out))
}

pub fn decode(token: &str) -> Result<Incident, DecodeError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(DecodeError::TooLong);
    }
    let Some(body) = token.strip_prefix(PREFIX) else {
        let prefix: String = token.chars().take(2).collect();
        return Err(DecodeError::UnknownVersion(prefix));
    };
    let bytes = base64url_decode(body).ok_or(DecodeError::NotBase64)?;
    let mut reader = Reader {
        bytes: &bytes,
        at: 0,
    };
    let id = reader.text()?;
    let runbook = reader.text()?;
    let started_at = unzigzag(reader.varint()?);
    let resolved_at = reader.optional_delta(started_at)?;
    let severity = Some(reader.text()?).filter(|s| !s.is_empty());
    let next_update_at = reader.optional_delta(started_at)?;
    let mut checks = BTreeMap::new();
    for _ in 0..reader.count()? {
        let id = u32::from_le_bytes(
            reader
                .take(4)?
                .try_into()
                .map_err(|_| DecodeError::Truncated)?,
        );
        checks.insert(
            StepId(id),
            started_at.wrapping_add(unzigzag(reader.varint()?)),
        );
    }
    let fields = reader.map()?;
    let variables = reader.map()?;
    let mut events = Vec::new();
    for _ in 0..reader.count()? {
        let kind = reader.take(1)?[0];
        let at = started_at.wrapping_add(unzigzag(reader.varint()?));
        let kind = match kind {
            0 => EventKind::SeverityChanged { to: reader.text()? },
            1 => EventKind::MessageCopied {
                template: reader.text()?,
            },
            2 => EventKind::Resolved,
            3 => EventKind::Reopened,
            other => return Err(DecodeError::UnknownEvent(other)),
        };
        events.push(Event { at, kind });
    }
    if reader.at != bytes.len() {
        return Err(DecodeError::TrailingData);
    }
    Ok(Incident {
        id,
        runbook,
        started_at,
        resolved_at,
        severity,
        checks,
        fields,
        variables,
        events,
        next_update_at,
    })
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], DecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(DecodeError::Truncated)?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::Implausible)
    }

    fn count(&mut self) -> Result<u64, DecodeError> {
        let count = self.varint()?;
        if count > MAX_ITEMS {
            return Err(DecodeError::Implausible);
        }
        Ok(count)
    }

    fn text(&mut self) -> Result<String, DecodeError> {
        let len = self.varint()?;
        if len > MAX_TEXT as u64 {
            return Err(DecodeError::Implausible);
        }
        let bytes = self.take(len as usize)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| DecodeError::BadText)
    }

    fn map(&mut self) -> Result<BTreeMap<String, String>, DecodeError> {
        let mut map = BTreeMap::new();
        for _ in 0..self.count()? {
            let key = self.text()?;
            map.insert(key, self.text()?);
        }
        Ok(map)
    }

    fn optional_delta(&mut self, base: Timestamp) -> Result<Option<Timestamp>, DecodeError> {
        Ok(match self.varint()? {
            0 => None,
            n => Some(base.wrapping_add(unzigzag(n - 1))),
        })
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

fn put_map(out: &mut Vec<u8>, map: &BTreeMap<String, String>) {
    put_varint(out, map.len() as u64);
    for (key, value) in map {
        put_text(out, key);
        put_text(out, value);
    }
}

fn put_optional_delta(out: &mut Vec<u8>, at: Option<Timestamp>, base: Timestamp) {
    put_varint(
        out,
        at.map_or(0, |at| zigzag(at.wrapping_sub(base)).wrapping_add(1)),
    );
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        buffer = buffer << 6 | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be padding zeros, and a lone 6-bit group cannot end a token.
    (bits < 6 && buffer == 0).then_some(out)
}
