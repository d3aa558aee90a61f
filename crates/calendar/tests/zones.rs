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
    // 01:30 is before the jump (CET), 02:30 is never shown (taken as the jump, 01:00 UTC),
    // 03:30 is after it (CEST).
    assert_eq!(berlin.to_utc(local(1, 30)), unix_seconds(2026, 3, 29, 0, 30, 0));
    assert_eq!(berlin.to_utc(local(2, 30)), unix_seconds(2026, 3, 29, 1, 0, 0));
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

#[test]
fn the_tz_databases_own_dublin_rule_with_winter_as_daylight_saving_maps_both_changes() {
    // Irish Standard Time is summer's; GMT is written as the "daylight" offset, negative.
    let dublin = Zone::parse("IST-1GMT0,M10.5.0,M3.5.0/1").unwrap();
    let wall = Zone::parse("Europe/Dublin").unwrap();
    for day in 0..2 * 365 {
        let at = unix_seconds(2026, 1, 1, 0, 30, 0) + day * 86_400;
        assert_eq!(dublin.offset_at(at), wall.offset_at(at), "day {day}");
    }
    // 01:30 on 25 October is shown twice: its first showing, 00:30 UTC.
    assert_eq!(dublin.to_utc(unix_seconds(2026, 10, 25, 1, 30, 0)), unix_seconds(2026, 10, 25, 0, 30, 0));
    // 01:30 on 29 March is never shown: the jump, 01:00 UTC.
    assert_eq!(dublin.to_utc(unix_seconds(2026, 3, 29, 1, 30, 0)), unix_seconds(2026, 3, 29, 1, 0, 0));
}

#[test]
fn a_rule_whose_time_passes_the_end_of_the_year_still_changes_on_time() {
    // Daylight saving ends at "168 hours after the last Sunday of December" begins: the
    // first days of the next year.
    let zone = Zone::parse("AAA-1BBB,M6.1.0,M12.5.0/167").unwrap();
    let end_2026 = unix_seconds(2026, 12, 27, 0, 0, 0) + 167 * 3600 - 2 * 3600;
    assert_eq!(zone.offset_at(end_2026 - 1), 7200);
    assert_eq!(zone.offset_at(end_2026), 3600);
}

#[test]
fn any_moment_at_all_gives_an_offset_and_back_without_panicking() {
    for name in ["Europe/Berlin", "Australia/Sydney", "Asia/Jerusalem", "+05:30", "UTC"] {
        let zone = Zone::parse(name).unwrap();
        for at in [i64::MIN, i64::MIN + 1, -1, 0, 4_102_444_800, i64::MAX - 1, i64::MAX] {
            let offset = zone.offset_at(at);
            assert!(offset.abs() <= 14 * 3600, "{name} at {at}");
            let _ = zone.to_utc(at);
        }
    }
}
