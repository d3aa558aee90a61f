//! A copy changed again while its last send was on the way: what this person did since that
//! send (`sent` → `local`), applied on the room's answer (`room`, which holds the send and
//! everyone else's changes). So typing goes on while the room answers, and neither the keys
//! typed since nor the others' changes are lost; an uncheck made since holds.

use runbook::incident::Incident;

/// `room` with the changes `local` made since `sent`.
pub fn rebase(room: &Incident, sent: &Incident, local: &Incident) -> Incident {
    let mut out = room.clone();
    for (step, at) in &local.checks {
        if !sent.checks.contains_key(step) {
            out.checks.insert(*step, *at);
        }
    }
    for step in sent.checks.keys() {
        if !local.checks.contains_key(step) {
            out.checks.remove(step);
            out.checked_by.remove(step);
        }
    }
    let keys = local.fields.keys().chain(sent.fields.keys());
    for key in keys.cloned().collect::<std::collections::BTreeSet<String>>() {
        if local.fields.get(&key) != sent.fields.get(&key) {
            match local.fields.get(&key) {
                Some(value) => out.fields.insert(key.clone(), value.clone()),
                None => out.fields.remove(&key),
            };
            match local.field_times.get(&key) {
                Some(at) => out.field_times.insert(key.clone(), *at),
                None => out.field_times.remove(&key),
            };
        }
    }
    let names = local.variables.keys().chain(sent.variables.keys());
    for name in names.cloned().collect::<std::collections::BTreeSet<String>>() {
        if local.variables.get(&name) != sent.variables.get(&name) {
            match local.variables.get(&name) {
                Some(value) => out.variables.insert(name.clone(), value.clone()),
                None => out.variables.remove(&name),
            };
        }
    }
    if local.severity != sent.severity {
        out.severity = local.severity.clone();
    }
    if local.resolved_at != sent.resolved_at {
        out.resolved_at = local.resolved_at;
    }
    if local.next_update_at != sent.next_update_at {
        out.next_update_at = local.next_update_at;
    }
    if local.started_at != sent.started_at {
        out.started_at = local.started_at;
    }
    for event in local.events.iter().filter(|e| !sent.events.contains(e)) {
        if !out.events.contains(event) {
            out.events.push(event.clone());
        }
    }
    out.events.sort_by_key(|e| e.at);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use runbook::steps::StepId;

    #[test]
    fn keys_typed_and_unchecks_made_since_the_send_go_on_top_of_the_rooms_answer() {
        let mut sent = Incident::new("i", "r", 0);
        sent.set_step(StepId(1), true, 1);
        sent.set_field("brief", "Pay", 2);
        let mut local = sent.clone();
        local.set_field("brief", "Payments API 502", 2);
        local.set_step(StepId(1), false, 2);
        local.set_step(StepId(3), true, 2);
        let mut room = sent.clone();
        room.set_step(StepId(2), true, 2);
        room.set_severity("SEV1", 2);
        let out = rebase(&room, &sent, &local);
        assert_eq!(out.fields.get("brief").map(String::as_str), Some("Payments API 502"), "same-second keys kept");
        assert_eq!(out.checks.keys().map(|s| s.0).collect::<Vec<_>>(), [2, 3], "the uncheck holds, theirs kept");
        assert_eq!(out.severity.as_deref(), Some("SEV1"), "their severity kept");
    }

    #[test]
    fn nothing_changed_since_the_send_is_the_rooms_answer() {
        let mut sent = Incident::new("i", "r", 0);
        sent.set_field("brief", "x", 1);
        let mut room = sent.clone();
        room.set_step(StepId(7), true, 3);
        assert_eq!(rebase(&room, &sent, &sent), room);
    }
}
