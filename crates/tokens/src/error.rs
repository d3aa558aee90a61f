//! Why a token could not be read: one error type for every token format, with a message a
//! person can act on.

use std::fmt;

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
    /// The checksum does not match: the link was cut or changed on its way.
    Damaged,
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
            DecodeError::Damaged => write!(f, "the incident data is damaged (was the link cut off or changed when it was pasted?)"),
        }
    }
}

impl std::error::Error for DecodeError {}
