//! Who did what: the room names the person who sent a change on what that change added (a
//! step checked, a timeline entry), and keeps the names it already gave. A name in the
//! message itself is never believed: a client cannot put a change on someone else, nor take
//! one off them.

use runbook::incident::Incident;

/// Names `by` on what `after` holds that `before` did not, and gives everything else the
/// name `before` had for it (or none).
pub fn attribute(before: &Incident, after: &mut Incident, by: &str) {
    after.checked_by = after
        .checks
        .iter()
        .filter_map(|(step, at)| {
            // The same step checked at another time was unchecked and checked again: by `by`.
            let kept = before.checks.get(step) == Some(at);
            let name = if kept { before.checked_by.get(step).cloned() } else { Some(by.to_string()) };
            Some((*step, name?))
        })
        .collect();
    let mut taken = vec![false; before.events.len()];
    for event in &mut after.events {
        let same =
            before.events.iter().enumerate().position(|(n, e)| !taken[n] && e.at == event.at && e.kind == event.kind);
        event.by = match same {
            Some(n) => {
                taken[n] = true;
                before.events[n].by.clone()
            }
            None => Some(by.to_string()),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runbook::steps::StepId;

    #[test]
    fn what_a_change_adds_is_named_for_its_sender_and_what_was_there_keeps_its_name() {
        let mut before = Incident::new("i", "r", 0);
        before.set_step(StepId(1), true, 10);
        before.checked_by.insert(StepId(1), "Ana".into());
        before.set_step(StepId(2), true, 11); // checked before the room: nobody named
        before.set_severity("SEV2", 12);
        let mut after = before.clone();
        after.set_step(StepId(3), true, 20);
        after.set_step(StepId(2), false, 21);
        after.set_step(StepId(2), true, 22); // checked again
        after.set_severity("SEV1", 23);
        after.checked_by.insert(StepId(1), "Mallory".into()); // a forged name
        after.events[0].by = Some("Mallory".into());
        attribute(&before, &mut after, "Ben");
        let names: Vec<(u32, &str)> = after.checked_by.iter().map(|(s, n)| (s.0, n.as_str())).collect();
        assert_eq!(names, [(1, "Ana"), (2, "Ben"), (3, "Ben")]);
        let events: Vec<Option<&str>> = after.events.iter().map(|e| e.by.as_deref()).collect();
        assert_eq!(events, [None, Some("Ben")]);
    }

    #[test]
    fn an_unchecked_step_loses_its_name() {
        let mut before = Incident::new("i", "r", 0);
        before.set_step(StepId(1), true, 10);
        before.checked_by.insert(StepId(1), "Ana".into());
        let mut after = before.clone();
        after.checks.clear();
        attribute(&before, &mut after, "Ben");
        assert!(after.checked_by.is_empty());
    }
}
