//! The incident as one compact, versioned text token: what the browser saves, and what a
//! share link will carry. Decoding never panics and says what is wrong with a bad token.
//!
//! Token: `o1` + base64url (no padding) of a byte string:
//! id, runbook, start (unix s), resolved (+1 delta), severity, next update (+1 delta),
//! checks (u32 step id, time delta), fields (key, value, edit time), variables, events, and
//! then, for an incident started from the probe's outage only, a section tagged 1 (endpoint,
//! state, onset, declared, recovered (+1 delta), regions, cause), and for an incident worked
//! in a live room only, a section tagged 2: who checked which step and who made which
//! timeline entry (`authors.rs`, then the names). Text is length-prefixed
//! UTF-8; integers are LEB128 varints, signed ones zigzag-encoded; times are deltas from
//! the start so they stay small.

use std::collections::BTreeMap;

use api::State;
use runbook::incident::{Event, EventKind, Incident, ProbeOutage, Timestamp};
use runbook::steps::StepId;

use crate::authors::{Authors, PendingAuthors};
use crate::bytes::{base64url_encode, open_token, put_text, put_varint, unzigzag, zigzag, Reader};
use crate::error::DecodeError;

const PREFIX: &str = "o1";
/// Where a browser saves an incident's token: this, then the incident's id. The app and the
/// page starter (`starter/`) both read and write it.
pub const SAVED_KEY_PREFIX: &str = "outpost.incident.";

pub fn saved_key(id: &str) -> String {
    format!("{SAVED_KEY_PREFIX}{id}")
}

/// Where a browser saves the host values its user set outside an incident (`NAME=value`
/// lines). The page starter copies the built page's commands only where there are none.
pub const USER_VALUES_KEY: &str = "outpost.variables";
/// The longest saved token read: above the largest incident its limits allow
/// (`runbook::incident::limits`), so whatever is saved reads back.
pub const MAX_SAVED_LEN: usize = 4 * 1024 * 1024;

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
    // Every typed field has an edit time; an emptied one keeps only its time.
    let keys: std::collections::BTreeSet<&String> = incident.fields.keys().chain(incident.field_times.keys()).collect();
    put_varint(&mut out, keys.len() as u64);
    for key in keys {
        let at = incident.field_times.get(key).copied().unwrap_or(incident.started_at);
        put_text(&mut out, key);
        put_text(&mut out, incident.fields.get(key).map_or("", String::as_str));
        put_varint(&mut out, zigzag(at.wrapping_sub(incident.started_at)));
    }
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
    if let Some(probe) = &incident.probe {
        out.push(PROBE_SECTION);
        put_text(&mut out, &probe.endpoint);
        out.push(state_byte(probe.state));
        put_varint(&mut out, zigzag(probe.onset.wrapping_sub(incident.started_at)));
        put_varint(&mut out, zigzag(probe.declared.wrapping_sub(incident.started_at)));
        put_optional_delta(&mut out, probe.recovered, incident.started_at);
        put_varint(&mut out, probe.regions.len() as u64);
        for region in &probe.regions {
            put_text(&mut out, region);
        }
        put_text(&mut out, &probe.cause);
    }
    if let Some(authors) = Authors::of(incident) {
        out.push(AUTHORS_SECTION);
        authors.put_numbers(&mut out);
        for name in &authors.names {
            put_text(&mut out, name);
        }
    }
    format!("{PREFIX}{}", base64url_encode(&out))
}

pub fn decode(token: &str) -> Result<Incident, DecodeError> {
    let bytes = open_token(token, PREFIX, MAX_SAVED_LEN)?;
    let mut reader = Reader::new(&bytes);
    let id = reader.text()?;
    let runbook = reader.text()?;
    let started_at = unzigzag(reader.varint()?);
    let resolved_at = optional_delta(&mut reader, started_at)?;
    let severity = Some(reader.text()?).filter(|s| !s.is_empty());
    let next_update_at = optional_delta(&mut reader, started_at)?;
    let mut checks = BTreeMap::new();
    for _ in 0..reader.count()? {
        let id = reader.u32()?;
        checks.insert(StepId(id), started_at.wrapping_add(reader.signed()?));
    }
    let (mut fields, mut field_times) = (BTreeMap::new(), BTreeMap::new());
    for _ in 0..reader.count()? {
        let key = reader.text()?;
        let value = reader.text()?;
        field_times.insert(key.clone(), started_at.wrapping_add(reader.signed()?));
        if !value.is_empty() {
            fields.insert(key, value);
        }
    }
    let variables = read_map(&mut reader)?;
    let mut events = Vec::new();
    for _ in 0..reader.count()? {
        let kind = reader.byte()?;
        let at = started_at.wrapping_add(unzigzag(reader.varint()?));
        let kind = match kind {
            0 => EventKind::SeverityChanged { to: reader.text()? },
            1 => EventKind::MessageCopied { template: reader.text()? },
            2 => EventKind::Resolved,
            3 => EventKind::Reopened,
            other => return Err(DecodeError::UnknownEvent(other)),
        };
        events.push(Event::new(at, kind));
    }
    let mut incident = Incident {
        id,
        runbook,
        started_at,
        resolved_at,
        severity,
        checks,
        checked_by: BTreeMap::new(),
        fields,
        field_times,
        variables,
        events,
        next_update_at,
        probe: None,
    };
    // The optional sections, each at most once and in the order of their tags: absent from
    // incidents that do not have them, and from every one saved before they existed.
    let mut last_tag = 0;
    while !reader.is_done() {
        let tag = reader.byte()?;
        if tag <= last_tag {
            return Err(DecodeError::TrailingData);
        }
        last_tag = tag;
        match tag {
            PROBE_SECTION => incident.probe = Some(read_probe(&mut reader, started_at)?),
            AUTHORS_SECTION => {
                let pending = PendingAuthors::read(&mut reader)?;
                let names: Vec<String> = (0..pending.names).map(|_| reader.text()).collect::<Result<_, _>>()?;
                pending.finish(&names, &mut incident)?;
            }
            _ => return Err(DecodeError::TrailingData),
        }
    }
    Ok(incident)
}

const PROBE_SECTION: u8 = 1;
const AUTHORS_SECTION: u8 = 2;

pub(crate) fn state_byte(state: State) -> u8 {
    match state {
        State::Up => 0,
        State::Degraded => 1,
        State::Regional => 2,
        State::Down => 3,
        // Added after the others: tokens written before never hold it.
        State::Unknown => 4,
    }
}

/// The state a byte of [`state_byte`] stands for.
pub(crate) fn state_of(byte: u8) -> Option<State> {
    [State::Up, State::Degraded, State::Regional, State::Down, State::Unknown].get(usize::from(byte)).copied()
}

fn read_probe(reader: &mut Reader, started_at: Timestamp) -> Result<ProbeOutage, DecodeError> {
    let endpoint = reader.text()?;
    let state = state_of(reader.byte()?).ok_or(DecodeError::TrailingData)?;
    let onset = started_at.wrapping_add(reader.signed()?);
    let declared = started_at.wrapping_add(reader.signed()?);
    let recovered = optional_delta(reader, started_at)?;
    let mut regions = Vec::new();
    for _ in 0..reader.count()? {
        regions.push(reader.text()?);
    }
    let cause = reader.text()?;
    Ok(ProbeOutage { endpoint, state, onset, declared, regions, cause, recovered })
}

fn put_map(out: &mut Vec<u8>, map: &BTreeMap<String, String>) {
    put_varint(out, map.len() as u64);
    for (key, value) in map {
        put_text(out, key);
        put_text(out, value);
    }
}

pub(crate) fn put_optional_delta(out: &mut Vec<u8>, at: Option<Timestamp>, base: Timestamp) {
    put_varint(out, at.map_or(0, |at| zigzag(at.wrapping_sub(base)).wrapping_add(1)));
}

fn read_map(reader: &mut Reader) -> Result<BTreeMap<String, String>, DecodeError> {
    let mut map = BTreeMap::new();
    for _ in 0..reader.count()? {
        let key = reader.text()?;
        map.insert(key, reader.text()?);
    }
    Ok(map)
}

pub(crate) fn optional_delta(reader: &mut Reader, base: Timestamp) -> Result<Option<Timestamp>, DecodeError> {
    Ok(match reader.varint()? {
        0 => None,
        n => Some(base.wrapping_add(unzigzag(n - 1))),
    })
}
