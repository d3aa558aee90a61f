//! Reading a share link, one reader per section in the order `encode` writes them. The
//! numbers come first and the runbook is known only once the text is read (its slug is in
//! the text), so each section is read as a pending value and finished against the runbook.

use std::collections::BTreeMap;

use runbook::incident::{Event, EventKind, Incident, Timestamp};
use runbook::steps::{Step, StepId};
use runbook::Runbook;

use super::flags::Flags;
use super::format::{field_keys, hash16, minute};
use super::format::{ESCAPE16, ESCAPE8, MAX_LINK_LEN, MAX_TEXT_TOTAL, PREFIX, PREFIX_V1, PREFIX_V3};
use super::{probe, text_coder};
use crate::authors::PendingAuthors;
use crate::bytes::{fnv1a, open_token, Reader};
use crate::error::DecodeError;

/// A decoded share link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub incident: Incident,
    /// Checked steps the link names that this site's runbook no longer has.
    pub orphaned: usize,
    /// Whether this site has the runbook the link was made for.
    pub runbook_found: bool,
}

pub fn decode<'r>(token: &str, find_runbook: &dyn Fn(&str) -> Option<&'r Runbook>) -> Result<Shared, DecodeError> {
    let is_v1 = token.trim().starts_with(PREFIX_V1);
    let is_v3 = token.trim().starts_with(PREFIX_V3);
    let prefix = if is_v1 {
        PREFIX_V1
    } else if is_v3 {
        PREFIX_V3
    } else {
        PREFIX
    };
    let bytes = open_token(token, prefix, MAX_LINK_LEN)?;
    if bytes.len() < 3 {
        return Err(DecodeError::Truncated);
    }
    if u16::from_le_bytes([bytes[0], bytes[1]]) != fnv1a(&bytes[2..]) as u16 {
        return Err(DecodeError::Damaged);
    }
    let mut reader = Reader::new(&bytes[2..]);
    let mut header = Header::read(&mut reader)?;
    // Only `s3` carries names; in older links the bit was unknown, and ignored.
    header.flags.authors &= is_v3;
    let bitmap = if is_v1 { Some(BitmapSteps::read(&mut reader, &header)?) } else { None };
    let mut checks = read_checks(&mut reader, &header)?;
    let fields = read_fields(&mut reader, &header)?;
    let variable_count = reader.count()? as usize;
    let events = read_events(&mut reader, &header)?;
    let authors = if header.flags.authors { Some(PendingAuthors::read(&mut reader)?) } else { None };

    let text_count = 2
        + usize::from(header.flags.severity)
        + header.probe.as_ref().map_or(0, probe::Pending::texts)
        + fields.len()
        + fields.iter().filter(|(k, _)| matches!(k, PendingKey::Text)).count()
        + 2 * variable_count
        + events.iter().filter(|(e, _)| e.is_escaped()).count()
        + authors.as_ref().map_or(0, |a| a.names);
    let texts = text_coder::decompress(reader.rest(), text_count, MAX_TEXT_TOTAL).ok_or(DecodeError::Damaged)?;
    let mut texts = texts.into_iter();
    let mut next_text = || texts.next().ok_or(DecodeError::Damaged);

    let id = next_text()?;
    let slug = next_text()?;
    let runbook = find_runbook(&slug);
    let severity = if header.flags.severity { Some(next_text()?) } else { None };
    let outage = match header.probe {
        Some(pending) => Some(pending.finish(&mut next_text)?),
        None => None,
    };
    let (fields, field_times) = finish_fields(fields, runbook, &mut next_text)?;
    let variables = finish_variables(variable_count, runbook, &mut next_text)?;
    let events = finish_events(events, runbook, &mut next_text)?;

    let current_steps: &[Step] = runbook.map_or(&[], |r| &r.steps);
    if let Some(bitmap) = bitmap {
        bitmap.place(&mut checks);
    }
    let orphaned = checks.keys().filter(|id| !current_steps.iter().any(|s| s.id == **id)).count();
    let mut incident = Incident {
        id,
        runbook: slug,
        started_at: header.started_at,
        resolved_at: header.resolved_at,
        severity,
        checks,
        checked_by: BTreeMap::new(),
        fields,
        field_times,
        variables,
        events,
        next_update_at: header.next_update_at,
        probe: outage,
    };
    if let Some(authors) = authors {
        let names: Vec<String> = (0..authors.names).map(|_| next_text()).collect::<Result<_, _>>()?;
        authors.finish(&names, &mut incident)?;
    }
    Ok(Shared { incident, orphaned, runbook_found: runbook.is_some() })
}

/// The start, the flags and the optional numbers they announce.
struct Header {
    started_at: Timestamp,
    flags: Flags,
    resolved_at: Option<Timestamp>,
    next_update_at: Option<Timestamp>,
    probe: Option<probe::Pending>,
}

impl Header {
    fn read(reader: &mut Reader) -> Result<Header, DecodeError> {
        let started_at = reader.signed()?;
        let mut header = Header {
            started_at,
            flags: Flags::from_byte(reader.byte()?),
            resolved_at: None,
            next_update_at: None,
            probe: None,
        };
        if header.flags.resolved {
            header.resolved_at = Some(started_at.wrapping_add(reader.signed()?));
        }
        if header.flags.next_update {
            header.next_update_at = Some(header.at_minute(reader.signed()?));
        }
        if header.flags.probe {
            header.probe = Some(probe::read(reader, started_at)?);
        }
        Ok(header)
    }

    /// A time written as minutes after the start's minute.
    fn at_minute(&self, delta: i64) -> Timestamp {
        minute(self.started_at).wrapping_add(delta).wrapping_mul(60)
    }
}

/// `s1`'s steps: a bitmap over the runbook's steps when the link was made, with fingerprints.
struct BitmapSteps {
    checked: Vec<usize>,
    fingerprints: Vec<u8>,
    times: Vec<Timestamp>,
}

impl BitmapSteps {
    fn read(reader: &mut Reader, header: &Header) -> Result<BitmapSteps, DecodeError> {
        let step_count = reader.count()? as usize;
        let bitmap = reader.take(step_count.div_ceil(8))?;
        let checked: Vec<usize> = (0..step_count).filter(|i| bitmap[i / 8] & 1 << (i % 8) != 0).collect();
        let fingerprints = reader.take(checked.len())?.to_vec();
        let mut times = Vec::with_capacity(checked.len());
        for _ in &checked {
            times.push(header.at_minute(reader.signed()?));
        }
        Ok(BitmapSteps { checked, fingerprints, times })
    }

    /// Never placed: an 8-bit fingerprint lets about one edit in 256 through, and an `s1`
    /// link carries nothing that proves the runbook unchanged. Kept under made-up ids, so
    /// each is listed as not placed, never dropped and never on another step.
    fn place(self, checks: &mut BTreeMap<StepId, Timestamp>) {
        for ((index, print), at) in self.checked.into_iter().zip(self.fingerprints).zip(self.times) {
            checks.insert(StepId(0x8000_0000 | (index as u32 & 0x7f_ffff) << 8 | u32::from(print)), at);
        }
    }
}

/// `s2`'s steps (and `s1`'s, after its bitmap): full ids with their times.
fn read_checks(reader: &mut Reader, header: &Header) -> Result<BTreeMap<StepId, Timestamp>, DecodeError> {
    let mut checks = BTreeMap::new();
    for _ in 0..reader.count()? {
        let id = StepId(reader.u32()?);
        checks.insert(id, header.at_minute(reader.signed()?));
    }
    Ok(checks)
}

/// A field's key as written: a hash of a key the runbook has, or the key itself in the text.
enum PendingKey {
    Hash(u16),
    Text,
}

fn read_fields(reader: &mut Reader, header: &Header) -> Result<Vec<(PendingKey, Timestamp)>, DecodeError> {
    let mut fields = Vec::new();
    for _ in 0..reader.count()? {
        let key = match reader.u16()? {
            ESCAPE16 => PendingKey::Text,
            hash => PendingKey::Hash(hash),
        };
        fields.push((key, header.at_minute(reader.signed()?)));
    }
    Ok(fields)
}

/// Fields by key, and when each was last changed.
type Fields = (BTreeMap<String, String>, BTreeMap<String, Timestamp>);

type NextText<'a> = dyn FnMut() -> Result<String, DecodeError> + 'a;

/// The fields' values come first in the text, then the keys that were written out.
fn finish_fields(
    pending: Vec<(PendingKey, Timestamp)>,
    runbook: Option<&Runbook>,
    next_text: &mut NextText,
) -> Result<Fields, DecodeError> {
    let values: Vec<String> = pending.iter().map(|_| next_text()).collect::<Result<_, _>>()?;
    let field_keys = runbook.map(field_keys).unwrap_or_default();
    let (mut fields, mut field_times) = (BTreeMap::new(), BTreeMap::new());
    for ((key, at), value) in pending.into_iter().zip(values) {
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
    Ok((fields, field_times))
}

/// Host values, kept only for names the runbook detects as hosts (never a secret).
fn finish_variables(
    count: usize,
    runbook: Option<&Runbook>,
    next_text: &mut NextText,
) -> Result<BTreeMap<String, String>, DecodeError> {
    let mut variables = BTreeMap::new();
    for _ in 0..count {
        let name = next_text()?;
        let value = next_text()?;
        if runbook.is_none_or(|r| r.variables.iter().any(|v| v.name == name)) {
            variables.insert(name, value);
        }
    }
    Ok(variables)
}

enum PendingEvent {
    Severity(u8),
    Message(u16),
    Resolved,
    Reopened,
}

impl PendingEvent {
    /// Whether its words are in the text rather than an index into the runbook.
    fn is_escaped(&self) -> bool {
        matches!(self, PendingEvent::Severity(ESCAPE8) | PendingEvent::Message(ESCAPE16))
    }
}

fn read_events(reader: &mut Reader, header: &Header) -> Result<Vec<(PendingEvent, Timestamp)>, DecodeError> {
    let mut events = Vec::new();
    for _ in 0..reader.count()? {
        let kind = reader.byte()?;
        let at = header.at_minute(reader.signed()?);
        let event = match kind {
            0 => PendingEvent::Severity(reader.byte()?),
            1 => PendingEvent::Message(reader.u16()?),
            2 => PendingEvent::Resolved,
            3 => PendingEvent::Reopened,
            other => return Err(DecodeError::UnknownEvent(other)),
        };
        events.push((event, at));
    }
    Ok(events)
}

fn finish_events(
    pending: Vec<(PendingEvent, Timestamp)>,
    runbook: Option<&Runbook>,
    next_text: &mut NextText,
) -> Result<Vec<Event>, DecodeError> {
    let mut events = Vec::new();
    for (event, at) in pending {
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
        events.push(Event::new(at, kind));
    }
    Ok(events)
}
