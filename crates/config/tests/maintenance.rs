//! `[[maintenance]]` written once or weekly, and every mistake in it named with its line.

use config::parse_config;

fn errors(text: &str) -> Vec<String> {
    parse_config(text).1.into_iter().map(|e| e.to_string()).collect()
}

#[test]
fn a_weekly_window_is_read_with_its_days_times_and_zone() {
    let (config, errors) = parse_config(
        "[[maintenance]]\ntitle = \"Patching\"\nevery = \"Tuesday, thu\"\nfrom = \"23:30\"\nuntil = \"00:30\"\ntime_zone = \"Europe/Berlin\"\n",
    );
    assert_eq!(errors, []);
    let window = &config.recurring[0];
    assert_eq!(window.days, [false, true, false, true, false, false, false]);
    assert_eq!((window.from_minute, window.until_minute), (23 * 60 + 30, 30));
    assert_eq!(window.zone_name, "Europe/Berlin");
    // Thursday 2026-12-03 23:30 CET is 22:30 UTC; it runs past midnight.
    let next = config.maintenance_windows(calendar::unix_seconds(2026, 12, 3, 12, 0, 0));
    assert_eq!(next.len(), 1);
    assert_eq!(next[0].start, calendar::unix_seconds(2026, 12, 3, 22, 30, 0));
    assert_eq!(next[0].end, calendar::unix_seconds(2026, 12, 3, 23, 30, 0));
    let during = calendar::unix_seconds(2026, 12, 3, 23, 0, 0);
    assert_eq!(config.maintenance_of("api", during).map(|m| m.title), Some("Patching".to_string()));
    assert_eq!(config.maintenance_of("api", during + 3600), None);
    // Without a zone, UTC; "weekday" is Monday to Friday.
    let (config, errors) =
        parse_config("[[maintenance]]\ntitle = \"x\"\nevery = \"weekday\"\nfrom = \"02:00\"\nuntil = \"03:00\"\n");
    assert_eq!(errors, []);
    assert_eq!(config.recurring[0].days, [true, true, true, true, true, false, false]);
    assert_eq!(config.recurring[0].zone, calendar::Zone::UTC);
}

#[test]
fn weekly_window_mistakes_are_named_with_their_line() {
    let window = |body: &str| errors(&format!("[[maintenance]]\ntitle = \"x\"\n{body}\n"));
    assert_eq!(
        window("every = \"sundae\"\nfrom = \"02:00\"\nuntil = \"03:00\""),
        ["outpost.toml:3: every \"sundae\": \"sundae\" is not a day (write \"sunday\", \"tuesday, thursday\", \"weekday\" or \"day\")"]
    );
    assert_eq!(
        window("every = \"sunday\""),
        ["outpost.toml:3: a weekly window needs from = \"02:00\" and until = \"03:00\""]
    );
    assert_eq!(
        window("every = \"sunday\"\nfrom = \"2am\"\nuntil = \"03:00\""),
        ["outpost.toml:4: \"2am\" is not a time of day such as \"02:00\""]
    );
    assert_eq!(
        window("every = \"sunday\"\nfrom = \"24:00\"\nuntil = \"03:00\""),
        ["outpost.toml:4: \"24:00\" is not a time of day such as \"02:00\""]
    );
    assert_eq!(
        window("every = \"sunday\"\nfrom = \"02:00\"\nuntil = \"02:00\""),
        ["outpost.toml:5: until must differ from from (a whole day is from = \"00:00\", until = \"23:59\")"]
    );
    let zone = window("every = \"sunday\"\nfrom = \"02:00\"\nuntil = \"03:00\"\ntime_zone = \"Mars/Olympus_Mons\"");
    assert_eq!(zone.len(), 1);
    assert!(zone[0].starts_with("outpost.toml:6: unknown time zone \"Mars/Olympus_Mons\""), "{zone:?}");
    assert_eq!(
        window("every = \"sunday\"\nfrom = \"02:00\"\nuntil = \"03:00\"\nstart = 2026-12-01T02:00:00Z\nend = 2026-12-01T03:00:00Z"),
        ["outpost.toml:1: a maintenance window has start and end (once), or every, from and until (weekly), not both"]
    );
    assert_eq!(
        window("start = 2026-12-01T02:00:00Z"),
        ["outpost.toml:1: a maintenance window has start and end (once), or every, from and until (weekly), not both"]
    );
}
