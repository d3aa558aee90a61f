//! What the site and the room say over the room's WebSocket: JSON text messages, one kind
//! per `type`. The incident travels whole, in the saved format (`tokens::codec`), so the
//! room reads it with the decoder the browser's own storage uses. A message that cannot be
//! read is refused with a reason; a connection that cannot go on is closed with a code and
//! a reason the site shows.

use serde::{Deserialize, Serialize};

use crate::limits;

/// Site → room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// The first message on a connection: the room's secret from the link, the name this
    /// person chose, and the browser tab it comes from (a tab that reconnects replaces its
    /// connection that has not closed yet).
    Join {
        secret: String,
        name: String,
        #[serde(default)]
        client: String,
    },
    /// The incident as this person's copy holds it, made on the room's version `base` (the
    /// last one this copy was in step with).
    Change { base: u64, incident: String },
}

/// Room → site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoomMessage {
    /// The incident as the room holds it at `version`; `by` changed it (empty when sent on
    /// joining); `mine`: the answer to the change this connection sent.
    State { version: u64, incident: String, by: String, mine: bool },
    /// Who is in the room now, in the order they joined.
    People { here: Vec<String> },
    /// A message refused: the connection stays, the room is unchanged.
    Refused { reason: String },
}

impl RoomMessage {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why a message from a client was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    TooLarge { bytes: usize },
    Malformed(String),
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unreadable::TooLarge { bytes } => write!(
                f,
                "the message is {} KB, over the room's {} KB: shorten the longest template fields",
                bytes.div_ceil(1024),
                limits::MESSAGE_BYTES / 1024
            ),
            Unreadable::Malformed(error) => write!(f, "the message is not one the room reads ({error})"),
        }
    }
}

/// Reads a client's message, its size checked before anything else.
pub fn read_client(text: &str) -> Result<ClientMessage, Unreadable> {
    if text.len() > limits::MESSAGE_BYTES {
        return Err(Unreadable::TooLarge { bytes: text.len() });
    }
    serde_json::from_str(text).map_err(|error| {
        let mut reason = error.to_string();
        reason.truncate(reason.char_indices().nth(120).map_or(reason.len(), |(i, _)| i));
        Unreadable::Malformed(reason)
    })
}

const ALL: [Closing; 8] = [
    Closing::NoRoom,
    Closing::NotOpened,
    Closing::Full,
    Closing::TooFast,
    Closing::NoJoin,
    Closing::Ended,
    Closing::Replaced,
    Closing::Unavailable,
];

/// Why the room closes a connection: a WebSocket close code (4000–4999, the application's
/// own) and the reason the site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    /// No room at this address: it ended, or never was.
    NoRoom,
    /// The first message was not a join with the room's secret.
    NotOpened,
    Full,
    TooFast,
    /// Open too long without joining.
    NoJoin,
    /// The room ended after `limits::IDLE_SECONDS` without a change.
    Ended,
    /// The same tab joined again on another connection (after a network drop).
    Replaced,
    /// The room's storage could not be read just now: not an ending, the browser tries again.
    Unavailable,
}

impl Closing {
    pub fn code(self) -> u16 {
        match self {
            Closing::NoRoom => 4404,
            Closing::NotOpened => 4403,
            Closing::Full => 4409,
            Closing::TooFast => 4429,
            Closing::NoJoin => 4408,
            Closing::Ended => 4410,
            Closing::Replaced => 4001,
            Closing::Unavailable => 4503,
        }
    }

    /// Under 123 bytes, as a close frame's reason must be.
    pub fn reason(self) -> &'static str {
        match self {
            Closing::NoRoom => "This live room has ended or never existed.",
            Closing::NotOpened => "This link does not open the room: its secret is wrong.",
            Closing::Full => "The room is full.",
            Closing::TooFast => "Too many messages: the connection was closed.",
            Closing::NoJoin => "Did not join in time.",
            Closing::Ended => "The room ended after 48 hours without a change.",
            Closing::Replaced => "This tab joined again on a new connection.",
            Closing::Unavailable => "The room could not be read just now; trying again.",
        }
    }

    /// Whether the browser stops for good (and forgets the room's link): the room said no.
    /// A closing that says "not now" (full, not joined in time, replaced, unavailable) is
    /// tried again, like a network drop.
    pub fn is_final(self) -> bool {
        !matches!(self, Closing::NoJoin | Closing::Replaced | Closing::Full | Closing::Unavailable)
    }

    pub fn from_code(code: u16) -> Option<Closing> {
        ALL.into_iter().find(|c| c.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_back_as_written() {
        let join = ClientMessage::Join { secret: "0".repeat(32), name: "Zoë".into(), client: "tab-1".into() };
        assert_eq!(read_client(&serde_json::to_string(&join).unwrap()), Ok(join));
        let text = r#"{"type":"change","base":7,"incident":"o1AA"}"#;
        assert_eq!(read_client(text), Ok(ClientMessage::Change { base: 7, incident: "o1AA".into() }));
    }

    #[test]
    fn junk_oversized_or_unknown_messages_are_refused_with_a_reason() {
        for junk in [
            "",
            "null",
            "{}",
            r#"{"type":"delete"}"#,
            r#"{"type":"change","base":-1,"incident":""}"#,
            r#"{"type":"join","secret":"x","name":"y","admin":true}"#,
            "\u{0}é→",
        ] {
            assert!(matches!(read_client(junk), Err(Unreadable::Malformed(_))), "{junk:?}");
        }
        // At the limit the message is read; one byte past it, it is refused for its size.
        let shell = r#"{"type":"change","base":1,"incident":""}"#.len();
        let at_limit =
            format!(r#"{{"type":"change","base":1,"incident":"{}"}}"#, "A".repeat(limits::MESSAGE_BYTES - shell));
        assert_eq!(at_limit.len(), limits::MESSAGE_BYTES);
        assert!(matches!(read_client(&at_limit), Ok(ClientMessage::Change { .. })));
        let past =
            format!(r#"{{"type":"change","base":1,"incident":"{}"}}"#, "A".repeat(limits::MESSAGE_BYTES - shell + 1));
        assert_eq!(read_client(&past), Err(Unreadable::TooLarge { bytes: limits::MESSAGE_BYTES + 1 }));
        let huge = format!(r#"{{"type":"change","base":1,"incident":"{}"}}"#, "A".repeat(limits::MESSAGE_BYTES));
        let refused = read_client(&huge).unwrap_err();
        assert!(refused.to_string().contains("shorten the longest template fields"), "{refused}");
    }

    #[test]
    fn close_reasons_fit_a_close_frame_and_codes_read_back() {
        for closing in ALL {
            assert!(closing.reason().len() < 123);
            assert!(
                !closing.reason().contains("hours")
                    || closing.reason().contains(&format!("{} hours", limits::IDLE_SECONDS / 3600))
            );
            assert_eq!(Closing::from_code(closing.code()), Some(closing));
        }
    }
}
