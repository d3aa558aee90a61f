//! The room's rules through the scenarios of a team at work: a change on the latest version
//! replaces (an uncheck holds), a copy that missed changes is merged (nothing lost, nothing
//! checked by mistake), every copy ends identical, and hostile changes leave the room as it
//! was.

use room::rules::{Outcome, Refusal, Room};
use runbook::incident::Incident;
use runbook::steps::StepId;
use tokens::codec::{decode, encode};

const T0: i64 = 1_780_000_000;

fn opened() -> (Room, Incident) {
    let incident = Incident::new("inc-1", "incident-response", T0);
    (Room::open(&encode(&incident), T0).unwrap(), incident)
}

/// A copy as a person holds it after taking the room's version.
fn copy_of(room: &Room) -> (u64, Incident) {
    (room.version, decode(&room.incident_token()).unwrap())
}

#[test]
fn a_change_on_the_latest_version_replaces_so_an_uncheck_holds() {
    let (mut room, _) = opened();
    let (base, mut ana) = copy_of(&room);
    ana.set_step(StepId(1), true, T0 + 10);
    assert_eq!(room.change(base, &encode(&ana), "Ana", T0 + 10), Ok(Outcome::Replaced));
    let (base, mut ana) = copy_of(&room);
    ana.set_step(StepId(1), false, T0 + 20);
    assert_eq!(room.change(base, &encode(&ana), "Ana", T0 + 20), Ok(Outcome::Replaced));
    assert!(room.incident.checks.is_empty(), "the uncheck holds");
    assert_eq!(room.version, 3);
}

#[test]
fn an_offline_copy_is_merged_and_everyone_ends_with_everything() {
    let (mut room, _) = opened();
    let (offline_base, mut ben) = copy_of(&room);
    // Ana checks a step and changes severity while Ben is offline.
    let (base, mut ana) = copy_of(&room);
    ana.set_step(StepId(1), true, T0 + 10);
    room.change(base, &encode(&ana), "Ana", T0 + 10).unwrap();
    let (base, mut ana) = copy_of(&room);
    ana.set_severity("SEV1", T0 + 30);
    room.change(base, &encode(&ana), "Ana", T0 + 30).unwrap();
    // Ben checks three steps and writes a field, offline, then reconnects.
    for step in [2, 3, 4] {
        ben.set_step(StepId(step), true, T0 + 15 + i64::from(step));
    }
    ben.set_field("brief description", "API returns 502 → é", T0 + 25);
    let outcome = room.change(offline_base, &encode(&ben), "Ben", T0 + 60).unwrap();
    assert!(matches!(outcome, Outcome::Merged(_)), "{outcome:?}");
    let checks: Vec<u32> = room.incident.checks.keys().map(|s| s.0).collect();
    assert_eq!(checks, [1, 2, 3, 4], "Ana's and Ben's checks, none other");
    assert_eq!(room.incident.severity.as_deref(), Some("SEV1"), "Ana's severity holds");
    assert_eq!(room.incident.fields.get("brief description").map(String::as_str), Some("API returns 502 → é"));
    let who: Vec<(u32, &str)> = room.incident.checked_by.iter().map(|(s, n)| (s.0, n.as_str())).collect();
    assert_eq!(who, [(1, "Ana"), (2, "Ben"), (3, "Ben"), (4, "Ben")], "who checked what");
    assert_eq!(room.incident.events.iter().map(|e| e.by.as_deref()).collect::<Vec<_>>(), [Some("Ana")]);
    // Both take the room's version: identical.
    let (_, ana_now) = copy_of(&room);
    let (_, ben_now) = copy_of(&room);
    assert_eq!(ana_now, ben_now);
    assert_eq!(ana_now, room.incident);
}

#[test]
fn two_edits_of_one_field_resolve_the_same_way_whatever_the_order() {
    let ends = |ana_first: bool| {
        let (mut room, _) = opened();
        let (base, mut ana) = copy_of(&room);
        let (_, mut ben) = copy_of(&room);
        ana.set_field("status", "investigating", T0 + 10);
        ben.set_field("status", "mitigated", T0 + 12);
        let (first, second) = if ana_first { (&ana, &ben) } else { (&ben, &ana) };
        room.change(base, &encode(first), "Ana", T0 + 20).unwrap();
        room.change(base, &encode(second), "Ana", T0 + 21).unwrap();
        room.incident.fields.get("status").cloned()
    };
    // The value edited last wins, in whichever order the two arrive.
    assert_eq!(ends(true).as_deref(), Some("mitigated"));
    assert_eq!(ends(false).as_deref(), Some("mitigated"));
}

#[test]
fn the_same_change_twice_changes_nothing_the_second_time() {
    let (mut room, _) = opened();
    let (base, mut ana) = copy_of(&room);
    ana.set_step(StepId(9), true, T0 + 5);
    let token = encode(&ana);
    assert_eq!(room.change(base, &token, "Ana", T0 + 5), Ok(Outcome::Replaced));
    // Replayed on its old base: merged, and nothing is new.
    assert_eq!(room.change(base, &token, "Ana", T0 + 6), Ok(Outcome::Unchanged));
    let (base, _) = copy_of(&room);
    assert_eq!(room.change(base, &token, "Ana", T0 + 7), Ok(Outcome::Unchanged));
    assert_eq!(room.version, 2);
}

#[test]
fn hostile_changes_are_refused_and_leave_the_room_as_it_was() {
    let (mut room, _) = opened();
    let before = room.clone();
    let mut other = Incident::new("inc-2", "incident-response", T0);
    other.set_step(StepId(1), true, T0);
    let mut future = decode(&room.incident_token()).unwrap();
    future.set_step(StepId(1), true, T0 + 100 * 365 * 86_400);
    let cases: Vec<(u64, String)> = vec![
        (1, "o1!!".into()),
        (1, String::new()),
        (1, "é→├──😀".into()),
        (1, encode(&other)),
        (99, room.incident_token()),
        (u64::MAX, room.incident_token()),
        (1, encode(&future)),
    ];
    for (base, token) in cases {
        let refused = room.change(base, &token, "Ana", T0 + 1).unwrap_err();
        assert!(!refused.to_string().is_empty());
        assert_eq!(room, before, "refused ({refused}) and unchanged");
    }
    assert!(matches!(room.change(99, &room.incident_token(), "Ana", T0), Err(Refusal::Ahead { base: 99, version: 1 })));
}

#[test]
fn a_room_ends_after_its_idle_time_counted_from_its_last_change() {
    let (mut room, _) = opened();
    let idle = room::limits::IDLE_SECONDS;
    assert!(!room.has_ended(T0 + idle - 1) && room.has_ended(T0 + idle));
    let (base, mut ana) = copy_of(&room);
    ana.set_step(StepId(1), true, T0 + idle - 10);
    room.change(base, &encode(&ana), "Ana", T0 + idle - 10).unwrap();
    assert!(!room.has_ended(T0 + idle), "a change keeps it open");
    assert!(!room.has_ended(i64::MIN) && room.has_ended(i64::MAX));
}
