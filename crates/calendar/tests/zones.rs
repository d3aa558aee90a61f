//! Every named zone against the tz database's own offsets (`zone_transitions.txt`, made from
//! Python's zoneinfo), and the wall clock mapped back to moments across the changes.

use calendar::{unix_seconds, Zone};

fn transitions() -> Vec<(String, i64, i32, i32)> {
    include_str!("zone_transitions.txt")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            (parts[0].to_string(), parts[1].parse().unwrap(), parts[2].parse().unwrap(), parts[3].parse().unwrap())
        })
        .collect()
}

#[test]
fn every_named_zone_changes_offset_when_the_tz_database_says_from_2025_to_2030() {
    let list = transitions();
    for name in Zone::names() {
        assert!(list.iter().any(|(zone, ..)| zone == name), "{name} is in the fixture");
    }
    for (name, at, before, after) in &list {
        let zone = Zone::parse(name).unwrap();
        assert_eq!(zone.offset_at(at - 1), *before, "{name} just before {at}");
        assert_eq!(zone.offset_at(*at), *after, "{name} at {at}");
    }
    // Between changes too: every zone, every day at noon UTC.
    for name in Zone::names() {
        let zone = Zone::parse(name).unwrap();
        let changes: Vec<&(String, i64, i32, i32)> = list.iter().filter(|(z, ..)| z == name).collect();
        for day in 0..6 * 365 {
            let at = unix_seconds(2025, 1, 1, 12, 0, 0) + day * 86_400;
            let expected = changes.iter().rev().find(|(_, t, ..)| *t <= at).map_or(changes[0].2, |c| c.3);
            assert_eq!(zone.offset_at(at), expected, "{name} on day {day}");
        }
    }
}

#[test]
fn a_wall_clock_time_maps_to_its_moment_even_where_clocks_jump() {
    let berlin = Zone::parse("Europe/Berlin").unwrap();
    let local = |h, m| unix_seconds(2026, 3, 29, h, m, 0);
    // 01:30 is before the jump (CET), 02:30 does not exist (taken on the standard clock,
    // so 03:30 CEST), 03:30 is after it (CEST).
    assert_eq!(berlin.to_utc(local(1, 30)), unix_seconds(2026, 3, 29, 0, 30, 0));
    assert_eq!(berlin.to_utc(local(2, 30)), unix_seconds(2026, 3, 29, 1, 30, 0));
    assert_eq!(berlin.to_utc(local(3, 30)), unix_seconds(2026, 3, 29, 1, 30, 0));
    // 02:30 on 25 October is shown twice: its first showing (CEST).
    assert_eq!(berlin.to_utc(unix_seconds(2026, 10, 25, 2, 30, 0)), unix_seconds(2026, 10, 25, 0, 30, 0));
    let sydney = Zone::parse("australia/sydney").unwrap();
    assert_eq!(
        sydney.to_utc(unix_seconds(2027, 1, 10, 2, 0, 0)),
        unix_seconds(2027, 1, 9, 15, 0, 0),
        "summer in January"
    );
}

#[test]
fn zones_are_written_as_offsets_rules_or_names_and_mistakes_say_what_is_accepted() {
    assert_eq!(Zone::parse("+05:30").unwrap().offset_at(0), 19_800);
    assert_eq!(Zone::parse("-03:00").unwrap().offset_at(0), -10_800);
    assert_eq!(Zone::parse("UTC").unwrap(), Zone::UTC);
    let rule = Zone::parse("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
    assert_eq!(rule, Zone::parse("Europe/Paris").unwrap());
    for bad in ["Mars/Olympus_Mons", "+25:00", "CET-1CEST", "CET-1CEST,J60,J300", "", "→", "ÉTÉ-1", "+05:30:00:00"]
    {
        let error = Zone::parse(bad).unwrap_err();
        assert!(error.contains("Europe/Berlin"), "{bad:?}: {error}");
    }
}
