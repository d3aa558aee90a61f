//! How the room unites everyone's changes. The room orders them: each change names the
//! room version its copy was made on (`base`).
//!
//! - A change made on the room's latest version **replaces** the room's incident: it saw
//!   everything, so what it leaves out (a step unchecked, a field cleared) was left out on
//!   purpose.
//! - A change made on an older version (a phone that was offline, two people at the same
//!   moment) is **merged** into the room's incident by the share links' rules
//!   (`runbook::merge`): checks are united (the earlier time kept), a field takes the value
//!   edited last, a host value the room lacks is added, the earlier start and a resolution
//!   are kept. Nothing anyone did is lost, and no step is checked that nobody checked.
//! - The result is the room's next version, sent to everyone, so every screen ends the same.
//! - What a change adds (a step checked, a timeline entry) is named for the person who sent
//!   it (`attribution`); the names the room gave before are kept.

use runbook::incident::{Incident, Timestamp};
use runbook::merge::{self, MergeRefusal, MergeReport};

use crate::attribution::attribute;

/// The room's incident and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    /// Counts the changes taken; the first incident is version 1.
    pub version: u64,
    pub incident: Incident,
    /// When it last changed (Unix s): the room ends `limits::IDLE_SECONDS` after.
    pub last_change: Timestamp,
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing new: no save, nothing sent.
    Unchanged,
    Replaced,
    Merged(Box<MergeReport>),
}

/// Why a change was refused; the room is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unreadable(String),
    /// Another incident or runbook than the room's.
    OtherIncident,
    /// Made on a version the room has not reached: replayed from elsewhere, or forged.
    Ahead {
        base: u64,
        version: u64,
    },
    Times(MergeRefusal),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Unreadable(error) => write!(f, "the incident in the message cannot be read: {error}"),
            Refusal::OtherIncident => write!(f, "the message holds another incident than this room's"),
            Refusal::Ahead { base, version } => {
                write!(f, "the change was made on version {base}, but the room is at {version}")
            }
            Refusal::Times(MergeRefusal::FromTheFuture { at }) => {
                write!(
                    f,
                    "the incident holds a time in the future (Unix {at}); check the clock of the device that sent it"
                )
            }
            Refusal::Times(MergeRefusal::OtherRunbook { .. }) => {
                write!(f, "the message holds another runbook's incident")
            }
        }
    }
}

impl Room {
    /// A room opened on `incident` (the saved format), at `now`.
    pub fn open(incident: &str, now: Timestamp) -> Result<Room, Refusal> {
        let mut incident = tokens::codec::decode(incident).map_err(|e| Refusal::Unreadable(e.to_string()))?;
        merge::check_times(&incident, now).map_err(Refusal::Times)?;
        // Names come only from the room: none the opener's copy brings is kept.
        incident.checked_by.clear();
        incident.events.iter_mut().for_each(|e| e.by = None);
        Ok(Room { version: 1, incident, last_change: now })
    }

    /// The room as it was saved (its incident was checked when it was taken).
    pub fn restore(version: u64, incident: &str, last_change: Timestamp) -> Result<Room, Refusal> {
        let incident = tokens::codec::decode(incident).map_err(|e| Refusal::Unreadable(e.to_string()))?;
        Ok(Room { version, incident, last_change })
    }

    /// Takes one person's change (`incident` in the saved format, made on version `base`, sent
    /// by `by`: named on what it adds).
    pub fn change(&mut self, base: u64, incident: &str, by: &str, now: Timestamp) -> Result<Outcome, Refusal> {
        let mut incoming = tokens::codec::decode(incident).map_err(|e| Refusal::Unreadable(e.to_string()))?;
        if incoming.id != self.incident.id || incoming.runbook != self.incident.runbook {
            return Err(Refusal::OtherIncident);
        }
        if base > self.version {
            return Err(Refusal::Ahead { base, version: self.version });
        }
        merge::check_times(&incoming, now).map_err(Refusal::Times)?;
        let outcome = if base == self.version {
            attribute(&self.incident, &mut incoming, by);
            if incoming == self.incident {
                return Ok(Outcome::Unchanged);
            }
            self.incident = incoming;
            Outcome::Replaced
        } else {
            let before = self.incident.clone();
            let report = merge::merge(&mut self.incident, &incoming, now).map_err(Refusal::Times)?;
            if report.is_empty() {
                return Ok(Outcome::Unchanged);
            }
            attribute(&before, &mut self.incident, by);
            Outcome::Merged(Box::new(report))
        };
        self.version += 1;
        self.last_change = now;
        Ok(outcome)
    }

    /// The room's incident in the saved format, as it is sent and stored.
    pub fn incident_token(&self) -> String {
        tokens::codec::encode(&self.incident)
    }

    /// Whether the room has gone `limits::IDLE_SECONDS` without a change at `now`.
    pub fn has_ended(&self, now: Timestamp) -> bool {
        self.has_ended_after(now, crate::limits::IDLE_SECONDS)
    }

    /// Whether the room has gone `idle` seconds without a change at `now` (a local run's
    /// tests wait seconds, not days).
    pub fn has_ended_after(&self, now: Timestamp, idle: Timestamp) -> bool {
        now.saturating_sub(self.last_change) >= idle
    }
}
