//! The header byte of a share link: which optional parts follow it.

/// Which optional parts of an incident a link carries, in the order they follow the flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    pub resolved: bool,
    pub next_update: bool,
    pub severity: bool,
    /// The outage the incident was started from (`probe.rs`).
    pub probe: bool,
    /// Who did what in a live room (`crate::authors`), after the events.
    pub authors: bool,
}

const RESOLVED: u8 = 1;
const NEXT_UPDATE: u8 = 2;
const SEVERITY: u8 = 4;
const PROBE: u8 = 8;
const AUTHORS: u8 = 16;

impl Flags {
    pub fn to_byte(self) -> u8 {
        [
            (self.resolved, RESOLVED),
            (self.next_update, NEXT_UPDATE),
            (self.severity, SEVERITY),
            (self.probe, PROBE),
            (self.authors, AUTHORS),
        ]
        .into_iter()
        .filter(|(set, _)| *set)
        .fold(0, |byte, (_, bit)| byte | bit)
    }

    /// Unknown bits are ignored, as they always were.
    pub fn from_byte(byte: u8) -> Self {
        Flags {
            resolved: byte & RESOLVED != 0,
            next_update: byte & NEXT_UPDATE != 0,
            severity: byte & SEVERITY != 0,
            probe: byte & PROBE != 0,
            authors: byte & AUTHORS != 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_combination_of_flags_reads_back_as_written() {
        for byte in 0..32u8 {
            assert_eq!(Flags::from_byte(byte).to_byte(), byte);
        }
        assert_eq!(Flags::from_byte(0xE0), Flags::default());
    }
}
