//! Assertions and classification: what a response means.

use api::Outcome;
use config::assertion::parse;
use probe::assertion::{check, Body};
use probe::classify::{classify, classify_error, FetchFailure, Observation, Response};
use probe::parse_config;

fn assert_on(assertion: &str, body: &str) -> Result<(), String> {
    check(&parse(assertion).expect("valid assertion"), &mut Body::new(body))
}

#[test]
fn assertions_check_bodies_as_jq_and_grep_would() {
    let body = r#"{"status":"ok","checks":{"db":"up"},"latency_ms":120,"providers":[{"name":"openrouter","up":true}],"beta":false}"#;
    let cases: &[(&str, Result<(), &str>)] = &[
        (r#".status == "ok""#, Ok(())),
        (r#".status != "ok""#, Err(r#".status is "ok", expected != "ok""#)),
        (r#".checks.db == "down""#, Err(r#".checks.db is "up", expected == "down""#)),
        (".latency_ms < 500", Ok(())),
        (".latency_ms >= 500", Err(".latency_ms is 120, expected >= 500")),
        (".providers[0].up == true", Ok(())),
        (".providers[3].up", Err(".providers[3].up is missing")),
        (".status", Ok(())),
        (".beta", Err(".beta is false")),
        (r#"contains "openrouter""#, Ok(())),
        (r#"not contains "error""#, Ok(())),
        (r#"contains "healthy""#, Err(r#"body does not contain "healthy""#)),
    ];
    for (assertion, expected) in cases {
        assert_eq!(assert_on(assertion, body), expected.map_err(str::to_string), "{assertion}");
    }
    assert_eq!(
        assert_on(r#".status == "ok""#, "<html>502 Bad Gateway</html>"),
        Err(r#"body is not JSON (needed for .status == "ok")"#.into())
    );
}

#[test]
fn malformed_assertions_are_refused_with_a_reason() {
    for (text, reason) in [
        (
            "status == ok",
            "expected `contains \"text\"`, `not contains \"text\"` or a JSON path such as `.status == \"ok\"`",
        ),
        (".status == ok", "\"ok\" is not a JSON value: quote strings (\"ok\"), or write a number, true, false or null"),
        ("contains healthy", "expected a quoted text after contains, such as contains \"healthy\", found \"healthy\""),
        (".items[x] == 1", "\"x\" is not an array index"),
    ] {
        assert_eq!(parse(text), Err(reason.to_string()), "{text}");
    }
}

fn endpoint(extra: &str) -> probe::Endpoint {
    let text = format!("[[endpoint]]\nname = \"api\"\nurl = \"http://api.example.com/health\"\nslow_ms = 500\n{extra}");
    let (config, errors) = parse_config(&text);
    assert_eq!(errors, []);
    config.endpoints.into_iter().next().unwrap()
}

fn response(status: u16, body: &str, elapsed_ms: u32) -> Observation {
    Observation {
        elapsed_ms,
        result: Ok(Response { status, location: None, body: body.as_bytes().to_vec(), truncated: false }),
    }
}

#[test]
fn observations_are_classified() {
    let plain = endpoint("");
    let checked = endpoint("assert = ['.status == \"ok\"']");
    let cases = [
        (&plain, response(200, "fine", 80), Outcome::Ok),
        (&plain, response(200, "fine", 900), Outcome::Slow),
        (&plain, response(500, "oops", 80), Outcome::HttpStatus { status: 500 }),
        (
            &checked,
            response(200, r#"{"status":"degraded"}"#, 80),
            Outcome::AssertionFailed { reason: r#".status is "degraded", expected == "ok""#.into() },
        ),
        (
            &checked,
            response(200, "{not json", 80),
            Outcome::AssertionFailed { reason: r#"body is not JSON (needed for .status == "ok")"#.into() },
        ),
        (&checked, response(503, r#"{"status":"ok"}"#, 80), Outcome::HttpStatus { status: 503 }),
        (&plain, Observation { elapsed_ms: 10_000, result: Err(FetchFailure::TimedOut) }, Outcome::Timeout),
        (
            &plain,
            Observation {
                elapsed_ms: 30,
                result: Ok(Response { status: 301, location: Some("/login".into()), body: vec![], truncated: false }),
            },
            Outcome::Redirect { location: Some("/login".into()) },
        ),
        (
            &plain,
            Observation {
                elapsed_ms: 30,
                result: Ok(Response { status: 200, location: None, body: vec![b'x'; 10], truncated: true }),
            },
            Outcome::BodyTooLarge,
        ),
    ];
    for (endpoint, observation, expected) in cases {
        assert_eq!(classify(endpoint, &observation), expected, "{observation:?}");
    }
    for (status, body, expected) in [
        (530, "error code: 1016", Outcome::Dns),
        (521, "", Outcome::ConnectionFailed),
        (522, "", Outcome::Timeout),
        (526, "", Outcome::Tls),
        (530, "something else", Outcome::HttpStatus { status: 530 }),
    ] {
        assert_eq!(
            classify(&plain, &response(status, body, 40)),
            expected,
            "Cloudflare's {status} for an unreachable origin"
        );
    }
    let redirect_ok = endpoint("expect_status = 301");
    let moved = Observation {
        elapsed_ms: 30,
        result: Ok(Response { status: 301, location: None, body: vec![], truncated: false }),
    };
    assert_eq!(classify(&redirect_ok, &moved), Outcome::Ok, "an expected redirect is fine");
}

#[test]
fn runtime_errors_are_classified_by_their_words() {
    for (message, expected) in [
        ("DNS lookup failed for api.example.com", Outcome::Dns),
        ("Connection refused", Outcome::ConnectionFailed),
        ("Network connection lost.", Outcome::ConnectionFailed),
        ("proxy request failed, cannot connect to the specified address", Outcome::ConnectionFailed),
        ("TLS handshake failure: certificate expired", Outcome::Tls),
        ("The operation was aborted", Outcome::Timeout),
        ("Too many redirects", Outcome::Redirect { location: None }),
        ("something odd happened", Outcome::Error { message: "something odd happened".into() }),
        // The platform failing the probe itself is not a failure of the endpoint.
        ("internal error; reference = 7f3", Outcome::Unknown { reason: "internal error; reference = 7f3".into() }),
        (
            "Too many subrequests by single Worker invocation.",
            Outcome::Unknown { reason: "Too many subrequests by single Worker invocation.".into() },
        ),
    ] {
        assert_eq!(classify_error(message), expected, "{message}");
    }
}

#[test]
fn text_a_server_sends_is_capped_and_loses_its_invisible_characters() {
    use probe::classify::{bounded, MAX_OUTSIDE_CHARS};
    let long = format!("\u{202e}evil\u{200b}{}", "é→".repeat(5_000));
    let Outcome::AssertionFailed { reason } = bounded(Outcome::AssertionFailed { reason: long }) else { panic!() };
    assert!(reason.starts_with("evilé→"), "{reason}");
    assert_eq!(reason.chars().count(), MAX_OUTSIDE_CHARS + 1, "cut on a character, with an ellipsis");
    let location = Some(format!("https://x.example/{}", "a".repeat(900_000)));
    let Outcome::Redirect { location: Some(kept) } = bounded(Outcome::Redirect { location }) else { panic!() };
    assert!(kept.len() < 1_000);
}
