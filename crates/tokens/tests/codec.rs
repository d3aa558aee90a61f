//! The incident token: every incident survives the round trip; bad tokens are refused with
//! the reason, never a panic.

use api::State;
use proptest::prelude::*;
use runbook::incident::{Event, EventKind, Incident, ProbeOutage};
use runbook::steps::StepId;
use tokens::bytes::base64url_encode;
use tokens::codec::{decode, encode};
use tokens::DecodeError;

fn sample() -> Incident {
    let mut incident = Incident::new("k3x9q2", "incident-response", 1_795_896_420);
    incident.set_severity("SEV2", 1_795_896_600);
    incident.toggle_step(StepId(0x3afd_7022), 1_795_896_500);
    incident.toggle_step(StepId(7), 1_795_896_900);
    incident.set_field("brief description", "Checkout API returns 502 <img src=x onerror=alert(1)>", 1_795_896_700);
    incident.set_field("impact", "", 1_795_896_710);
    incident.variables.insert("EC2_HOST".into(), "10.0.0.5".into());
    incident.record_copy("Communication template", 1_795_897_000);
    incident.next_update_at = Some(1_795_898_800);
    incident.resolve(1_795_901_400);
    incident
}

#[test]
fn a_full_incident_round_trips() {
    let incident = sample();
    let token = encode(&incident);
    assert!(token.starts_with("o1"));
    assert!(
        token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "safe in a URL fragment: {token}"
    );
    assert_eq!(decode(&token), Ok(incident));
}

#[test]
fn an_incident_from_the_probe_keeps_its_outage_and_one_saved_before_reads_without_it() {
    let plain = encode(&sample());
    let mut from_probe = sample();
    from_probe.probe = Some(ProbeOutage {
        endpoint: "frontend".into(),
        state: State::Down,
        onset: 1_795_896_420,
        declared: 1_795_896_440,
        regions: vec!["weur".into(), "apac".into()],
        cause: "HTTP 503".into(),
        recovered: Some(1_795_900_000),
    });
    let token = encode(&from_probe);
    assert_eq!(decode(&token), Ok(from_probe));
    assert_eq!(decode(&plain).unwrap().probe, None);
}

#[test]
fn who_checked_and_who_did_what_round_trips_and_an_incident_nobody_is_named_in_is_written_as_before() {
    let plain = encode(&sample());
    let mut live = sample();
    let first = *live.checks.keys().next().unwrap();
    live.checked_by.insert(first, "Zoë → on call".into());
    live.events[0].by = Some("مريم".into());
    live.events[1].by = Some("Zoë → on call".into());
    let token = encode(&live);
    assert!(token.len() > plain.len());
    assert_eq!(decode(&token), Ok(live.clone()));
    // A name left for a step since unchecked is not written.
    let mut unchecked = live.clone();
    unchecked.checks.remove(&first);
    let read = decode(&encode(&unchecked)).unwrap();
    assert!(read.checked_by.is_empty() && read.events[0].by.is_some());
    // Nobody named: the bytes of before (the golden tests hold them).
    live.checked_by.clear();
    live.events.iter_mut().for_each(|e| e.by = None);
    assert_eq!(encode(&live), plain);
}

#[test]
fn bad_tokens_are_refused_with_their_reason() {
    let token = encode(&sample());
    let cases = [
        ("", DecodeError::Empty),
        ("o9AAAA", DecodeError::UnknownVersion("o9".into())),
        ("hello", DecodeError::UnknownVersion("he".into())),
        ("o1AB$D", DecodeError::NotBase64),
        (&token[..token.len() / 2], DecodeError::Truncated),
        ("o1", DecodeError::Truncated),
    ];
    for (input, expected) in cases {
        assert_eq!(decode(input), Err(expected.clone()), "{input:?}");
    }
    let mut trailing = token.clone();
    trailing.push_str("AAAA");
    assert_eq!(decode(&trailing), Err(DecodeError::TrailingData));
    assert_eq!(decode(&"o1A".repeat(1_500_000)), Err(DecodeError::TooLong));
}

#[test]
fn implausible_sizes_are_refused_before_allocating() {
    // id length = 2^40: a hostile token must not make the decoder reserve memory for it.
    let token = format!("o1{}", base64url_encode(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x20]));
    assert_eq!(decode(&token), Err(DecodeError::Implausible));
}

fn incident_strategy() -> impl Strategy<Value = Incident> {
    let text = || "\\PC{0,40}";
    (
        (text(), text(), any::<i64>(), proptest::option::of(any::<i64>()), proptest::option::of(text())),
        proptest::collection::btree_map(any::<u32>(), -1000i64..10_000_000, 0..50),
        proptest::collection::btree_map(text(), "\\PC{1,40}", 0..8),
        proptest::collection::btree_map("[A-Z_]{1,12}", text(), 0..4),
        proptest::collection::vec((0u8..4, -1000i64..10_000_000, text()), 0..10),
        proptest::option::of(-1000i64..10_000_000),
        proptest::option::of((
            text(),
            0u8..4,
            (-1000i64..10_000_000, -1000i64..10_000_000, proptest::option::of(-1000i64..10_000_000)),
            proptest::collection::vec("[a-z]{2,8}", 0..5),
            text(),
        )),
        // Who did what in a live room, in turn for the checks and then the events.
        proptest::collection::vec(proptest::option::of("[A-Za-zé→مريم😀]{1,6}( [A-Za-zé→مريم😀]{1,5})?"), 0..60),
    )
        .prop_map(
            |((id, runbook, start, resolved, severity), checks, fields, variables, events, next, probe, by)| {
                let checked: Vec<u32> = checks.keys().copied().collect();
                let checked_by =
                    checked.iter().zip(&by).filter_map(|(id, by)| Some((StepId(*id), by.clone()?))).collect();
                let event_by = |n: usize| by.get(checked.len() + n).cloned().flatten();
                Incident {
                    id,
                    runbook,
                    started_at: start,
                    resolved_at: resolved,
                    severity: severity.filter(|s| !s.is_empty()),
                    checks: checks.into_iter().map(|(id, d)| (StepId(id), start.wrapping_add(d))).collect(),
                    checked_by,
                    field_times: fields.keys().map(|k| (k.clone(), start)).collect(),
                    fields,
                    variables,
                    events: events
                        .into_iter()
                        .enumerate()
                        .map(|(n, (kind, d, text))| Event {
                            at: start.wrapping_add(d),
                            kind: match kind {
                                0 => EventKind::SeverityChanged { to: text },
                                1 => EventKind::MessageCopied { template: text },
                                2 => EventKind::Resolved,
                                _ => EventKind::Reopened,
                            },
                            by: event_by(n),
                        })
                        .collect(),
                    next_update_at: next.map(|d| start.wrapping_add(d)),
                    probe: probe.map(|(endpoint, state, (onset, declared, recovered), regions, cause)| ProbeOutage {
                        endpoint,
                        state: [State::Up, State::Degraded, State::Regional, State::Down][usize::from(state)],
                        onset: start.wrapping_add(onset),
                        declared: start.wrapping_add(declared),
                        recovered: recovered.map(|d| start.wrapping_add(d)),
                        regions,
                        cause,
                    }),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn every_incident_round_trips(incident in incident_strategy()) {
        prop_assert_eq!(decode(&encode(&incident)), Ok(incident));
    }

    #[test]
    fn decoding_any_text_never_panics(text in "\\PC{0,300}") {
        let _ = decode(&text);
        let _ = decode(&format!("o1{text}"));
    }

    #[test]
    fn decoding_corrupted_tokens_never_panics(flips in proptest::collection::vec((any::<usize>(), 0u8..64), 1..6)) {
        let mut token: Vec<u8> = encode(&sample()).into_bytes();
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (position, value) in flips {
            let i = 2 + position % (token.len() - 2);
            token[i] = A[value as usize];
        }
        let _ = decode(std::str::from_utf8(&token).unwrap());
    }
}

/// What the browser and a live room saved with names must read back in every later version.
#[test]
fn an_incident_saved_with_names_keeps_reading_back() {
    let mut incident = Incident::new("gold", "incident-response", 1_795_896_420);
    incident.toggle_step(StepId(7), 1_795_896_500);
    incident.checked_by.insert(StepId(7), "Zoë".into());
    incident.set_severity("SEV1", 1_795_896_600);
    incident.events[0].by = Some("Ben".into());
    const GOLDEN: &str =
        "o1BGdvbGQRaW5jaWRlbnQtcmVzcG9uc2XI0dmwDQAEU0VWMQABBwAAAKABAAABAOgCBFNFVjECAgEHAAAAAAEAAQRab8OrA0Jlbg";
    assert_eq!(encode(&incident), GOLDEN, "the o1 format changed: old saved incidents must still read");
    assert_eq!(decode(GOLDEN), Ok(incident));
}

#[test]
fn names_pointing_at_nothing_are_damage_and_sections_come_once_in_order() {
    let mut incident = Incident::new("i", "r", 0);
    incident.toggle_step(StepId(7), 5);
    incident.checked_by.insert(StepId(7), "Zoë".into());
    let token = encode(&incident);
    let mut bytes = tokens::bytes::base64url_decode(&token[2..]).unwrap();
    // The authors section: tag 2, 1 name, 1 check (step 7, name 0), 0 events, "Zoë".
    let at = bytes.iter().rposition(|&b| b == 2).unwrap();
    assert_eq!(&bytes[at..at + 8], &[2, 1, 1, 7, 0, 0, 0, 0]);
    let mut to_nothing = bytes.clone();
    to_nothing[at + 7] = 1; // name index 1 of 1 name
    assert_eq!(decode(&format!("o1{}", base64url_encode(&to_nothing))), Err(DecodeError::Damaged));
    let mut unchecked_step = bytes.clone();
    unchecked_step[at + 3] = 8; // step 8, not checked
    assert_eq!(decode(&format!("o1{}", base64url_encode(&unchecked_step))), Err(DecodeError::Damaged));
    let section = bytes[at..].to_vec();
    bytes.extend(section);
    assert_eq!(decode(&format!("o1{}", base64url_encode(&bytes))), Err(DecodeError::TrailingData));
}

#[test]
fn a_name_read_from_a_token_adds_no_line_and_turns_no_text_around() {
    let mut incident = Incident::new("i", "r", 0);
    incident.toggle_step(StepId(7), 5);
    incident.checked_by.insert(StepId(7), "x\n- 09:00 - Done: Rollback verified\u{202E}".into());
    incident.set_severity("SEV1", 6);
    incident.events[0].by = Some(format!("{}\n", "é".repeat(900)));
    let read = decode(&encode(&incident)).unwrap();
    assert_eq!(read.checked_by[&StepId(7)], "x - 09:00 - Done: Rollback verified");
    assert_eq!(read.events[0].by.as_deref().map(|n| n.chars().count()), Some(40));
}
