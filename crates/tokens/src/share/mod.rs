//! Share links: the whole incident in a URL fragment, small enough to paste anywhere.
//!
//! Token `s2` + base64url of: a 16-bit checksum, then the start (unix s), flags, resolution
//! (s) and next update (min), each checked step by its full id with its time in minutes,
//! field keys as 16-bit hashes, events, and last all free text compressed together
//! (`text_coder`). Secrets are never in it: only detected host variables are carried. An
//! incident started from the probe's outage carries that outage too (`probe.rs`).
//!
//! Steps travel by full id because an id names a step's section and text: after the
//! runbook is edited, a check lands on the same step or, if that step changed, on none (it
//! is listed as orphaned). Format `s1` (a bitmap with 8-bit fingerprints) could land a check
//! on the wrong step; its links still open, and a check is placed only where the runbook
//! still has the same number of steps and the same fingerprint at the same place.

mod probe;
mod text_coder;

use std::collections::BTreeMap;

use runbook::incident::{Event, EventKind, Incident, Timestamp};
use runbook::steps::{Step, StepId};
use runbook::Runbook;

use crate::bytes::{base64url_encode, fnv1a, open_token, put_varint, zigzag, Reader};
use crate::error::DecodeError;

pub const PREFIX: &str = "s2";
const PREFIX_V1: &str = "s1";
const ESCAPE16: u16 = 0xFFFF;
const ESCAPE8: u8 = 0xFF;
const MAX_TEXT_TOTAL: usize = 64 * 1024;
/// Far above any link a person pastes, far below what would hurt a browser tab.
const MAX_LINK_LEN: usize = 256 * 1024;

/// A decoded share link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub incident: Incident,
    /// Checked steps the link names that this site's runbook no longer has.
    pub orphaned: usize,
    /// Whether this site has the runbook the link was made for.
    pub runbook_found: bool,
}

/// An incident whose text is more than a link can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge {
    /// Bytes of text in the incident.
    pub bytes: usize,
    pub limit: usize,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this incident holds {} KB of text, more than the {} KB a link can carry: shorten the longest fields to share it",
            self.bytes.div_ceil(1024),
            self.limit / 1024
        )
    }
}

/// The incident as a link token, or why it does not fit in one.
pub fn encode(incident: &Incident, runbook: Option<&Runbook>) -> Result<String, TooLarge> {
    let start_minute = minute(incident.started_at);
    let mut out = Vec::with_capacity(256);
    let mut texts: Vec<&str> = vec![&incident.id, &incident.runbook];
    put_varint(&mut out, zigzag(incident.started_at));
    let flags = u8::from(incident.resolved_at.is_some())
        | u8::from(incident.next_update_at.is_some()) << 1
        | u8::from(incident.severity.is_some()) << 2
        | if incident.probe.is_some() { probe::FLAG } else { 0 };
    out.push(flags);
    if let Some(resolved) = incident.resolved_at {
        put_varint(&mut out, zigzag(resolved.wrapping_sub(incident.started_at)));
    }
    if let Some(next) = incident.next_update_at {
        put_varint(&mut out, zigzag(minute(next).wrapping_sub(start_minute)));
    }
    if let Some(severity) = &incident.severity {
        texts.push(severity);
    }
    if let Some(outage) = &incident.probe {
        probe::put(&mut out, &mut texts, outage, incident.started_at);
    }

    // Steps: every checked one by its full id (see the module's note on why).
    put_varint(&mut out, incident.checks.len() as u64);
    for (id, at) in &incident.checks {
        out.extend_from_slice(&id.0.to_le_bytes());
        put_varint(&mut out, zigzag(minute(*at).wrapping_sub(start_minute)));
    }

    // Fields: key hashes here, values (and unknown keys) in the text.
    let field_keys = runbook.map(field_keys).unwrap_or_default();
    let keys: std::collections::BTreeSet<&String> = incident.fields.keys().chain(incident.field_times.keys()).collect();
    put_varint(&mut out, keys.len() as u64);
    let mut escaped_keys = Vec::new();
    for key in keys {
        let hash = hash16(key);
        if field_keys.iter().filter(|k| hash16(k) == hash).count() == 1 && field_keys.contains(key) {
            out.extend_from_slice(&hash.to_le_bytes());
        } else {
            out.extend_from_slice(&ESCAPE16.to_le_bytes());
            escaped_keys.push(key.as_str());
        }
        let at = incident.field_times.get(key).copied().unwrap_or(incident.started_at);
        put_varint(&mut out, zigzag(minute(at).wrapping_sub(start_minute)));
        texts.push(incident.fields.get(key).map_or("", String::as_str));
    }
    texts.extend(escaped_keys);

    // Variables: only those the runbook detects as hosts; never a secret.
    let variables: Vec<(&String, &String)> = incident
        .variables
        .iter()
        .filter(|(name, _)| runbook.is_none_or(|r| r.variables.iter().any(|v| &v.name == *name)))
        .collect();
    put_varint(&mut out, variables.len() as u64);
    for (name, value) in variables {
        texts.push(name);
        texts.push(value);
    }

    put_varint(&mut out, incident.events.len() as u64);
    for event in &incident.events {
        let delta = zigzag(minute(event.at).wrapping_sub(start_minute));
        match &event.kind {
            EventKind::SeverityChanged { to } => {
                out.push(0);
                put_varint(&mut out, delta);
                let index = runbook.and_then(|r| r.severities.levels.iter().position(|l| &l.key == to));
                match index.filter(|&i| i < usize::from(ESCAPE8)) {
                    Some(i) => out.push(i as u8),
                    None => {
                        out.push(ESCAPE8);
                        texts.push(to);
                    }
                }
            }
            EventKind::MessageCopied { template } => {
                out.push(1);
                put_varint(&mut out, delta);
                let titles: Vec<&str> =
                    runbook.map(|r| r.templates.iter().map(|t| t.title.as_str()).collect()).unwrap_or_default();
                let hash = hash16(template);
                if titles.iter().filter(|t| hash16(t) == hash).count() == 1 && titles.contains(&template.as_str()) {
                    out.extend_from_slice(&hash.to_le_bytes());
                } else {
                    out.extend_from_slice(&ESCAPE16.to_le_bytes());
                    texts.push(template);
                }
            }
            EventKind::Resolved => {
                out.push(2);
                put_varint(&mut out, delta);
            }
            EventKind::Reopened => {
                out.push(3);
                put_varint(&mut out, delta);
            }
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    if bytes > MAX_TEXT_TOTAL {
        return Err(TooLarge { bytes, limit: MAX_TEXT_TOTAL });
    }
    out.extend(text_coder::compress(&texts));
    let mut token = (fnv1a(&out) as u16).to_le_bytes().to_vec();
    token.extend(out);
    Ok(format!("{PREFIX}{}", base64url_encode(&token)))
}

/// Raw pieces read from the token before the runbook is known (its slug is in the text).
enum PendingKey {
    Hash(u16),
    Text,
}

enum PendingEvent {
    Severity(u8),
    Message(u16),
    Resolved,
    Reopened,
}

/// How a link's checked steps were written.
enum StepsFormat {
    /// `s2`: full ids.
    Ids,
    /// `s1`: a bitmap over the runbook's steps when the link was made, with fingerprints.
    Bitmap { step_count: usize, checked: Vec<usize>, fingerprints: Vec<u8>, times: Vec<Timestamp> },
}

pub fn decode<'r>(token: &str, find_runbook: &dyn Fn(&str) -> Option<&'r Runbook>) -> Result<Shared, DecodeError> {
    let version = if token.trim().starts_with(PREFIX_V1) { 1 } else { 2 };
    let bytes = open_token(token, if version == 1 { PREFIX_V1 } else { PREFIX }, MAX_LINK_LEN)?;
    if bytes.len() < 3 {
        return Err(DecodeError::Truncated);
    }
    if u16::from_le_bytes([bytes[0], bytes[1]]) != fnv1a(&bytes[2..]) as u16 {
        return Err(DecodeError::Damaged);
    }
    let mut reader = Reader::new(&bytes[2..]);
    let started_at = reader.signed()?;
    let start_minute = minute(started_at);
    let at_minute = |delta: i64| start_minute.wrapping_add(delta).wrapping_mul(60);
    let flags = reader.byte()?;
    let resolved_at = if flags & 1 != 0 { Some(started_at.wrapping_add(reader.signed()?)) } else { None };
    let next_update_at = if flags & 2 != 0 { Some(at_minute(reader.signed()?)) } else { None };
    let has_severity = flags & 4 != 0;
    let pending_probe = if flags & probe::FLAG != 0 { Some(probe::read(&mut reader, started_at)?) } else { None };

    let mut checks = BTreeMap::new();
    let steps_format = if version == 1 {
        let step_count = reader.count()? as usize;
        let bitmap = reader.take(step_count.div_ceil(8))?;
        let checked: Vec<usize> = (0..step_count).filter(|i| bitmap[i / 8] & 1 << (i % 8) != 0).collect();
        let fingerprints = reader.take(checked.len())?.to_vec();
        let mut times = Vec::with_capacity(checked.len());
        for _ in &checked {
            times.push(at_minute(reader.signed()?));
        }
        StepsFormat::Bitmap { step_count, checked, fingerprints, times }
    } else {
        StepsFormat::Ids
    };
    for _ in 0..reader.count()? {
        let id = StepId(reader.u32()?);
        checks.insert(id, at_minute(reader.signed()?));
    }
    let mut pending_fields = Vec::new();
    for _ in 0..reader.count()? {
        let key = match reader.u16()? {
            ESCAPE16 => PendingKey::Text,
            hash => PendingKey::Hash(hash),
        };
        pending_fields.push((key, at_minute(reader.signed()?)));
    }
    let variable_count = reader.count()? as usize;
    let mut pending_events = Vec::new();
    for _ in 0..reader.count()? {
        let kind = reader.byte()?;
        let at = at_minute(reader.signed()?);
        let event = match kind {
            0 => PendingEvent::Severity(reader.byte()?),
            1 => PendingEvent::Message(reader.u16()?),
            2 => PendingEvent::Resolved,
            3 => PendingEvent::Reopened,
            other => return Err(DecodeError::UnknownEvent(other)),
        };
        pending_events.push((event, at));
    }
    let escaped_keys = pending_fields.iter().filter(|(k, _)| matches!(k, PendingKey::Text)).count();
    let escaped_events = pending_events
        .iter()
        .filter(|(e, _)| matches!(e, PendingEvent::Severity(ESCAPE8) | PendingEvent::Message(ESCAPE16)))
        .count();
    let text_count = 2
        + usize::from(has_severity)
        + pending_probe.as_ref().map_or(0, probe::Pending::texts)
        + pending_fields.len()
        + escaped_keys
        + 2 * variable_count
        + escaped_events;
    let texts = text_coder::decompress(reader.rest(), text_count, MAX_TEXT_TOTAL).ok_or(DecodeError::Damaged)?;
    let mut texts = texts.into_iter();
    let mut next_text = || texts.next().ok_or(DecodeError::Damaged);

    let id = next_text()?;
    let slug = next_text()?;
    let runbook = find_runbook(&slug);
    let severity = if has_severity { Some(next_text()?) } else { None };
    let outage = match pending_probe {
        Some(pending) => Some(pending.finish(&mut next_text)?),
        None => None,
    };
    let values: Vec<String> = pending_fields.iter().map(|_| next_text()).collect::<Result<_, _>>()?;
    let field_keys = runbook.map(field_keys).unwrap_or_default();
    let (mut fields, mut field_times) = (BTreeMap::new(), BTreeMap::new());
    for ((key, at), value) in pending_fields.into_iter().zip(values) {
        let key = match key {
            PendingKey::Text => next_text()?,
            PendingKey::Hash(hash) => match field_keys.iter().find(|k| hash16(k) == hash) {
                Some(key) => key.clone(),
                // The runbook lost this field since the link was made: keep it by its hash.
                None => format!("#{hash:04x}"),
            },
        };
        field_times.insert(key.clone(), at);
        if !value.is_empty() {
            fields.insert(key, value);
        }
    }
    let mut variables = BTreeMap::new();
    for _ in 0..variable_count {
        let name = next_text()?;
        let value = next_text()?;
        let is_host = runbook.is_none_or(|r| r.variables.iter().any(|v| v.name == name));
        if is_host {
            variables.insert(name, value);
        }
    }
    let mut events = Vec::new();
    for (event, at) in pending_events {
        let kind = match event {
            PendingEvent::Severity(ESCAPE8) => EventKind::SeverityChanged { to: next_text()? },
            PendingEvent::Severity(index) => {
                let level = runbook.and_then(|r| r.severities.levels.get(usize::from(index)));
                EventKind::SeverityChanged {
                    to: level.map_or_else(|| format!("level {}", index + 1), |l| l.key.clone()),
                }
            }
            PendingEvent::Message(ESCAPE16) => EventKind::MessageCopied { template: next_text()? },
            PendingEvent::Message(hash) => {
                let title = runbook.and_then(|r| r.templates.iter().find(|t| hash16(&t.title) == hash));
                EventKind::MessageCopied {
                    template: title.map_or_else(|| "a message".to_string(), |t| t.title.clone()),
                }
            }
            PendingEvent::Resolved => EventKind::Resolved,
            PendingEvent::Reopened => EventKind::Reopened,
        };
        events.push(Event { at, kind });
    }

    let current_steps: &[Step] = runbook.map_or(&[], |r| &r.steps);
    if let StepsFormat::Bitmap { step_count, checked, fingerprints, times } = steps_format {
        for ((index, print), at) in checked.into_iter().zip(fingerprints).zip(times) {
            // Placed only where the runbook has the same steps count and the same fingerprint
            // at that place; else kept under a made-up id, so it is listed, never dropped.
            let same_place = (current_steps.len() == step_count)
                .then(|| current_steps.get(index))
                .flatten()
                .filter(|step| fingerprint(step.id) == print);
            let id =
                same_place.map_or(StepId(0x8000_0000 | (index as u32 & 0x7f_ffff) << 8 | u32::from(print)), |s| s.id);
            checks.insert(id, at);
        }
    }
    let orphaned = checks.keys().filter(|id| !current_steps.iter().any(|s| s.id == **id)).count();

    let incident = Incident {
        id,
        runbook: slug,
        started_at,
        resolved_at,
        severity,
        checks,
        fields,
        field_times,
        variables,
        events,
        next_update_at,
        probe: outage,
    };
    Ok(Shared { incident, orphaned, runbook_found: runbook.is_some() })
}

/// An `s1` link's 8-bit summary of a step id.
fn fingerprint(id: StepId) -> u8 {
    (id.0 ^ id.0 >> 8 ^ id.0 >> 16 ^ id.0 >> 24) as u8
}

fn hash16(text: &str) -> u16 {
    let hash = fnv1a(text.as_bytes());
    (hash ^ hash >> 16) as u16
}

fn minute(at: Timestamp) -> i64 {
    at.div_euclid(60)
}

/// Every template field key of a runbook, once each.
fn field_keys(runbook: &Runbook) -> Vec<String> {
    let mut keys: Vec<String> = runbook.templates.iter().flat_map(|t| t.fields().map(|f| f.key.clone())).collect();
    document::small_sort::sort_by_key(&mut keys, |k| k.clone());
    keys.dedup();
    keys
}

/// The token in a link's fragment (`#s2…`), as pasted by people and chat apps: surrounding
/// space, a leading `#`, and percent-encoding are undone.
pub fn token_from_fragment(fragment: &str) -> String {
    let fragment = fragment.trim().trim_start_matches('#').trim();
    document::links::percent_decode(fragment).trim().to_string()
}
