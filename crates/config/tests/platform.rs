//! What Cloudflare refuses, the config refuses first, with the line and what to do: private
//! and loopback addresses, port 25, regions that are not where they say, numbers out of
//! range, and configs whose worst case would exhaust the free plan mid-outage. And a mistake
//! in one part of the file costs only that part.

use config::{parse_config, parse_config_for, Platform};

fn errors(text: &str) -> Vec<String> {
    parse_config(text).1.into_iter().map(|e| e.to_string()).collect()
}

fn endpoint(url: &str) -> String {
    format!("[[endpoint]]\nname = \"api\"\nurl = \"{url}\"\n")
}

#[test]
fn private_loopback_link_local_and_cgnat_addresses_are_refused_with_what_to_do() {
    for (url, kind) in [
        ("http://10.0.0.5:8765/api/health", "a private address"),
        ("http://172.20.1.1/", "a private address"),
        ("http://192.168.0.10/", "a private address"),
        ("http://127.0.0.1:8765/", "a loopback address"),
        ("http://169.254.169.254/latest/meta-data", "a link-local address"),
        ("http://100.100.100.100/", "a shared (CGNAT) address"),
        ("http://[fd00::1]:80/", "a private (unique local) address"),
        ("tcp://[::1]:5432", "a loopback address"),
        ("tcp://104.16.132.229:443", "one of Cloudflare's own addresses"),
    ] {
        let found = errors(&endpoint(url));
        assert_eq!(found.len(), 1, "{url}: {found:?}");
        assert!(found[0].starts_with("outpost.toml:3: "), "{url}: the line of the url: {found:?}");
        assert!(found[0].contains(kind), "{url}: {found:?}");
        assert!(found[0].contains("Cloudflare Tunnel hostname"), "{url}: says what to do instead: {found:?}");
    }
}

#[test]
fn port_25_and_localhost_are_refused_but_public_hosts_pass() {
    assert!(errors(&endpoint("tcp://mail.example.com:25"))[0].contains("port 25"));
    assert!(errors(&endpoint("http://localhost:8765/health"))[0].contains("this machine"));
    assert_eq!(errors(&endpoint("http://198.51.100.20:8765/health")), Vec::<String>::new());
    assert_eq!(errors(&endpoint("tcp://db.example.com:5432")), Vec::<String>::new());
}

#[test]
fn a_local_run_may_probe_loopback_servers_and_nothing_private() {
    let local = Platform { local: true };
    assert_eq!(parse_config_for(&endpoint("http://127.0.0.1:8765/"), local).1, []);
    assert_eq!(parse_config_for(&endpoint("http://localhost:8765/"), local).1, []);
    assert_eq!(parse_config_for(&endpoint("http://10.0.0.5/"), local).1.len(), 1);
}

#[test]
fn regions_that_do_not_spawn_objects_are_refused_and_repeats_count_once() {
    for (hint, advice) in [("sam", "\"enam\""), ("afr", "\"weur\""), ("me", "\"eeur\"")] {
        let found = errors(&format!("[probe]\nregions = [\"weur\", \"{hint}\"]\n"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("does not create Durable Objects") && found[0].contains(advice), "{found:?}");
    }
    let (config, errors) = parse_config("[probe]\nregions = [\"weur\", \"enam\", \"weur\"]\n");
    assert_eq!(errors, []);
    assert_eq!(config.regions, ["weur", "enam"]);
    assert_eq!(config.thresholds.quorum, 2, "a majority of two regions, not of three");
    assert_eq!(config.notes.len(), 1, "the repeat is noted");
}

#[test]
fn a_mistyped_key_in_one_endpoint_drops_only_that_endpoint() {
    let text = "[[endpoint]]\nname = \"api\"\nurl = \"https://api.example.com/\"\ntimout_ms = 500\n\n\
                [[endpoint]]\nname = \"web\"\nurl = \"https://www.example.com/\"\n";
    let (config, errors) = parse_config(text);
    assert_eq!(config.endpoints.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["web"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 4, "the line of the mistyped key: {}", errors[0]);
    assert!(errors[0].message.contains("unknown field `timout_ms`"), "{}", errors[0]);
}

#[test]
fn a_mistake_in_one_section_keeps_the_others() {
    let text = "[site]\ntitle = \"Status\"\ncolour = \"red\"\n\n[probe]\nquorum = \"two\"\n\n[variables]\nHOST = \"api.example.com\"\nPORT = 8080\n\n\
                [[endpoint]]\nname = \"api\"\nurl = \"https://{HOST}/health\"\n";
    let (config, errors) = parse_config(text);
    assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 6, 10], "{errors:?}");
    assert_eq!(config.endpoints.len(), 1);
    assert_eq!(config.endpoints[0].url, "https://api.example.com/health");
    assert_eq!(config.title, "Outpost", "the broken [site] falls back to its defaults");
}

#[test]
fn every_number_is_bounded_with_a_clear_error() {
    for (line, expected) in [
        ("max_body_bytes = 4294967295", "max_body_bytes must be between 1 and 1048576 (1 MB)"),
        ("max_body_bytes = 0", "max_body_bytes must be between 1 and 1048576 (1 MB)"),
        ("max_body_bytes = 99999999999", "invalid value"),
        ("timeout_ms = 0", "timeout_ms must be between 1 and 30000"),
        ("timeout_ms = 60001", "timeout_ms must be between 1 and 30000"),
        ("expect_status = 65535", "expect_status must be HTTP status codes (100 to 599)"),
        ("expect_status = 70000", "expect_status must be HTTP status codes (100 to 599)"),
        ("slow_ms = 0", "slow_ms (0) must be above 0"),
    ] {
        let found = errors(&format!("{}{line}\n", endpoint("https://api.example.com/")));
        assert_eq!(found.len(), 1, "{line}: {found:?}");
        assert!(found[0].contains(expected), "{line}: {found:?}");
        assert!(found[0].starts_with("outpost.toml:4: "), "{line}: {found:?}");
    }
}

#[test]
fn a_cadence_the_free_plan_cannot_sustain_is_refused_naming_one_that_fits() {
    let many: String = (0..30)
        .map(|i| format!("[[endpoint]]\nname = \"e{i}\"\nurl = \"https://e{i}.example.com/\"\ntimeout_ms = 10000\n"))
        .collect();
    let found = errors(&format!("[probe]\ninterval_seconds = 20\n{many}"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("outpost.toml:2: probing every 20 s would cost "), "{found:?}");
    assert!(found[0].contains("GB-s a day when every endpoint hangs"), "{found:?}");
    let fastest: u32 =
        found[0].split("interval_seconds = ").nth(1).and_then(|s| s.split(',').next()).unwrap().parse().unwrap();
    assert!(fastest > 20, "{found:?}");
    assert_eq!(errors(&format!("[probe]\ninterval_seconds = {fastest}\n{many}")), Vec::<String>::new());
    assert!(!errors(&format!("[probe]\ninterval_seconds = {}\n{many}", fastest - 1)).is_empty());
    // Unwritten, the interval is the fastest that fits, and a note says why.
    let (config, errors) = parse_config(&many);
    assert_eq!((errors, config.interval_seconds), (vec![], fastest));
    assert!(
        config.notes[0].message.starts_with(&format!("rounds are every {fastest} s, not 20")),
        "{:?}",
        config.notes
    );
}

#[test]
fn cadence_and_windows_are_checked_and_local_runs_may_probe_every_second() {
    for (line, expected) in [
        ("interval_seconds = 5", "interval_seconds must be between 10 and 3600"),
        ("recheck_seconds = 0", "recheck_seconds must be between 1 and 60"),
        ("confirm_seconds = 601", "confirm_seconds must be between 0 and 600"),
        ("flap_changes = 1", "flap_changes must be between 2 and 100"),
    ] {
        let found = errors(&format!("[probe]\n{line}\n"));
        assert_eq!(found, [format!("outpost.toml:2: {expected}")], "{line}");
    }
    let local = Platform { local: true };
    let (config, errors) = parse_config_for("[probe]\ninterval_seconds = 1\nconfirm_seconds = 2\n", local);
    assert_eq!((errors, config.interval_seconds, config.thresholds.confirm_seconds), (vec![], 1, 2));
}

#[test]
fn redirects_count_against_the_subrequest_budget() {
    let followers: String = (0..12)
        .map(|i| format!("[[endpoint]]\nname = \"e{i}\"\nurl = \"https://e{i}.example.com/\"\ntimeout_ms = 2000\nfollow_redirects = true\n"))
        .collect();
    let found = errors(&followers);
    assert!(found.iter().any(|e| e.contains("12 endpoints need up to 48 requests per region per round")), "{found:?}");
}

#[test]
fn alert_targets_keep_their_id_when_the_list_is_reordered() {
    let slack = "[[alert]]\nkind = \"slack\"\nurl = \"secret:SLACK\"\n";
    let discord = "[[alert]]\nkind = \"discord\"\nurl = \"secret:DISCORD\"\n";
    let ids = |text: &str| parse_config(text).0.alerts.into_iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(&format!("{slack}{discord}")), ["slack:SLACK", "discord:DISCORD"]);
    assert_eq!(ids(&format!("{discord}{slack}")), ["discord:DISCORD", "slack:SLACK"]);
    let twice = errors(&format!("{slack}{slack}"));
    assert!(twice[0].contains("two alert targets have the id \"slack:SLACK\""), "{twice:?}");
    assert_eq!(
        ids(&format!("{slack}[[alert]]\nid = \"oncall\"\nkind = \"slack\"\nurl = \"secret:SLACK\"\n")),
        ["slack:SLACK", "oncall"]
    );
}

#[test]
fn alert_targets_are_kept_to_eight_and_the_ninth_is_refused_on_its_line() {
    let target = |i: usize| format!("[[alert]]\nkind = \"webhook\"\nurl = \"secret:HOOK_{i}\"\n");
    let eight: String = (0..8).map(target).collect();
    assert_eq!(errors(&eight), Vec::<String>::new());
    let (config, found) = parse_config(&format!("{eight}{}", target(8)));
    assert_eq!(config.alerts.len(), 8, "the first eight are kept");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 25);
    assert!(found[0].message.contains("at most 8 alert targets"), "{}", found[0]);
}
