//! outpost.toml: valid files parse, and every mistake is reported with its line.

use config::{parse_config, HeaderValue, DEFAULT_REGIONS};

const VALID: &str = r#"
[site]
title = "Aragora status"

[variables]
EC2_HOST = "api.aragora.example"

[probe]
regions = ["weur", "enam", "apac"]
fail_ticks = 2

[[endpoint]]
name = "api"
url = "http://{EC2_HOST}:8765/api/health"
assert = ['.status == "ok"']
slow_ms = 1500
timeout_ms = 5000
headers = { Authorization = "secret:HEALTH_TOKEN", Accept = "application/json" }
runbook = "incident-response#complete-service-outage-sev1"

[[endpoint]]
name = "frontend"
url = "https://aragora.live/api/health"
expect_status = [200, 204]
"#;

#[test]
fn a_valid_file_gives_its_endpoints_with_variables_filled_in() {
    let (config, errors) = parse_config(VALID);
    assert_eq!(errors, []);
    assert_eq!(config.title, "Aragora status");
    assert_eq!(config.regions, ["weur", "enam", "apac"]);
    let t = config.thresholds;
    assert_eq!((t.quorum, t.recheck_seconds, t.confirm_seconds, t.recover_seconds), (2, 5, 20, 60));
    assert_eq!(config.interval_seconds, 20);
    assert_eq!(
        config.notes.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
        ["outpost.toml:10: fail_ticks is no longer used: read as confirm_seconds = 20 (fail_ticks - 1 intervals); write confirm_seconds instead"]
    );
    let api = &config.endpoints[0];
    assert_eq!(api.url, "http://api.aragora.example:8765/api/health");
    assert_eq!((api.slow_ms, api.timeout_ms, api.line), (1500, 5000, 12), "the line of its [[endpoint]]");
    assert_eq!(
        api.headers,
        [
            ("Accept".to_string(), HeaderValue::Plain("application/json".into())),
            ("Authorization".to_string(), HeaderValue::Secret("HEALTH_TOKEN".into()))
        ]
    );
    assert_eq!(config.endpoints[1].expect_status, [200..201, 204..205]);
}

#[test]
fn the_site_only_file_is_a_probe_config_with_no_endpoints() {
    let (config, errors) = parse_config("[site]\ntitle = \"Outpost\"\n\n[variables]\n");
    assert_eq!(errors, []);
    assert!(config.endpoints.is_empty());
    assert_eq!(config.regions, DEFAULT_REGIONS);
}

fn errors(text: &str) -> Vec<String> {
    parse_config(text).1.into_iter().map(|e| e.to_string()).collect()
}

fn endpoint(body: &str) -> String {
    format!("[variables]\nHOST = \"example.com\"\n\n[[endpoint]]\nname = \"api\"\n{body}\n")
}

#[test]
fn each_mistake_is_reported_with_its_line() {
    let cases: Vec<(String, &str)> = vec![
        (endpoint("url = \"ftp://example.com\""), "outpost.toml:6: \"ftp://example.com\": only http, https, tcp and dns endpoints can be probed"),
        (endpoint("url = \"example.com/health\""), "outpost.toml:6: \"example.com/health\" is not a URL: write it as http://host/path"),
        (endpoint("url = \"http://{NOPE}/x\""), "outpost.toml:6: unknown variable {NOPE}: define it under [variables], such as NOPE = \"api.example.com\""),
        (endpoint("url = \"https://198.51.100.20/health\""), "outpost.toml:6: \"https://198.51.100.20/health\": https to a raw IP address cannot be verified (certificates name hosts). Use the host's DNS name, or http:// to probe the IP over a TCP socket"),
        (endpoint("url = \"tcp://db.example.com\""), "outpost.toml:6: \"tcp://db.example.com\": a tcp check needs a port, such as tcp://db.example.com:5432"),
        (endpoint("url = \"http://user:pw@example.com/\""), "outpost.toml:6: \"http://user:pw@example.com/\" carries credentials: send them as a header with a secret, such as Authorization = \"secret:HEALTH_TOKEN\""),
        (endpoint("url = \"http://example.com:99999/\""), "outpost.toml:6: \"http://example.com:99999/\": \"99999\" is not a port number"),
        (endpoint("url = \"http://{HOST}/\"\nassert = ['.status = \"ok\"']"), "outpost.toml:7: assert \".status = \\\"ok\\\"\": \"status = \\\"ok\\\"\" is not a field name in the path \".status = \\\"ok\\\"\""),
        (endpoint("url = \"http://{HOST}/\"\nassert = ['.latency < \"fast\"']"), "outpost.toml:7: assert \".latency < \\\"fast\\\"\": < compares numbers; \"fast\" is not a number"),
        (endpoint("url = \"http://{HOST}/\"\nslow_ms = 5000\ntimeout_ms = 3000"), "outpost.toml:7: slow_ms (5000) must be above 0 and below timeout_ms (3000), or nothing is ever slow"),
        (endpoint("url = \"http://{HOST}/\"\nexpect_status = 700"), "outpost.toml:7: expect_status must be HTTP status codes (100 to 599), such as 200 or [200, 204]"),
        (endpoint("url = \"http://{HOST}/\"\nheaders = { X = \"secret:\" }"), "outpost.toml:7: a secret header is written \"secret:NAME\", NAME being a Worker secret (A-Z, 0-9, _)"),
        (endpoint("url = \"http://{HOST}/\"\nmethod = \"FETCH\""), "outpost.toml:7: unknown method \"FETCH\""),
        ("[probe]\nregions = [\"mars\"]\n".to_string(), "outpost.toml:2: unknown region \"mars\": regions are Cloudflare location hints, one of wnam, enam, weur, eeur, apac, oc"),
        ("[probe]\nquorum = 5\n".to_string(), "outpost.toml:2: quorum must be between 1 and the number of regions (3)"),
        ("[[endpoint]]\nname = \"a b\"\nurl = \"http://x.io/\"\n".to_string(), "outpost.toml:2: endpoint name \"a b\" must be 1 to 64 letters, digits, '-', '_' or '.' (it is part of API addresses)"),
        ("[[endpoint]]\nname = \"api\"\nurl = \"http://x.io/\"\n[[endpoint]]\nname = \"api\"\nurl = \"http://y.io/\"\n".to_string(), "outpost.toml:5: two endpoints are named \"api\": names must be unique"),
        ("[site]\ntitle = \"x\"\ncolour = \"red\"\n".to_string(), "outpost.toml:3: unknown field `colour`, expected one of `title`, `url`, `probe_api`"),
        ("[[endpoint]]\nname = \"api\"\n".to_string(), "outpost.toml:1: missing field `url`"),
        ("title = \n".to_string(), "outpost.toml:1: string values must be quoted, expected literal string"),
    ];
    for (text, expected) in cases {
        assert_eq!(errors(&text), [expected], "{text}");
    }
}

#[test]
fn raw_ip_hosts_are_probed_over_tcp_and_the_config_says_so() {
    use config::transport::Transport;
    let text = "[[endpoint]]\nname = \"ec2\"\nurl = \"http://198.51.100.20:8765/api/health\"\n[[endpoint]]\nname = \"db\"\nurl = \"tcp://db.example.com:5432\"\n";
    let (config, errors) = parse_config(text);
    assert_eq!(errors, []);
    assert_eq!(
        config.endpoints[0].transport,
        Transport::Http1 { host: "198.51.100.20".into(), port: 8765, path: "/api/health".into() }
    );
    assert_eq!(config.endpoints[1].transport, Transport::Tcp { host: "db.example.com".into(), port: 5432 });
    assert_eq!(
        config.notes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["outpost.toml:3: endpoint \"ec2\": 198.51.100.20 is an IP address, which Workers fetch() refuses: this endpoint is probed with plain HTTP/1.1 over a TCP socket (connect()), with the same checks"]
    );
}

#[test]
fn a_bad_endpoint_is_left_out_and_the_good_ones_kept() {
    let text = "[[endpoint]]\nname = \"good\"\nurl = \"http://x.io/\"\n[[endpoint]]\nname = \"bad\"\nurl = \"ftp://1.2.3.4/\"\n";
    let (config, errors) = parse_config(text);
    assert_eq!(config.endpoints.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["good"]);
    assert_eq!(errors.len(), 1);
}

#[test]
fn more_endpoints_than_a_region_may_fetch_per_tick_is_refused() {
    let text: String =
        (0..51).map(|i| format!("[[endpoint]]\nname = \"e{i}\"\nurl = \"http://e{i}.example.com/\"\n")).collect();
    let (_, errors) = parse_config(&text);
    assert_eq!(
        errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>(),
        [
            "51 endpoints need up to 51 requests per region per round (redirects count), more than the 45 a Worker can make on the free plan (50, less 5 kept free): probe fewer endpoints, or turn off follow_redirects",
        ]
    );
}

mod fuzz {
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "[site]\n",
        "[variables]\n",
        "[probe]\n",
        "[[endpoint]]\n",
        "name = \"a\"\n",
        "url = \"http://{H}/x\"\n",
        "H = \"h.io\"\n",
        "url = \"http://1.2.3.4\"\n",
        "assert = ['.a == 1', 'contains \"x\"']\n",
        "assert = ['.[']\n",
        "regions = [\"weur\"]\n",
        "quorum = 0\n",
        "timeout_ms = 0\n",
        "expect_status = [\"x\"]\n",
        "headers = { A = \"secret:B\" }\n",
        "= \n",
        "\"\n",
        "[[\n",
        "{\n",
        "ü",
        "\0",
        "\n",
    ];

    proptest! {
        #[test]
        fn any_config_text_gives_a_config_or_errors_never_a_panic(parts in prop::collection::vec(prop::sample::select(PIECES), 0..40)) {
            let text = parts.concat();
            let (config, errors) = config::parse_config(&text);
            for error in &errors {
                prop_assert!(error.line >= 1 && error.line as usize <= text.lines().count().max(1) + 1, "{}", error);
            }
            prop_assert!(!config.regions.is_empty());
        }
    }
}

#[test]
fn the_example_outpost_toml_shows_every_section_and_has_no_mistakes() {
    let (config, errors) = parse_config(include_str!("../../../examples/outpost.toml"));
    assert_eq!(errors, [], "outpost.toml at the repository root must build as is");
    assert!(!config.variables.is_empty(), "[variables]");
    assert!(!config.endpoints.is_empty(), "[[endpoint]]");
    assert!(!config.alerts.is_empty(), "[[alert]]");
    assert!(!config.maintenance.is_empty(), "[[maintenance]]");
    assert_eq!(config.regions, ["weur", "enam", "apac"], "[probe]");
    assert_eq!(config.title, "Outpost", "[site]");
}
