//! Share links: whole incidents in a few hundred characters, surviving runbook edits, and
//! refusing damaged or hostile input with a reason.

mod common;

use common::realistic::{full_incident, START};

use common::team_runbook_source;
use runbook::incident::Incident;
use runbook::{parse, Runbook};
use tokens::share::{decode, encode, token_from_fragment};
use tokens::DecodeError;

fn team() -> Runbook {
    parse("incident-response.md", team_runbook_source())
}

fn round_trip(incident: &Incident, runbook: &Runbook) -> tokens::share::Shared {
    let token = encode(incident, Some(runbook)).expect("fits in a link");
    decode(&token, &|slug| (slug == runbook.slug).then_some(runbook)).expect("decodes")
}

/// Steps travel by full id (4 bytes each) so that none is ever checked by mistake; a whole
/// incident still fits in a link every chat tool and browser keeps.
#[test]
fn a_fully_checked_and_filled_incident_fits_in_800_characters() {
    let runbook = team();
    let token = encode(&full_incident(&runbook), Some(&runbook)).expect("fits in a link");
    println!("full incident: {} characters", token.len());
    assert!(token.len() <= 800, "{} characters", token.len());
}

#[test]
fn ten_checked_steps_fit_in_200_characters() {
    let runbook = team();
    let mut incident = Incident::new("k3x9q2ma", "incident-response", START);
    incident.set_severity("SEV1", START + 30);
    for step in runbook.steps.iter().take(10) {
        incident.toggle_step(step.id, START + 200);
    }
    let token = encode(&incident, Some(&runbook)).expect("fits in a link");
    println!("ten steps: {} characters", token.len());
    assert!(token.len() <= 200, "{} characters", token.len());
}

#[test]
fn the_shared_incident_is_the_same_incident_to_the_minute() {
    let runbook = team();
    let original = full_incident(&runbook);
    let shared = round_trip(&original, &runbook);
    assert!(shared.runbook_found);
    assert_eq!(shared.orphaned, 0);
    let copy = shared.incident;
    assert_eq!((copy.id.as_str(), copy.runbook.as_str()), ("k3x9q2ma", "incident-response"));
    assert_eq!((copy.started_at, copy.resolved_at), (original.started_at, original.resolved_at));
    assert_eq!(copy.severity, original.severity);
    assert_eq!(copy.fields, original.fields);
    assert_eq!(copy.variables, original.variables);
    let to_minute = |t: i64| t - t.rem_euclid(60);
    let checks: Vec<_> = original.checks.iter().map(|(id, at)| (*id, to_minute(*at))).collect();
    assert_eq!(copy.checks.into_iter().collect::<Vec<_>>(), checks);
    let events: Vec<_> = original.events.iter().map(|e| (to_minute(e.at), e.kind.clone())).collect();
    assert_eq!(copy.events.into_iter().map(|e| (e.at, e.kind)).collect::<Vec<_>>(), events);
    assert_eq!(copy.next_update_at, original.next_update_at.map(to_minute));
}

/// Whoever opens the link of an incident started from the probe's outage follows the probe
/// too: its onset, declaration, recovery, regions and cause arrive to the second.
#[test]
fn a_link_carries_the_outage_the_incident_was_started_from() {
    let runbook = team();
    let mut incident = full_incident(&runbook);
    incident.probe = Some(runbook::incident::ProbeOutage {
        endpoint: "api".into(),
        state: api::State::Down,
        onset: START - 95,
        declared: START - 33,
        regions: vec!["weur".into(), "enam".into(), "apac".into()],
        cause: "HTTP 503 <b>&".into(),
        recovered: Some(START + 1_234),
    });
    let with = encode(&incident, Some(&runbook)).expect("fits in a link");
    let copy = round_trip(&incident, &runbook).incident;
    assert_eq!(copy.probe, incident.probe);
    incident.probe = None;
    let without = encode(&incident, Some(&runbook)).expect("fits in a link");
    assert!(with.len() - without.len() < 60, "the outage costs {} characters", with.len() - without.len());
    assert_eq!(round_trip(&incident, &runbook).incident.probe, None);
}

#[test]
fn a_link_still_applies_after_the_runbook_is_edited_and_lost_steps_are_counted() {
    let runbook = team();
    let mut incident = Incident::new("abc", "incident-response", START);
    let labels = ["Quick health check all services", "Notify stakeholders", "Check resource usage", "Revenue impact"];
    for label in labels {
        let step = runbook.steps.iter().find(|s| s.label == label).expect("step");
        incident.toggle_step(step.id, START + 60);
    }
    let token = encode(&incident, Some(&runbook)).expect("fits in a link");
    let edited = parse(
        "incident-response.md",
        &team_runbook_source()
            .replace("- Revenue impact\n", "- Revenue impact\n- Regulatory exposure\n")
            .replace("### 1. Detection", "- [ ] Open the incident doc\n\n### 1. Detection")
            .replace("# Check resource usage\nfree -h", "# Check memory and disk\nfree -h"),
    );
    let shared = decode(&token, &|_| Some(&edited)).expect("decodes");
    let labels_now: Vec<&str> =
        edited.steps.iter().filter(|s| shared.incident.checks.contains_key(&s.id)).map(|s| s.label.as_str()).collect();
    assert_eq!(labels_now, ["Quick health check all services", "Revenue impact", "Notify stakeholders"]);
    assert_eq!(shared.orphaned, 1, "the edited step is listed as gone, not dropped");
    assert_eq!(shared.incident.checks.len(), 4);
}

#[test]
fn a_link_for_a_runbook_the_site_lacks_says_so_and_keeps_its_state() {
    let runbook = team();
    let incident = full_incident(&runbook);
    let token = encode(&incident, Some(&runbook)).expect("fits in a link");
    let shared = decode(&token, &|_| None).expect("decodes");
    assert!(!shared.runbook_found);
    assert_eq!(shared.incident.runbook, "incident-response");
    assert_eq!(shared.orphaned, runbook.steps.len());
    assert_eq!(shared.incident.checks.len(), runbook.steps.len());
}

#[test]
fn secrets_never_enter_a_link_even_when_typed_into_a_variable() {
    let runbook = team();
    let mut incident = Incident::new("abc", "incident-response", START);
    incident.variables.insert("ANTHROPIC_API_KEY".into(), "sk-secret-value".into());
    incident.variables.insert("EC2_HOST".into(), "10.0.0.5".into());
    let shared = round_trip(&incident, &runbook);
    assert_eq!(shared.incident.variables.into_iter().collect::<Vec<_>>(), [("EC2_HOST".into(), "10.0.0.5".into())]);
}

#[test]
fn text_from_a_link_comes_back_exactly_as_it_went_in() {
    let runbook = team();
    let mut incident = Incident::new("<script>alert(1)</script>", "incident-response", START);
    let hostile = "<img src=x onerror=alert(document.cookie)> \"quotes\" & ampersands \u{202e} ✓ \r\n\t end";
    incident.set_field("brief description", hostile, START);
    incident.set_field("a field this runbook never had", "kept by name", START);
    let shared = round_trip(&incident, &runbook);
    assert_eq!(shared.incident.id, "<script>alert(1)</script>");
    assert_eq!(shared.incident.fields["brief description"], hostile);
    assert_eq!(shared.incident.fields["a field this runbook never had"], "kept by name");
}

#[test]
fn damaged_and_foreign_links_are_refused_with_their_reason() {
    let runbook = team();
    let token = encode(&full_incident(&runbook), Some(&runbook)).expect("fits in a link");
    let find = |_: &str| Some(&runbook);
    let mut flipped = token.clone().into_bytes();
    flipped[40] = if flipped[40] == b'A' { b'B' } else { b'A' };
    let cases = [
        (String::new(), DecodeError::Empty),
        ("s9AAAA".to_string(), DecodeError::UnknownVersion("s9".into())),
        ("o1AAAA".to_string(), DecodeError::UnknownVersion("o1".into())),
        ("s1<script>".to_string(), DecodeError::NotBase64),
        ("s1AA".to_string(), DecodeError::Truncated),
        (token[..token.len() - 7].to_string(), DecodeError::Damaged),
        (String::from_utf8(flipped).unwrap(), DecodeError::Damaged),
    ];
    for (input, expected) in cases {
        assert_eq!(decode(&input, &find).map(|_| ()), Err(expected), "{input:?}");
    }
}

#[test]
fn fragments_are_read_as_people_paste_them() {
    assert_eq!(token_from_fragment("#s1AbC-_"), "s1AbC-_");
    assert_eq!(token_from_fragment("  #s1AbC%2D_ \n"), "s1AbC-_");
    assert_eq!(token_from_fragment(""), "");
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn decoding_any_fragment_never_panics(text in "\\PC{0,400}") {
            let runbook = team();
            let token = token_from_fragment(&text);
            let _ = decode(&token, &|_| Some(&runbook));
            let _ = decode(&format!("s1{token}"), &|_| Some(&runbook));
        }

        #[test]
        fn decoding_damaged_links_never_panics(cut in 0usize..600, flips in proptest::collection::vec((any::<usize>(), 0u8..64), 0..4)) {
            let runbook = team();
            let mut token: Vec<u8> = encode(&full_incident(&runbook), Some(&runbook)).expect("fits in a link").into_bytes();
            const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            for (position, value) in flips {
                let i = 2 + position % (token.len() - 2);
                token[i] = A[value as usize];
            }
            token.truncate(cut.max(2));
            let _ = decode(std::str::from_utf8(&token).unwrap(), &|_| Some(&runbook));
        }

        #[test]
        fn any_checked_subset_round_trips(mask in any::<u64>(), minutes in 0i64..600) {
            let runbook = team();
            let mut incident = Incident::new("id", "incident-response", START);
            for (i, step) in runbook.steps.iter().enumerate() {
                if mask >> (i % 64) & 1 == 1 {
                    incident.toggle_step(step.id, START + minutes * 60);
                }
            }
            let shared = round_trip(&incident, &runbook);
            prop_assert_eq!(shared.incident.checks, incident.checks);
            prop_assert_eq!(shared.orphaned, 0);
        }
    }
}

/// A link made with format s1 must open in every later version: if this fails, the token
/// format or its text model changed and old links would break. Bump the version instead.
/// Its checks are listed, never placed (see the next test).
#[test]
fn links_made_with_format_s1_keep_opening() {
    let runbook = team();
    let token = "s1N9rI0dmwDQQoAQAAAACVCgAB45AMAAEABAH7g9oomL59c5TaEoZkETjY8WFNXKgG8aExEwKJByn1eiwLck4";
    let shared = decode(token, &|_| Some(&runbook)).expect("an s1 link decodes");
    assert_eq!(shared.orphaned, 1, "its one check is listed as not placed");
    let incident = shared.incident;
    assert_eq!((incident.id.as_str(), incident.started_at), ("gold1", START));
    assert_eq!(incident.severity.as_deref(), Some("SEV2"));
    assert_eq!(incident.checks.values().copied().collect::<Vec<_>>(), [START + 300], "kept with its time");
    assert_eq!(incident.fields["brief description"], "Checkout API returns 502");
}

/// An `s1` link carries 8-bit fingerprints, which match an edited step about one time in
/// 256 (the golden link with its one checked command edited, tried 2,000 ways): nothing in
/// it proves the runbook unchanged, so no check of it is ever placed on a step.
#[test]
fn an_s1_link_never_places_a_check_on_an_edited_runbook() {
    let token = "s1N9rI0dmwDQQoAQAAAACVCgAB45AMAAEABAH7g9oomL59c5TaEoZkETjY8WFNXKgG8aExEwKJByn1eiwLck4";
    let (source, original) = (team_runbook_source(), team());
    let first = original.steps[0].label.clone();
    for serial in 0..2_000 {
        let edited_text = source.replacen(&first, &format!("{first} {serial}"), 1);
        let edited = parse("incident-response.md", &edited_text);
        assert_ne!(edited.steps[0].id, original.steps[0].id, "the edit changes the checked step");
        let shared = decode(token, &|_| Some(&edited)).expect("decodes");
        assert_eq!(shared.orphaned, 1, "edit {serial}: the check is listed as not placed");
        assert!(edited.steps.iter().all(|s| !shared.incident.checks.contains_key(&s.id)), "edit {serial}: on no step");
    }
}

/// A link made with format s2 must open in every later version (see the s1 test above).
#[test]
fn links_made_with_format_s2_keep_opening() {
    let runbook = team();
    let mut incident = Incident::new("gold2", "incident-response", START);
    incident.set_severity("SEV2", START + 60);
    incident.toggle_step(runbook.steps[0].id, START + 300);
    incident.set_field("brief description", "Checkout API returns 502", START + 120);
    let token = encode(&incident, Some(&runbook)).expect("fits in a link");
    const GOLDEN: &str = "s2M5vI0dmwDQQBInD9OgoB45AEAAEAAgH7g9oonKxk0mDzUkjcqWrjbKSYARRijxaRQz_nx5_8CKnCItM";
    assert_eq!(token, GOLDEN, "the s2 format changed: bump the version instead");
    let shared = decode(GOLDEN, &|_| Some(&runbook)).expect("an s2 link decodes");
    assert_eq!(shared.incident.checks.into_iter().collect::<Vec<_>>(), [(runbook.steps[0].id, START + 300)]);
    assert_eq!(shared.incident.fields["brief description"], "Checkout API returns 502");
}

/// A live room's incident names who checked a step and who made a timeline entry; a link
/// taken out of the room keeps them, in this form for good.
#[test]
fn a_link_out_of_a_live_room_is_an_s3_link_that_names_who_did_what_and_keeps_opening() {
    let runbook = team();
    let mut incident = Incident::new("gold3", "incident-response", START);
    incident.set_severity("SEV2", START + 60);
    incident.toggle_step(runbook.steps[0].id, START + 300);
    incident.toggle_step(runbook.steps[1].id, START + 360);
    incident.checked_by.insert(runbook.steps[0].id, "Zoë → on call".into());
    incident.events[0].by = Some("مريم".into());
    let token = encode(&incident, Some(&runbook)).expect("fits in a link");
    const GOLDEN: &str =
        "s3E3LI0dmwDRQCJ_UJNQwicP06CgAAAQACAQIBInD9OgABAAH7g9oooGx_jVAQpznYQOUu0fpYW9hIieCE4tDRnSoZKHWgAQ33bmXtXUgQGg";
    assert_eq!(token, GOLDEN, "the s3 format changed: bump the version instead");
    // The same bytes as an `s2` link: the names' bit means nothing there, as it meant
    // nothing to the versions that wrote s2, so the link is not read as one with names.
    assert!(decode(&GOLDEN.replacen("s3", "s2", 1), &|_| Some(&runbook)).is_err());
    let shared = decode(GOLDEN, &|_| Some(&runbook)).expect("decodes");
    assert_eq!(shared.incident.checked_by.get(&runbook.steps[0].id).map(String::as_str), Some("Zoë → on call"));
    assert_eq!(shared.incident.checked_by.len(), 1, "the second step was checked by nobody named");
    assert_eq!(shared.incident.events[0].by.as_deref(), Some("مريم"));
}
