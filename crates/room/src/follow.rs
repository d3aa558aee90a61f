//! What a person's browser does with the room: the copy it keeps in step. The browser keeps
//! the incident in its own storage as always; this decides, on each event, whether to take
//! the room's incident, send its own, or wait. A copy changed while offline is sent (and
//! merged by the room) before anything of the room's replaces it, and a copy sent is not
//! replaced until the room's answer to it (`mine`) arrives, so nothing typed is lost.

use crate::protocol::ClientMessage;

/// The copy's place in the room.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Follower {
    /// The room version this copy was last in step with (0: never).
    version: u64,
    /// The room's incident at that version (the saved format): a copy that differs from it
    /// holds changes the room has not taken yet.
    in_step_with: Option<String>,
    /// The copy sent on this connection, until the room answers it.
    sent: Option<String>,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Replace this copy with the room's incident (the saved format).
    Take(String),
    Send(ClientMessage),
    /// Replace this copy with `incident` (the room's answer with what this person did since
    /// the last send) and send it.
    Rebased {
        incident: String,
        send: ClientMessage,
    },
    Nothing,
}

impl Follower {
    /// A new connection: what was sent on the last one may not have arrived.
    pub fn on_connect(&mut self) {
        self.sent = None;
    }

    /// The room refused a message (too fast, not saved): what was sent is no longer awaited,
    /// so this copy is sent again with its next change or the next state.
    pub fn on_refused(&mut self) {
        self.sent = None;
    }

    /// The room's incident at `version` arrived (`mine`: the answer to this copy's change);
    /// `local` is this copy now, if this browser holds one.
    pub fn on_state(&mut self, version: u64, incident: &str, mine: bool, local: Option<&str>) -> Step {
        if mine {
            let sent = self.sent.take();
            if let Some(local) = local.filter(|l| Some(*l) != sent.as_deref() && *l != incident) {
                // Changed again while waiting: what changed since the send goes on top of the
                // room's answer, sent on its version (so it replaces: an uncheck holds).
                let decoded = (
                    tokens::codec::decode(incident),
                    sent.as_deref().map(tokens::codec::decode),
                    tokens::codec::decode(local),
                );
                if let (Ok(room), Some(Ok(sent)), Ok(mine)) = decoded {
                    let rebased = tokens::codec::encode(&crate::rebase::rebase(&room, &sent, &mine));
                    self.adopt(version, incident, None);
                    self.sent = Some(rebased.clone());
                    let send = ClientMessage::Change { base: version, incident: rebased.clone() };
                    return Step::Rebased { incident: rebased, send };
                }
                return self.send(self.version, local);
            }
            return self.adopt(version, incident, local);
        }
        if self.sent.is_some() || version < self.version {
            return Step::Nothing; // the answer to this copy comes first; an older state is overtaken
        }
        let pending = match (local, &self.in_step_with) {
            (Some(local), Some(known)) => local != known,
            // First contact: a copy of its own (the one that opened the room, or one from a
            // share link) is sent to be merged, unless it is the room's already.
            (Some(local), None) => local != incident,
            (None, _) => false,
        };
        match local {
            Some(local) if pending => self.send(self.version, local),
            _ => self.adopt(version, incident, local),
        }
    }

    /// This copy changed (by this person): sent, made on the version it is in step with,
    /// unless an answer is awaited (then it goes with the answer) or the room has not been
    /// heard from yet (its first state decides what is sent).
    pub fn on_local_change(&mut self, local: &str) -> Step {
        if self.sent.is_some() || self.in_step_with.as_deref().is_none_or(|known| known == local) {
            return Step::Nothing;
        }
        self.send(self.version, local)
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// Whether this copy holds changes the room has not taken (shown as "will be sent").
    pub fn has_pending(&self, local: &str) -> bool {
        self.in_step_with.as_deref().is_some_and(|known| known != local)
    }

    fn send(&mut self, base: u64, local: &str) -> Step {
        self.sent = Some(local.to_string());
        Step::Send(ClientMessage::Change { base, incident: local.to_string() })
    }

    fn adopt(&mut self, version: u64, incident: &str, local: Option<&str>) -> Step {
        self.version = self.version.max(version);
        self.in_step_with = Some(incident.to_string());
        if local == Some(incident) {
            Step::Nothing
        } else {
            Step::Take(incident.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(base: u64, incident: &str) -> Step {
        Step::Send(ClientMessage::Change { base, incident: incident.into() })
    }

    #[test]
    fn a_newcomer_takes_the_rooms_incident_and_the_opener_sends_nothing_it_already_has() {
        let mut newcomer = Follower::default();
        assert_eq!(newcomer.on_state(3, "R3", false, None), Step::Take("R3".into()));
        let mut opener = Follower::default();
        assert_eq!(opener.on_state(1, "R1", false, Some("R1")), Step::Nothing);
        assert_eq!(opener.version(), 1);
    }

    #[test]
    fn a_copy_of_its_own_is_sent_to_be_merged_before_anything_replaces_it() {
        let mut from_link = Follower::default();
        assert_eq!(from_link.on_state(4, "R4", false, Some("mine")), change(0, "mine"));
        assert_eq!(from_link.on_state(5, "R5", false, Some("mine")), Step::Nothing, "waits for its answer");
        assert_eq!(from_link.on_state(6, "R6", true, Some("mine")), Step::Take("R6".into()));
        assert_eq!(from_link.on_local_change("R6"), Step::Nothing);
    }

    #[test]
    fn changes_made_offline_are_sent_on_the_version_they_were_made_on() {
        let mut phone = Follower::default();
        phone.on_state(2, "R2", false, None);
        assert_eq!(phone.on_local_change("R2+mine"), change(2, "R2+mine"));
        // Offline: the send was lost. Back online, the room is at 5 and says so first.
        phone.on_connect();
        assert!(phone.has_pending("R2+mine"));
        assert_eq!(phone.on_state(5, "R5", false, Some("R2+mine")), change(2, "R2+mine"));
        assert_eq!(phone.on_state(6, "R6", true, Some("R2+mine")), Step::Take("R6".into()));
        assert!(!phone.has_pending("R6"));
    }

    #[test]
    fn what_is_typed_while_an_answer_is_awaited_is_sent_after_it_never_lost() {
        let mut copy = Follower::default();
        copy.on_state(1, "R1", false, Some("R1"));
        assert_eq!(copy.on_local_change("A"), change(1, "A"));
        assert_eq!(copy.on_local_change("AB"), Step::Nothing, "waits");
        assert_eq!(copy.on_state(2, "R2", false, Some("AB")), Step::Nothing, "someone else's change first");
        assert_eq!(copy.on_state(3, "R3", true, Some("AB")), change(1, "AB"), "not incidents: merged, not replacing");
        assert_eq!(copy.on_state(4, "R4", true, Some("AB")), Step::Take("R4".into()));
    }

    #[test]
    fn keys_typed_while_an_answer_is_awaited_go_on_top_of_it_on_its_version() {
        use runbook::incident::Incident;
        use tokens::codec::{decode, encode};
        let base = Incident::new("i", "r", 0);
        let mut copy = Follower::default();
        copy.on_state(1, &encode(&base), false, Some(&encode(&base)));
        let mut sent = base.clone();
        sent.set_field("brief", "Pay", 5);
        assert_eq!(copy.on_local_change(&encode(&sent)), change(1, &encode(&sent)));
        let mut local = sent.clone();
        local.set_field("brief", "Payments", 5);
        let mut answer = sent.clone();
        answer.set_severity("SEV1", 5);
        let Step::Rebased { incident, send } = copy.on_state(3, &encode(&answer), true, Some(&encode(&local))) else {
            panic!("rebased");
        };
        let rebased = decode(&incident).unwrap();
        assert_eq!(rebased.fields.get("brief").map(String::as_str), Some("Payments"));
        assert_eq!(rebased.severity.as_deref(), Some("SEV1"));
        assert_eq!(send, ClientMessage::Change { base: 3, incident: incident.clone() });
        assert_eq!(copy.on_state(4, "R4", false, Some(&incident)), Step::Nothing, "waits for its answer");
    }

    #[test]
    fn a_refused_send_is_not_awaited_for_ever() {
        let mut copy = Follower::default();
        copy.on_state(1, "R1", false, Some("R1"));
        assert_eq!(copy.on_local_change("A"), change(1, "A"));
        assert_eq!(copy.on_local_change("AB"), Step::Nothing, "waits for the answer");
        copy.on_refused();
        assert_eq!(copy.on_local_change("AB"), change(1, "AB"), "sent again");
        copy.on_refused();
        assert_eq!(copy.on_state(2, "R2", false, Some("AB")), change(1, "AB"), "or with the next state");
    }

    #[test]
    fn nothing_is_sent_before_the_room_is_heard_from() {
        let mut copy = Follower::default();
        assert_eq!(copy.on_local_change("mine"), Step::Nothing, "the first state decides");
        assert_eq!(copy.on_state(2, "R2", false, Some("mine")), change(0, "mine"));
    }

    #[test]
    fn a_state_overtaken_by_a_newer_one_is_ignored() {
        let mut copy = Follower::default();
        copy.on_state(7, "R7", false, None);
        assert_eq!(copy.on_state(6, "R6", false, Some("R7")), Step::Nothing);
        assert_eq!(copy.on_local_change("R7"), Step::Nothing, "its own incident, taken: nothing to send");
    }
}
