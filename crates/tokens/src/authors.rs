//! Who did what in a live room, as both token formats carry it: a table of names, then the
//! checked steps and timeline entries that name one (by index). The numbers and the names are
//! written apart, because a share link compresses its text together at the end.
//!
//! Numbers: name count, then checks (count; step id u32 LE, name index), then events (count;
//! event index, name index). Absent when nobody is named, so a token made outside a room is
//! what it always was.

use runbook::incident::Incident;
use runbook::steps::StepId;

use crate::bytes::{put_varint, Reader};
use crate::error::DecodeError;

/// The names an incident's authorship uses, once each, and what refers to them.
pub(crate) struct Authors<'a> {
    pub names: Vec<&'a str>,
    checks: Vec<(StepId, usize)>,
    events: Vec<(usize, usize)>,
}

impl<'a> Authors<'a> {
    /// `None` when nothing in the incident is named.
    pub fn of(incident: &'a Incident) -> Option<Authors<'a>> {
        let mut names: Vec<&str> = Vec::new();
        let mut index_of = |name: &'a str| match names.iter().position(|n| *n == name) {
            Some(index) => index,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        // Only checks the incident holds: a name left for an unchecked step is not written.
        let checks: Vec<(StepId, usize)> = incident
            .checked_by
            .iter()
            .filter(|(step, _)| incident.checks.contains_key(step))
            .map(|(step, name)| (*step, index_of(name)))
            .collect();
        let events: Vec<(usize, usize)> = incident
            .events
            .iter()
            .enumerate()
            .filter_map(|(at, event)| Some((at, index_of(event.by.as_deref()?))))
            .collect();
        (!names.is_empty()).then_some(Authors { names, checks, events })
    }

    pub fn put_numbers(&self, out: &mut Vec<u8>) {
        put_varint(out, self.names.len() as u64);
        put_varint(out, self.checks.len() as u64);
        for (step, name) in &self.checks {
            out.extend_from_slice(&step.0.to_le_bytes());
            put_varint(out, *name as u64);
        }
        put_varint(out, self.events.len() as u64);
        for (event, name) in &self.events {
            put_varint(out, *event as u64);
            put_varint(out, *name as u64);
        }
    }
}

/// The numbers read; the names come later.
pub(crate) struct PendingAuthors {
    pub names: usize,
    checks: Vec<(StepId, u64)>,
    events: Vec<(u64, u64)>,
}

impl PendingAuthors {
    pub fn read(reader: &mut Reader) -> Result<PendingAuthors, DecodeError> {
        let names = reader.count()? as usize;
        let mut checks = Vec::new();
        for _ in 0..reader.count()? {
            checks.push((StepId(reader.u32()?), reader.varint()?));
        }
        let mut events = Vec::new();
        for _ in 0..reader.count()? {
            events.push((reader.varint()?, reader.varint()?));
        }
        Ok(PendingAuthors { names, checks, events })
    }

    /// Puts the names on the incident's checks and events. An index to nothing (a name, a
    /// check or an entry the token does not hold) is damage, not a name dropped quietly.
    pub fn finish(self, names: &[String], incident: &mut Incident) -> Result<(), DecodeError> {
        let name =
            |index: u64| usize::try_from(index).ok().and_then(|i| names.get(i)).cloned().ok_or(DecodeError::Damaged);
        for (step, index) in self.checks {
            if !incident.checks.contains_key(&step) {
                return Err(DecodeError::Damaged);
            }
            // Every name read is cleaned: none adds a line or turns text around.
            if let Some(name) = runbook::incident::clean_person(&name(index)?) {
                incident.checked_by.insert(step, name);
            }
        }
        for (event, index) in self.events {
            let by = runbook::incident::clean_person(&name(index)?);
            let event = usize::try_from(event).ok().and_then(|at| incident.events.get_mut(at));
            event.ok_or(DecodeError::Damaged)?.by = by;
        }
        Ok(())
    }
}
