//! The people in a room: a name each chose once, kept with their connection, and who is
//! here to show everyone.

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::pace::Pace;

/// What the room keeps with each connection (it survives hibernation, not a restart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connection {
    /// Empty until the connection has joined with the room's secret.
    pub name: String,
    /// The browser tab it said it comes from (at most 32 characters).
    #[serde(default)]
    pub client: String,
    pub joined: bool,
    /// When the socket was accepted (Unix ms).
    pub opened_ms: i64,
    pub pace: Pace,
}

impl Connection {
    pub fn new(now_ms: i64) -> Connection {
        Connection {
            name: String::new(),
            client: String::new(),
            joined: false,
            opened_ms: now_ms,
            pace: Pace::new(now_ms),
        }
    }

    /// Whether it has been open too long without joining: closed when another arrives.
    pub fn is_stale(&self, now_ms: i64) -> bool {
        !self.joined && now_ms.saturating_sub(self.opened_ms) > limits::JOIN_WITHIN_MS
    }
}

/// A name as others will see it (`runbook::incident::clean_person`); "Someone" when nothing
/// is left.
pub fn clean_name(raw: &str) -> String {
    runbook::incident::clean_person(raw).unwrap_or_else(|| "Someone".to_string())
}

/// Who is here, in the order they joined: each joined connection's name.
pub fn here<'a>(connections: impl IntoIterator<Item = &'a Connection>) -> Vec<String> {
    let mut joined: Vec<&Connection> = connections.into_iter().filter(|c| c.joined).collect();
    joined.sort_by_key(|c| c.opened_ms);
    joined.into_iter().map(|c| c.name.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_every_script_but_not_what_hides_or_reorders_text() {
        assert_eq!(clean_name("  Zoë   → on call "), "Zoë → on call");
        assert_eq!(clean_name("مريم"), "مريم");
        assert_eq!(clean_name("Ana\u{202E}nimda\n"), "Ananimda");
        assert_eq!(clean_name("\u{0}\u{7}   "), "Someone");
        assert_eq!(clean_name(&"😀".repeat(100)).chars().count(), limits::NAME_CHARS);
    }

    #[test]
    fn only_joined_connections_are_here_in_the_order_they_came() {
        let mut a = Connection::new(20);
        a.joined = true;
        a.name = "Ana".into();
        let mut b = Connection::new(10);
        b.joined = true;
        b.name = "Ben".into();
        let waiting = Connection::new(5);
        assert_eq!(here([&a, &b, &waiting]), ["Ben", "Ana"]);
        assert!(waiting.is_stale(5 + limits::JOIN_WITHIN_MS + 1) && !a.is_stale(i64::MAX));
    }
}
