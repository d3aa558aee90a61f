//! A share link's probe section: the outage an incident was started from, so whoever opens
//! the link follows the probe too. Present when the header's `probe` flag is set (`flags.rs`); its
//! numbers go with the header, its words (endpoint, regions, cause) with the compressed text,
//! right after the severity. Links without it are byte for byte what they were.

use runbook::incident::{ProbeOutage, Timestamp};

use crate::bytes::{put_varint, zigzag, Reader};
use crate::codec::{optional_delta, put_optional_delta, state_byte, state_of};
use crate::error::DecodeError;

/// Writes the numbers to `out` and queues the words in `texts`.
pub fn put<'a>(out: &mut Vec<u8>, texts: &mut Vec<&'a str>, probe: &'a ProbeOutage, started_at: Timestamp) {
    out.push(state_byte(probe.state));
    put_varint(out, zigzag(probe.onset.wrapping_sub(started_at)));
    put_varint(out, zigzag(probe.declared.wrapping_sub(started_at)));
    put_optional_delta(out, probe.recovered, started_at);
    put_varint(out, probe.regions.len() as u64);
    texts.push(&probe.endpoint);
    texts.extend(probe.regions.iter().map(String::as_str));
    texts.push(&probe.cause);
}

/// The numbers, read before the text is.
pub struct Pending {
    state: api::State,
    onset: Timestamp,
    declared: Timestamp,
    recovered: Option<Timestamp>,
    regions: usize,
}

pub fn read(reader: &mut Reader, started_at: Timestamp) -> Result<Pending, DecodeError> {
    let state = state_of(reader.byte()?).ok_or(DecodeError::Damaged)?;
    let onset = started_at.wrapping_add(reader.signed()?);
    let declared = started_at.wrapping_add(reader.signed()?);
    let recovered = optional_delta(reader, started_at)?;
    let regions = reader.count()? as usize;
    Ok(Pending { state, onset, declared, recovered, regions })
}

impl Pending {
    /// How many of the link's texts are this section's.
    pub fn texts(&self) -> usize {
        2 + self.regions
    }

    pub fn finish(
        self,
        next_text: &mut dyn FnMut() -> Result<String, DecodeError>,
    ) -> Result<ProbeOutage, DecodeError> {
        let endpoint = next_text()?;
        let regions = (0..self.regions).map(|_| next_text()).collect::<Result<_, _>>()?;
        let cause = next_text()?;
        Ok(ProbeOutage {
            endpoint,
            state: self.state,
            onset: self.onset,
            declared: self.declared,
            regions,
            cause,
            recovered: self.recovered,
        })
    }
}
