//! Writing a share link: the numbers first, then every text compressed together.

use runbook::incident::{EventKind, Incident};
use runbook::Runbook;

use super::flags::Flags;
use super::format::{field_keys, hash16, minute, ESCAPE16, ESCAPE8, MAX_TEXT_TOTAL, PREFIX, PREFIX_V3};
use super::{probe, text_coder};
use crate::authors::Authors;
use crate::bytes::{base64url_encode, fnv1a, put_varint, zigzag};

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
    let authors = Authors::of(incident);
    put_varint(&mut out, zigzag(incident.started_at));
    let flags = Flags {
        resolved: incident.resolved_at.is_some(),
        next_update: incident.next_update_at.is_some(),
        severity: incident.severity.is_some(),
        probe: incident.probe.is_some(),
        authors: authors.is_some(),
    };
    out.push(flags.to_byte());
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
    // Who did what (a live room's incident): the names are the text's last.
    if let Some(authors) = &authors {
        authors.put_numbers(&mut out);
        texts.extend(&authors.names);
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    if bytes > MAX_TEXT_TOTAL {
        return Err(TooLarge { bytes, limit: MAX_TEXT_TOTAL });
    }
    out.extend(text_coder::compress(&texts));
    let mut token = (fnv1a(&out) as u16).to_le_bytes().to_vec();
    token.extend(out);
    let prefix = if flags.authors { PREFIX_V3 } else { PREFIX };
    Ok(format!("{prefix}{}", base64url_encode(&token)))
}
