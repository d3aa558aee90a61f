//! The paging and chat formats, each checked against a JSON Schema written from its
//! service's documentation (`tests/schemas/`), at and past every limit, with a probed
//! server's words as hostile as they come; and the episode keys that let a recovery
//! resolve the page its outage opened.

mod schemas;

use api::State;
use api::{Outcome, ProbeReport};
use config::{AlertKind, AlertTarget, Config};
use probe::alerts::{Alert, Outbox};
use probe::monitor::MonitorState;
use probe::parse_config;
use schemas::schema_check;
use serde_json::Value;

const T0: i64 = 1_795_896_000; // 2026-11-28 20:00 UTC

const CONFIG: &str = r#"
[site]
url = "https://runbooks.example.com"
probe_api = "https://probe.example.com"

[[endpoint]]
name = "api"
url = "https://api.example.com/health"

[[alert]]
kind = "pagerduty"
key = "secret:PAGERDUTY_ROUTING_KEY"

[[alert]]
kind = "opsgenie"
key = "secret:OPSGENIE_KEY"
url = "https://api.eu.opsgenie.com/v2/alerts"

[[alert]]
kind = "teams"
url = "secret:TEAMS_WEBHOOK_URL"

[[alert]]
kind = "telegram"
url = "secret:TELEGRAM_URL"
chat = "-1001234567890"

[[alert]]
kind = "ntfy"
topic = "outpost-alerts_x9f3"
key = "secret:NTFY_TOKEN"
"#;

fn config() -> Config {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    config
}

fn target(config: &Config, kind: AlertKind) -> &AlertTarget {
    config.alerts.iter().find(|t| t.kind == kind).expect("configured")
}

/// Every character a parser trips on, markup of every kind, and far too much of it.
fn hostile_cause() -> String {
    let markup = "<b>&amp;</b> <!channel> @everyone **bold** [link](https://evil.example) {{DATE()}} \
                  é → ├── 🚨👩‍💻 مرحبا بالعالم \u{202e}evil\u{202c} ";
    markup.repeat(9_000)
}

fn alert(endpoint: &str, from: State, to: State, since: i64) -> Alert {
    Alert {
        endpoint: endpoint.to_string(),
        from,
        to,
        flapping: false,
        since,
        regions: if to == State::Up { vec![] } else { vec!["weur".into(), "enam".into(), "apac".into()] },
        cause: hostile_cause(),
        status_page: Some("https://probe.example.com/".into()),
        runbook: Some(format!(
            "https://runbooks.example.com/r/incident-response/?outage=1~{endpoint}~down#complete-service-outage-sev1"
        )),
        episode: Some(since),
        reminder: false,
    }
}

fn body(config: &Config, kind: AlertKind, alerts: &[Alert]) -> (String, Option<String>, Value) {
    let ids: Vec<u64> = (1..=alerts.len() as u64).collect();
    let refs: Vec<&Alert> = alerts.iter().collect();
    let request = probe::alerts::request(target(config, kind), &refs, &ids, Some("KEY-VALUE"));
    let value = serde_json::from_str(&request.body).expect("a JSON body");
    (request.path, request.authorization, value)
}

/// A down, a regional outage that worsened, a slow one, a flapping one and a recovery.
fn every_change() -> Vec<Alert> {
    let mut flapping = alert("flappy", State::Up, State::Down, T0);
    flapping.flapping = true;
    vec![
        alert("api", State::Up, State::Down, T0),
        alert("www", State::Regional, State::Down, T0 + 60),
        alert("slow", State::Up, State::Degraded, T0 + 120),
        flapping,
        alert("api", State::Down, State::Up, T0 + 600),
        alert("gone", State::Down, State::Unknown, T0 + 700),
    ]
}

#[test]
fn each_format_matches_its_documented_schema_with_hostile_text() {
    let config = config();
    for change in every_change() {
        let one = std::slice::from_ref(&change);
        let (_, _, pagerduty) = body(&config, AlertKind::Pagerduty, one);
        schema_check("pagerduty-events-v2.json", &pagerduty).unwrap();
        let (path, _, opsgenie) = body(&config, AlertKind::Opsgenie, one);
        let schema = if path.is_empty() { "opsgenie-create-alert.json" } else { "opsgenie-close-alert.json" };
        schema_check(schema, &opsgenie).unwrap_or_else(|e| panic!("{}: {e}", change.headline()));
    }
    // The chat formats carry a whole batch: the outbox's largest.
    let mut batch = Vec::new();
    while batch.len() < 20 {
        batch.extend(every_change());
    }
    batch.truncate(20);
    for count in [1, 2, 11, 20] {
        let alerts = &batch[..count];
        let (_, _, teams) = body(&config, AlertKind::Teams, alerts);
        schema_check("teams-workflows-message.json", &teams).unwrap();
        assert!(teams.to_string().len() <= 28 * 1024, "Teams takes 28 KB: {} bytes", teams.to_string().len());
        let (_, _, telegram) = body(&config, AlertKind::Telegram, alerts);
        schema_check("telegram-send-message.json", &telegram).unwrap();
        let text = telegram["text"].as_str().unwrap();
        assert!(text.encode_utf16().count() <= 4096, "Telegram counts UTF-16: {}", text.encode_utf16().count());
        let (_, _, ntfy) = body(&config, AlertKind::Ntfy, alerts);
        schema_check("ntfy-publish.json", &ntfy).unwrap();
        assert!(ntfy["message"].as_str().unwrap().len() <= 4096, "over 4096 bytes ntfy makes an attachment");
    }
}

#[test]
fn the_schemas_refuse_what_the_services_refuse() {
    // The checks above can fail: a field past its documented limit is caught.
    let long = "x".repeat(1025);
    let event = serde_json::json!({ "routing_key": "k", "event_action": "trigger", "dedup_key": "d",
        "payload": { "summary": long, "source": "api", "severity": "critical" } });
    assert!(schema_check("pagerduty-events-v2.json", &event).is_err(), "summary over 1024");
    let resolve = serde_json::json!({ "routing_key": "k", "event_action": "resolve" });
    assert!(schema_check("pagerduty-events-v2.json", &resolve).is_err(), "a resolve without its key");
    let opsgenie = serde_json::json!({ "message": "x".repeat(131) });
    assert!(schema_check("opsgenie-create-alert.json", &opsgenie).is_err(), "message over 130");
    let details = serde_json::json!({ "message": "m", "details": { "regions": ["weur"] } });
    assert!(schema_check("opsgenie-create-alert.json", &details).is_err(), "details are strings");
    let markdown_card = serde_json::json!({ "type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive",
        "content": { "type": "AdaptiveCard", "version": "1.4", "body": [{ "type": "TextBlock", "text": "**x**" }] } }] });
    assert!(schema_check("teams-workflows-message.json", &markdown_card).is_err(), "TextBlock renders Markdown");
    let telegram = serde_json::json!({ "chat_id": "-100", "text": "" });
    assert!(schema_check("telegram-send-message.json", &telegram).is_err(), "empty text");
    let ntfy = serde_json::json!({ "topic": "a b", "message": "m" });
    assert!(schema_check("ntfy-publish.json", &ntfy).is_err(), "a topic with a space");
}

#[test]
fn a_server_cannot_format_mention_or_link_in_any_format() {
    let config = config();
    let changes = every_change();
    let (_, _, teams) = body(&config, AlertKind::Teams, &changes);
    let card = &teams["attachments"][0]["content"];
    // Every text is a TextRun, which Teams draws as written.
    assert!(!teams.to_string().contains("\"TextBlock\""));
    for action in card["actions"].as_array().unwrap() {
        assert!(
            action["url"].as_str().unwrap().starts_with("https://runbooks.example.com/")
                || action["url"] == "https://probe.example.com/"
        );
    }
    let (_, _, telegram) = body(&config, AlertKind::Telegram, &changes);
    assert!(telegram.get("parse_mode").is_none(), "plain text: no entity can be written");
    let text = telegram["text"].as_str().unwrap();
    assert!(text.contains("@\u{200b}everyone") && !text.contains("@everyone"), "a server's @ mentions nobody");
    assert_eq!(telegram["chat_id"], "-1001234567890");
    let (_, authorization, ntfy) = body(&config, AlertKind::Ntfy, &changes);
    assert!(ntfy.get("markdown").is_none());
    assert_eq!(ntfy["click"], "https://probe.example.com/");
    assert_eq!(authorization.as_deref(), Some("Bearer KEY-VALUE"));
    // The cause travels cut, never whole; the cut is on a character boundary (it is JSON).
    let (_, authorization, opsgenie) = body(&config, AlertKind::Opsgenie, &changes[..1]);
    assert_eq!(authorization.as_deref(), Some("GenieKey KEY-VALUE"));
    let description = opsgenie["description"].as_str().unwrap();
    assert!(!description.contains('<') && description.contains("&lt;b&gt;"), "Opsgenie's description is HTML: escaped");
    assert!(opsgenie["details"]["cause"].as_str().unwrap().chars().count() <= 300);
    let (_, authorization, pagerduty) = body(&config, AlertKind::Pagerduty, &changes[..1]);
    assert_eq!(authorization, None, "PagerDuty's key is in the body");
    assert_eq!(pagerduty["routing_key"], "KEY-VALUE");
    assert!(
        !pagerduty["payload"]["summary"].as_str().unwrap().contains('<'),
        "the summary is ours, the cause in details"
    );
    assert!(pagerduty["payload"]["custom_details"]["cause"].as_str().unwrap().chars().count() <= 300);
}

#[test]
fn severity_follows_the_state_in_each_paging_tool() {
    let config = config();
    let severities: Vec<(String, String, String)> = every_change()
        .into_iter()
        .filter(|a| !a.ends_trouble())
        .map(|a| {
            let (_, _, pd) = body(&config, AlertKind::Pagerduty, std::slice::from_ref(&a));
            let (_, _, og) = body(&config, AlertKind::Opsgenie, std::slice::from_ref(&a));
            (
                a.endpoint.clone(),
                pd["payload"]["severity"].as_str().unwrap().into(),
                og["priority"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected =
        [("api", "critical", "P1"), ("www", "critical", "P1"), ("slow", "warning", "P3"), ("flappy", "error", "P2")];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(severities, expected);
}

/// What the outbox sends `kind` for each queued message, oldest first, delivered at once.
fn sent(outbox: &mut Outbox, config: &Config, kind: AlertKind, now: i64) -> Vec<(String, Value)> {
    let target = target(config, kind).clone();
    let mut out = Vec::new();
    while let Some(batch) = outbox.batch_for(config, &target, now) {
        assert_eq!(batch.ids.len(), 1, "paging tools take one event a request");
        let request = batch.request(&target, Some("KEY"));
        out.push((request.path, serde_json::from_str(&request.body).unwrap()));
        outbox.settle(config, &batch, &probe::alerts::SendResult::Delivered, now);
    }
    out
}

#[test]
fn a_recovery_resolves_the_page_its_outage_opened_and_the_next_outage_opens_a_new_one() {
    let config = config();
    let mut outbox = Outbox::default();
    // Down, worse news in the same episode, recovered; down again a day later, recovered.
    let changes = [
        alert("api", State::Up, State::Regional, T0),
        alert("api", State::Regional, State::Down, T0 + 120),
        alert("api", State::Down, State::Up, T0 + 900),
        alert("api", State::Up, State::Down, T0 + 86_400),
        alert("api", State::Down, State::Up, T0 + 86_400 + 300),
    ];
    for (n, change) in changes.iter().enumerate() {
        let mut change = change.clone();
        change.episode = None; // the outbox decides the episode
        outbox.announce(&config, &change, T0 + n as i64);
    }
    let pagerduty = sent(&mut outbox, &config, AlertKind::Pagerduty, T0 + 86_400 * 2);
    let events: Vec<(&str, &str)> = pagerduty
        .iter()
        .map(|(_, e)| (e["event_action"].as_str().unwrap(), e["dedup_key"].as_str().unwrap()))
        .collect();
    let first = format!("outpost-api-{T0}");
    let second = format!("outpost-api-{}", T0 + 86_400);
    assert_eq!(
        events,
        [
            ("trigger", first.as_str()),
            ("trigger", first.as_str()),
            ("resolve", first.as_str()),
            ("trigger", second.as_str()),
            ("resolve", second.as_str())
        ]
    );
    let opsgenie = sent(&mut outbox, &config, AlertKind::Opsgenie, T0 + 86_400 * 2);
    let requests: Vec<String> = opsgenie
        .iter()
        .map(|(path, body)| {
            if path.is_empty() {
                format!("create {}", body["alias"].as_str().unwrap())
            } else {
                format!("POST {path}")
            }
        })
        .collect();
    assert_eq!(
        requests,
        [
            format!("create {first}"),
            format!("create {first}"),
            format!("POST /{first}/close?identifierType=alias"),
            format!("create {second}"),
            format!("POST /{second}/close?identifierType=alias"),
        ]
    );
    assert!(outbox.episodes.is_empty(), "no episode is left open");
    assert_eq!(
        probe::alerts::address("https://api.eu.opsgenie.com/v2/alerts/", "/outpost-api-1/close?identifierType=alias"),
        "https://api.eu.opsgenie.com/v2/alerts/outpost-api-1/close?identifierType=alias"
    );
}

#[test]
fn alert_targets_say_what_each_service_needs() {
    let config = config();
    let ids: Vec<&str> = config.alerts.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "pagerduty:PAGERDUTY_ROUTING_KEY",
            "opsgenie:OPSGENIE_KEY",
            "teams:TEAMS_WEBHOOK_URL",
            "telegram:TELEGRAM_URL",
            "ntfy:NTFY_TOKEN"
        ]
    );
    assert_eq!(
        target(&config, AlertKind::Pagerduty).url,
        config::AlertUrl::Public("https://events.pagerduty.com/v2/enqueue".into())
    );
    assert_eq!(
        target(&config, AlertKind::Opsgenie).url,
        config::AlertUrl::Public("https://api.eu.opsgenie.com/v2/alerts".into())
    );
    let errors = |text: &str| parse_config(text).1.into_iter().map(|e| e.to_string()).collect::<Vec<_>>();
    let cases = [
        ("kind = \"pagerduty\"", "outpost.toml:2: a pagerduty alert needs key = \"secret:NAME\": the integration's routing key, stored with `wrangler secret put NAME`"),
        ("kind = \"opsgenie\"\nkey = \"0f3c-raw-key\"", "outpost.toml:3: key must name a Worker secret, such as key = \"secret:ALERT_KEY\" (store it with `wrangler secret put ALERT_KEY`)"),
        ("kind = \"pagerduty\"\nkey = \"secret:K\"\nurl = \"http://events.pagerduty.com/v2/enqueue\"", "outpost.toml:4: \"http://events.pagerduty.com/v2/enqueue\" is not an https:// address (leave url out for https://events.pagerduty.com/v2/enqueue)"),
        ("kind = \"teams\"", "outpost.toml:2: a teams alert needs url = \"secret:NAME\" (its webhook address, stored with `wrangler secret put NAME`)"),
        ("kind = \"teams\"\nurl = \"https://x.logic.azure.com/workflows/1?sig=abc\"", "outpost.toml:3: a teams URL is a secret: store it with `wrangler secret put TEAMS_WEBHOOK_URL` and write url = \"secret:TEAMS_WEBHOOK_URL\""),
        ("kind = \"telegram\"\nurl = \"secret:T\"", "outpost.toml:2: a telegram alert needs chat = \"-1001234567890\" (the chat's id) or chat = \"@channel\""),
        ("kind = \"telegram\"\nurl = \"secret:T\"\nchat = \"general chat\"", "outpost.toml:4: chat \"general chat\" is neither a chat id (such as \"-1001234567890\") nor a channel (\"@name\")"),
        ("kind = \"ntfy\"", "outpost.toml:2: an ntfy alert needs topic = \"…\": 1 to 64 letters, digits, '-' or '_'"),
        ("kind = \"ntfy\"\ntopic = \"../admin\"", "outpost.toml:3: topic \"../admin\" must be 1 to 64 letters, digits, '-' or '_' (ntfy's rule)"),
        ("kind = \"slack\"\nurl = \"secret:S\"\nkey = \"secret:K\"", "outpost.toml:4: `key` does not apply to a slack alert"),
        ("kind = \"opsgenie\"\nkey = \"secret:K\"\nurl = \"https://collector.example.com/v2/alerts\"", "outpost.toml:4: collector.example.com is not opsgenie's (api.opsgenie.com, api.eu.opsgenie.com, api.atlassian.com): its key goes only there; for another address, write url = \"secret:NAME\""),
    ];
    for (written, expected) in cases {
        assert_eq!(errors(&format!("[[alert]]\n{written}\n")), [expected], "{written}");
    }
    // The published id does not give an ntfy topic away.
    let (open_topic, errors) = parse_config("[[alert]]\nkind = \"ntfy\"\ntopic = \"aragora-oncall-x9f3\"\n");
    assert_eq!(errors, []);
    assert!(open_topic.alerts[0].id.starts_with("ntfy:topic-"));
    assert!(!open_topic.alerts[0].id.contains("aragora"));
}

/// A config with PagerDuty and maintenance on `api` 20:30–21:30.
fn with_maintenance() -> Config {
    let text = format!(
        "{CONFIG}\n[[maintenance]]\ntitle = \"Move\"\nstart = 2026-11-28T20:30:00Z\nend = 2026-11-28T21:30:00Z\n"
    );
    let (config, errors) = parse_config(&text);
    assert_eq!(errors, []);
    config
}

/// Queues `changes` (the outbox decides their episodes), each at its own time.
fn announce(outbox: &mut Outbox, config: &Config, changes: &[Alert]) {
    for change in changes {
        let mut change = change.clone();
        change.episode = None;
        outbox.announce(config, &change, change.since);
    }
}

fn pagerduty_events(outbox: &mut Outbox, config: &Config, now: i64) -> Vec<String> {
    sent(outbox, config, AlertKind::Pagerduty, now)
        .iter()
        .map(|(_, e)| format!("{} {}", e["event_action"].as_str().unwrap(), e["dedup_key"].as_str().unwrap()))
        .collect()
}

#[test]
fn an_outage_that_ends_and_begins_again_in_maintenance_still_closes_the_page_it_opened() {
    let config = with_maintenance();
    let mut outbox = Outbox::default();
    announce(&mut outbox, &config, &[alert("api", State::Up, State::Down, T0)]);
    assert_eq!(pagerduty_events(&mut outbox, &config, T0), [format!("trigger outpost-api-{T0}")]);
    // In the window it recovers and fails again: held until the window ends.
    let again = T0 + 3_000;
    announce(
        &mut outbox,
        &config,
        &[alert("api", State::Down, State::Up, T0 + 2_000), alert("api", State::Up, State::Down, again)],
    );
    assert_eq!(pagerduty_events(&mut outbox, &config, T0 + 3_100), Vec::<String>::new(), "held in maintenance");
    // After it: the first outage is resolved and the new one opened, not merged into it.
    assert_eq!(
        pagerduty_events(&mut outbox, &config, T0 + 5_500),
        [format!("resolve outpost-api-{T0}"), format!("trigger outpost-api-{again}")]
    );
}

#[test]
fn an_outage_over_within_maintenance_pages_nobody_and_one_ended_in_it_is_resolved_once() {
    let config = with_maintenance();
    let mut outbox = Outbox::default();
    // Trouble that began and ended in the window: nothing.
    announce(
        &mut outbox,
        &config,
        &[alert("api", State::Up, State::Down, T0 + 2_000), alert("api", State::Down, State::Up, T0 + 2_500)],
    );
    assert_eq!(pagerduty_events(&mut outbox, &config, T0 + 5_500), Vec::<String>::new());
    // Told of an outage; in the window it recovers, fails and recovers again: one resolve.
    let mut outbox = Outbox::default();
    announce(&mut outbox, &config, &[alert("api", State::Up, State::Down, T0)]);
    pagerduty_events(&mut outbox, &config, T0);
    let window = [
        alert("api", State::Down, State::Up, T0 + 2_000),
        alert("api", State::Up, State::Down, T0 + 2_500),
        alert("api", State::Down, State::Up, T0 + 3_000),
    ];
    announce(&mut outbox, &config, &window);
    assert_eq!(pagerduty_events(&mut outbox, &config, T0 + 5_500), [format!("resolve outpost-api-{T0}")]);
    assert!(outbox.episodes.is_empty());
}

/// One tick a minute from `start`, every region seeing `api` as `healthy` says.
fn ticks(state: &mut MonitorState, config: &Config, start: i64, healthy: &[bool]) {
    for (minute, ok) in healthy.iter().enumerate() {
        let outcome = if *ok { Outcome::Ok } else { Outcome::HttpStatus { status: 502 } };
        let reports: Vec<(String, Vec<ProbeReport>)> = ["weur", "enam", "apac"]
            .iter()
            .map(|r| {
                (r.to_string(), vec![ProbeReport { endpoint: "api".into(), outcome: outcome.clone(), latency_ms: 50 }])
            })
            .collect();
        state.tick(config, (start + 60 * minute as i64) * 1000, &reports).expect("ticks in time order");
    }
}

#[test]
fn after_its_saved_state_is_lost_a_recovery_still_resolves_the_page_its_outage_opened() {
    let config = config();
    let mut state = MonitorState::default();
    ticks(&mut state, &config, T0, &[true, false, false, false]);
    let opened = pagerduty_events(&mut state.outbox, &config, T0 + 240);
    assert_eq!(opened.len(), 1);
    assert!(opened[0].starts_with("trigger outpost-api-"), "{opened:?}");
    // The saved state cannot be read; storage still has the outage open.
    let mut fresh = MonitorState::default();
    fresh.resume_open_incidents(state.open_incidents.values().cloned());
    ticks(&mut fresh, &config, T0 + 240, &[true, true, true, true]);
    assert_eq!(pagerduty_events(&mut fresh.outbox, &config, T0 + 600), [opened[0].replace("trigger", "resolve")]);
}
