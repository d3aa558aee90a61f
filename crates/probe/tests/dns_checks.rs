//! `dns://` checks: the config that declares them (every mistake refused with its reason),
//! and the outcome of each answer a DNS-over-HTTPS resolver can give, hostile ones included.

use api::Outcome;
use config::transport::Transport;
use config::{parse_config_for, Platform};
use probe::classify::{FetchFailure, Observation, Response};
use probe::dns::judge;
use probe::parse_config;

fn transport_of(url: &str) -> Result<Transport, Vec<String>> {
    let (config, errors) = parse_config(&format!("[[endpoint]]\nname = \"d\"\nurl = \"{url}\"\n"));
    if !errors.is_empty() {
        return Err(errors.into_iter().map(|e| e.message).collect());
    }
    Ok(config.endpoints[0].transport.clone())
}

#[test]
fn a_dns_url_names_the_record_and_the_values_expected() {
    let Transport::Dns { name, record_type, expect, query_url } =
        transport_of("dns://api.example.com?type=aaaa&expect=2001:db8::1,2001:DB8::2").unwrap()
    else {
        panic!("not a DNS check")
    };
    assert_eq!((name.as_str(), record_type.as_str()), ("api.example.com", "AAAA"));
    assert_eq!(expect, ["2001:db8::1", "2001:DB8::2"]);
    assert_eq!(query_url, "https://cloudflare-dns.com/dns-query?name=api.example.com&type=AAAA");
    let Transport::Dns { record_type, expect, .. } = transport_of("dns://example.com").unwrap() else { panic!() };
    assert_eq!((record_type.as_str(), expect.len()), ("A", 0), "A, anything, by default");
    let Transport::Dns { expect, .. } = transport_of("dns://example.com?type=TXT&expect=v%3Dspf1%20-all").unwrap()
    else {
        panic!()
    };
    assert_eq!(expect, ["v=spf1 -all"]);
    // A comma written is a separator; an encoded one belongs to the value.
    let dmarc = "dns://_dmarc.example.com?type=TXT&expect=v=DMARC1%3B%20rua=mailto:a@x.example%2Cmailto:b@x.example";
    let Transport::Dns { expect, .. } = transport_of(dmarc).unwrap() else { panic!() };
    assert_eq!(expect, ["v=DMARC1; rua=mailto:a@x.example,mailto:b@x.example"]);
    // The scheme in any case.
    assert!(matches!(transport_of("DNS://example.com"), Ok(Transport::Dns { .. })));
}

#[test]
fn what_only_an_http_probe_takes_is_refused_on_a_dns_check() {
    for extra in [
        "method = \"POST\"",
        "assert = ['contains \"x\"']",
        "expect_status = 200",
        "headers = { X = \"secret:T\" }",
        "follow_redirects = true",
    ] {
        let text = format!("[[endpoint]]\nname = \"d\"\nurl = \"dns://example.com\"\n{extra}\n");
        let errors: Vec<String> = parse_config(&text).1.into_iter().map(|e| e.message).collect();
        assert!(errors.iter().any(|e| e.contains("is a dns:// check: it takes no method")), "{extra}: {errors:?}");
    }
}

#[test]
fn a_dns_check_with_a_mistake_says_what_to_fix() {
    let cases = [
        ("dns://../..", "is not a host name"),
        ("dns://exa mple.com", "is not"),
        ("dns://example.com?type=ANY", "type \"ANY\" is not one of A, AAAA, CNAME, MX, NS, TXT, CAA"),
        ("dns://example.com?kind=A", "unknown parameter \"kind\""),
        ("dns://example.com?expect=%ZZ", "not valid percent-encoding"),
        ("dns://example.com?expect=1,2,3,4,5,6,7,8,9,10,11", "at most 10 expected values"),
        ("dns://é.example.com", "is not a host name"),
    ];
    for (url, expected) in cases {
        let errors = transport_of(url).expect_err(url);
        assert!(errors.iter().any(|e| e.contains(expected)), "{url}: {errors:?}");
    }
    let long = format!("dns://{}.com", "a".repeat(64));
    assert!(transport_of(&long).is_err(), "a label longer than 63");
}

#[test]
fn the_resolver_is_https_except_on_loopback_in_a_local_run() {
    let config = |resolver: &str, local: bool| {
        let text = format!(
            "[probe]\ndns_resolver = \"{resolver}\"\n[[endpoint]]\nname = \"d\"\nurl = \"dns://example.com\"\n"
        );
        parse_config_for(&text, Platform { local }).1.into_iter().map(|e| e.message).collect::<Vec<_>>()
    };
    assert_eq!(config("https://dns.google/resolve", false), Vec::<String>::new());
    assert!(config("http://127.0.0.1:8053/dns-query", false)[0].contains("must be an https address"));
    assert_eq!(config("http://127.0.0.1:8053/dns-query", true), Vec::<String>::new());
    assert!(config("https://dns.example/q?x=1", false)[0].contains("without a query"));
    assert!(config("https://", false)[0].contains("by host name"));
    assert!(config("https://10.0.0.53/dns-query", false)[0].contains("by host name"));
}

fn answer(status: u16, body: &str) -> Observation {
    Observation {
        elapsed_ms: 12,
        result: Ok(Response { status, location: None, body: body.as_bytes().to_vec(), truncated: false }),
    }
}

fn expect(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

#[test]
fn each_answer_of_the_resolver_has_its_outcome() {
    let a = r#"{"Status":0,"Answer":[{"name":"api.example.com.","type":5,"TTL":60,"data":"edge.example.net."},{"name":"edge.example.net.","type":1,"TTL":60,"data":"203.0.113.7"}]}"#;
    let failed = |reason: &str| Outcome::AssertionFailed { reason: reason.into() };
    let cases: Vec<(&str, &str, Vec<String>, Observation, Outcome)> = vec![
        ("A through a CNAME, as expected", "A", expect(&["203.0.113.7"]), answer(200, a), Outcome::Ok),
        (
            "the CNAME itself, any case, trailing dot",
            "CNAME",
            expect(&["EDGE.example.net"]),
            answer(200, a),
            Outcome::Ok,
        ),
        (
            "another address",
            "A",
            expect(&["203.0.113.9"]),
            answer(200, a),
            failed("api.example.com A is 203.0.113.7; expected 203.0.113.9"),
        ),
        ("no record of the type", "AAAA", vec![], answer(200, a), failed("api.example.com has no AAAA record")),
        (
            "no such name",
            "A",
            vec![],
            answer(200, r#"{"Status":3}"#),
            failed("api.example.com does not exist (NXDOMAIN)"),
        ),
        (
            "its servers failing",
            "A",
            vec![],
            answer(200, r#"{"Status":2,"Answer":[]}"#),
            failed("api.example.com's name servers failed to answer (SERVFAIL)"),
        ),
        (
            "the resolver failing",
            "A",
            vec![],
            answer(503, "busy"),
            Outcome::Unknown { reason: "the DNS resolver answered HTTP 503".into() },
        ),
        (
            "not JSON",
            "A",
            vec![],
            answer(200, "<html>"),
            Outcome::Unknown { reason: "the DNS resolver's answer is not DNS JSON".into() },
        ),
        (
            "no answer in time",
            "A",
            vec![],
            Observation { elapsed_ms: 5000, result: Err(FetchFailure::TimedOut) },
            Outcome::Unknown { reason: "the DNS resolver did not answer in time".into() },
        ),
        (
            "TXT split into strings",
            "TXT",
            expect(&["v=spf1 include:_spf.example.com -all"]),
            answer(
                200,
                r#"{"Status":0,"Answer":[{"type":16,"data":"\"v=spf1 include:_spf.example.com\" \" -all\""}]}"#,
            ),
            Outcome::Ok,
        ),
    ];
    for (what, record_type, expected, observation, outcome) in cases {
        assert_eq!(judge("api.example.com", record_type, &expected, &observation), outcome, "{what}");
    }
}

#[test]
fn a_hostile_answer_is_bounded_and_shown_as_text() {
    let data = format!("<script>{}</script>\u{202E}", "é".repeat(5_000));
    let body = serde_json::json!({ "Status": 0, "Answer": [{ "type": 1, "data": data }] }).to_string();
    let Outcome::AssertionFailed { reason } = judge("x.example", "A", &expect(&["203.0.113.7"]), &answer(200, &body))
    else {
        panic!("should fail")
    };
    // Cut at the bound, with an ellipsis saying so.
    assert_eq!(reason.chars().count(), probe::classify::MAX_OUTSIDE_CHARS + 1, "{reason}");
    assert!(reason.ends_with('…'));
    assert!(!reason.contains('\u{202E}'));
}
