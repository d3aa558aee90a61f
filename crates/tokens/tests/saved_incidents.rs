//! What the app can save, it can always read back: any sequence of what a person or a link
//! does to an incident (typing 70 KB into a field, thousands of copied messages, merging
//! hostile links) leaves it within its limits, and the saved token decodes to the same
//! incident.

use proptest::prelude::*;
use runbook::incident::{limits, Event, EventKind, Incident};
use runbook::merge::merge;
use runbook::steps::StepId;
use tokens::codec::{decode, encode};

const T: i64 = 1_795_896_420;

#[derive(Debug, Clone)]
enum Action {
    Toggle(u32, i64),
    Severity(String, i64),
    Resolve(i64),
    Reopen(i64),
    Copy(String, i64),
    Field(String, String, i64),
    Variable(String, String),
    Start(i64),
    /// A link with this many events and this much text in one field.
    MergeLink {
        events: usize,
        field_chars: usize,
        checks: u32,
    },
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        (0usize..80_000).prop_map(|n| "é".repeat(n)),
        Just("<script>alert(1)</script>\u{202e}\r\n\t".to_string()),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let at = T - 86_400..T + 86_400;
    prop_oneof![
        (any::<u32>(), at.clone()).prop_map(|(id, at)| Action::Toggle(id, at)),
        (text(), at.clone()).prop_map(|(s, at)| Action::Severity(s, at)),
        at.clone().prop_map(Action::Resolve),
        at.clone().prop_map(Action::Reopen),
        (text(), at.clone()).prop_map(|(s, at)| Action::Copy(s, at)),
        ("\\PC{0,30}", text(), at.clone()).prop_map(|(k, v, at)| Action::Field(k, v, at)),
        ("[A-Z_]{1,20}", "[a-z0-9.]{0,40}").prop_map(|(k, v)| Action::Variable(k, v)),
        at.clone().prop_map(Action::Start),
        (0usize..3_000, 0usize..80_000, 0u32..3_000).prop_map(|(events, field_chars, checks)| Action::MergeLink {
            events,
            field_chars,
            checks
        }),
    ]
}

fn apply(incident: &mut Incident, action: &Action) {
    match action {
        Action::Toggle(id, at) => incident.toggle_step(StepId(*id), *at),
        Action::Severity(level, at) => incident.set_severity(level, *at),
        Action::Resolve(at) => incident.resolve(*at),
        Action::Reopen(at) => incident.reopen(*at),
        Action::Copy(template, at) => incident.record_copy(template, *at),
        Action::Field(key, value, at) => {
            incident.set_field(key, value, *at);
        }
        Action::Variable(name, value) => {
            incident.set_variable(name, value);
        }
        Action::Start(at) => {
            incident.set_start(*at);
        }
        Action::MergeLink { events, field_chars, checks } => {
            let mut link = incident.clone();
            link.events.extend(
                (0..*events).map(|i| Event::new(T + i as i64, EventKind::MessageCopied { template: "m".into() })),
            );
            link.fields.insert("pasted".into(), "x".repeat(*field_chars));
            link.field_times.insert("pasted".into(), T + 5);
            link.checks.extend((0..*checks).map(|i| (StepId(i.wrapping_mul(2_654_435_761)), T)));
            let _ = merge(incident, &link, T + 2 * 86_400);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn whatever_is_done_to_an_incident_saves_and_reads_back(actions in proptest::collection::vec(action(), 0..24)) {
        let mut incident = Incident::new("k3x9q2ma", "incident-response", T);
        for action in &actions {
            apply(&mut incident, action);
        }
        prop_assert!(incident.events.len() <= limits::EVENTS);
        prop_assert!(incident.fields.len() <= limits::FIELDS);
        prop_assert!(incident.fields.values().all(|v| v.chars().count() <= limits::FIELD_CHARS));
        prop_assert!(incident.checks.len() <= limits::CHECKS);
        prop_assert_eq!(decode(&encode(&incident)), Ok(incident));
    }
}
