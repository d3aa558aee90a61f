//! Status updates the team posts: what is accepted and refused (at and past every limit),
//! how updates append and resolve, which incidents the views carry, and how every view shows
//! hostile text: escaped on the page and in the feed, exact in the Statuspage JSON.

mod schemas;

use api::{PostedIncident, UpdatePost, UpdateStatus};
use probe::formats::{atom, statuspage};
use probe::monitor::MonitorState;
use probe::page::render;
use probe::parse_config;
use probe::updates::{self, apply, impact, shown, MAX_KEY_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, MAX_UPDATES};
use serde_json::Value;

const T0: i64 = 1_796_392_800; // 2026-12-04 14:00 UTC
const ENDPOINTS: &[&str] = &["api", "www"];
const CONFIG: &str = "[site]\ntitle = \"Aragora\"\nprobe_api = \"https://probe.example.com\"\n[[endpoint]]\nname = \"api\"\nurl = \"http://api.example.com/\"\n[[endpoint]]\nname = \"www\"\nurl = \"http://www.example.com/\"\n";
const HOSTILE: &str =
    "<script>alert(1)</script> ]]> & \"q\" 'a' é → ├── 🚀 שלום עולם \u{202E}evil\u{202C}\nsecond line";

fn post(incident: &str, status: UpdateStatus, text: &str) -> UpdatePost {
    UpdatePost {
        incident: incident.into(),
        title: String::new(),
        status,
        severity: None,
        endpoints: Vec::new(),
        text: text.into(),
    }
}

fn refused(existing: Option<PostedIncident>, post: UpdatePost) -> String {
    apply(existing, post, ENDPOINTS, T0).expect_err("should be refused")
}

#[test]
fn an_update_opens_an_incident_later_ones_append_and_resolved_closes_it() {
    let first = UpdatePost {
        title: "API errors".into(),
        severity: Some("SEV2".into()),
        endpoints: vec!["api".into(), "api".into()],
        ..post("inc-1", UpdateStatus::Investigating, "We are looking into errors.")
    };
    let open = apply(None, first, ENDPOINTS, T0).unwrap();
    assert_eq!((open.key.as_str(), open.title.as_str(), open.started_at), ("inc-1", "API errors", T0));
    assert_eq!((open.severity.as_deref(), open.endpoints.clone()), (Some("SEV2"), vec!["api".to_string()]));
    assert!(open.is_open());
    let identified =
        apply(Some(open), post("inc-1", UpdateStatus::Identified, "A bad deploy; rolling back."), ENDPOINTS, T0 + 300)
            .unwrap();
    // What the later update left out (title, severity, endpoints) stays as it was.
    assert_eq!((identified.title.as_str(), identified.severity.as_deref()), ("API errors", Some("SEV2")));
    let resolved =
        apply(Some(identified), post("inc-1", UpdateStatus::Resolved, "Fixed."), ENDPOINTS, T0 + 900).unwrap();
    assert_eq!(resolved.resolved_at, Some(T0 + 900));
    assert_eq!(resolved.status, UpdateStatus::Resolved);
    let numbers: Vec<(u32, UpdateStatus, i64)> = resolved.updates.iter().map(|u| (u.number, u.status, u.at)).collect();
    assert_eq!(
        numbers,
        [
            (1, UpdateStatus::Investigating, T0),
            (2, UpdateStatus::Identified, T0 + 300),
            (3, UpdateStatus::Resolved, T0 + 900)
        ]
    );
    // An update after the resolution opens it again.
    let reopened =
        apply(Some(resolved), post("inc-1", UpdateStatus::Investigating, "It is back."), ENDPOINTS, T0 + 1200).unwrap();
    assert!(reopened.is_open());
}

#[test]
fn a_title_is_taken_from_the_first_line_when_none_is_given() {
    let text = "INCIDENT: Logins fail for é users → all regions\nSEVERITY: SEV1\nSTATUS: Investigating";
    let incident = apply(None, post("inc", UpdateStatus::Investigating, text), ENDPOINTS, T0).unwrap();
    assert_eq!(incident.title, "Logins fail for é users → all regions");
    let long = "ü".repeat(500);
    let incident = apply(None, post("inc", UpdateStatus::Investigating, &long), ENDPOINTS, T0).unwrap();
    assert_eq!(incident.title.chars().count(), MAX_TITLE_CHARS);
}

#[test]
fn every_limit_takes_its_bound_and_refuses_one_past_it() {
    // Text: counted in characters, not bytes.
    for unit in ["a", "é", "🚀", "├"] {
        let at_limit = unit.repeat(MAX_TEXT_CHARS);
        assert!(apply(None, post("k", UpdateStatus::Investigating, &at_limit), ENDPOINTS, T0).is_ok(), "{unit}");
        let past = unit.repeat(MAX_TEXT_CHARS + 1);
        assert!(refused(None, post("k", UpdateStatus::Investigating, &past)).contains("2001 characters"));
    }
    let title = |n: usize| UpdatePost { title: "é".repeat(n), ..post("k", UpdateStatus::Investigating, "t") };
    assert!(apply(None, title(MAX_TITLE_CHARS), ENDPOINTS, T0).is_ok());
    assert!(refused(None, title(MAX_TITLE_CHARS + 1)).contains("title"));
    assert!(apply(None, post(&"k".repeat(MAX_KEY_CHARS), UpdateStatus::Investigating, "t"), ENDPOINTS, T0).is_ok());
    assert!(refused(None, post(&"k".repeat(MAX_KEY_CHARS + 1), UpdateStatus::Investigating, "t")).contains("name"));
    let severity = |s: &str| UpdatePost { severity: Some(s.into()), ..post("k", UpdateStatus::Investigating, "t") };
    assert!(apply(None, severity(&"S".repeat(32)), ENDPOINTS, T0).is_ok());
    assert!(refused(None, severity(&"S".repeat(33))).contains("severity"));
    // Updates per incident: the last place is kept for the resolution.
    let mut incident = None;
    for n in 0..MAX_UPDATES - 1 {
        let update = post("k", UpdateStatus::Monitoring, &format!("still watching {n}"));
        incident = Some(apply(incident, update, ENDPOINTS, T0 + n as i64).unwrap());
    }
    let full = incident.unwrap();
    assert_eq!(full.updates.len(), MAX_UPDATES - 1);
    assert!(refused(Some(full.clone()), post("k", UpdateStatus::Monitoring, "one more")).contains("resolve it"));
    let resolved = apply(Some(full), post("k", UpdateStatus::Resolved, "Fixed."), ENDPOINTS, T0 + 100).unwrap();
    assert_eq!(resolved.updates.len(), MAX_UPDATES);
    assert!(refused(Some(resolved), post("k", UpdateStatus::Investigating, "back")).contains("new name"));
}

#[test]
fn the_same_update_twice_is_taken_once() {
    // A retry after a lost answer, or two tabs posting the same resolution.
    let first = apply(None, post("k", UpdateStatus::Investigating, "Looking."), ENDPOINTS, T0).unwrap();
    let again =
        apply(Some(first.clone()), post("k", UpdateStatus::Investigating, "Looking."), ENDPOINTS, T0 + 5).unwrap();
    assert_eq!(again, first);
    let resolved = apply(Some(again), post("k", UpdateStatus::Resolved, "Fixed."), ENDPOINTS, T0 + 60).unwrap();
    let twice = apply(Some(resolved.clone()), post("k", UpdateStatus::Resolved, "Fixed."), ENDPOINTS, T0 + 90).unwrap();
    assert_eq!(twice, resolved, "resolved_at stays when the same resolution comes again");
    // The same words with another status are a new update, and so are they with a new title.
    let other = apply(Some(twice), post("k", UpdateStatus::Monitoring, "Fixed."), ENDPOINTS, T0 + 120).unwrap();
    assert_eq!(other.updates.len(), 3);
    let retitled = UpdatePost { title: "Logins fail".into(), ..post("k", UpdateStatus::Monitoring, "Fixed.") };
    let renamed = apply(Some(other), retitled, ENDPOINTS, T0 + 180).unwrap();
    assert_eq!((renamed.updates.len(), renamed.title.as_str()), (4, "Logins fail"));
}

#[test]
fn bidi_overrides_and_characters_xml_forbids_are_dropped_marks_kept() {
    let text = "a\u{202E}b\u{2066}c\u{2069}d\u{FFFE}e\u{FFFF}f\u{200F}g";
    let update = UpdatePost {
        title: "t\u{202D}itle".into(),
        severity: Some("SEV\u{202E}1".into()),
        ..post("k", UpdateStatus::Investigating, text)
    };
    let incident = apply(None, update, ENDPOINTS, T0).unwrap();
    assert_eq!(incident.updates[0].text, "abcdef\u{200F}g");
    assert_eq!((incident.title.as_str(), incident.severity.as_deref()), ("title", Some("SEV1")));
}

#[test]
fn hostile_names_empty_text_and_unknown_endpoints_are_refused_with_the_reason() {
    for key in ["", "../..", "a/b", "inc 1", "é", "<b>", "a\nb"] {
        let why = refused(None, post(key, UpdateStatus::Investigating, "text"));
        assert!(why.contains("name"), "{key:?}: {why}");
    }
    assert_eq!(refused(None, post("k", UpdateStatus::Investigating, " \n\t\u{7}")), "the update has no text");
    let unknown = UpdatePost { endpoints: vec!["db".into()], ..post("k", UpdateStatus::Investigating, "t") };
    assert_eq!(refused(None, unknown), "no endpoint is named \"db\"; the config has: api, www");
}

#[test]
fn control_characters_are_dropped_and_line_breaks_kept() {
    let text = "one\r\ntwo\rthree\u{0}\u{1b}[31m\tfour\u{7f}\n\n";
    let incident = apply(None, post("k", UpdateStatus::Investigating, text), ENDPOINTS, T0).unwrap();
    assert_eq!(incident.updates[0].text, "one\ntwo\nthree[31m\tfour");
    let title = UpdatePost { title: "a\nb\u{0}c".into(), ..post("k", UpdateStatus::Investigating, "t") };
    assert_eq!(apply(None, title, ENDPOINTS, T0).unwrap().title, "a b c");
}

#[test]
fn an_incident_s_updates_never_go_back_in_time_when_the_clock_does() {
    let first = apply(None, post("k", UpdateStatus::Investigating, "t"), ENDPOINTS, T0).unwrap();
    let second = apply(Some(first), post("k", UpdateStatus::Identified, "t"), ENDPOINTS, T0 - 3600).unwrap();
    assert_eq!(second.updates[1].at, T0);
    assert_eq!(second.updated_at, T0);
}

fn incident_of(key: &str, at: i64, status: UpdateStatus, text: &str) -> PostedIncident {
    apply(None, post(key, status, text), ENDPOINTS, at).unwrap()
}

#[test]
fn the_views_carry_open_incidents_first_then_a_week_of_resolved_ones_within_a_budget() {
    let now = T0 + 30 * 86_400;
    let recent = vec![
        incident_of("resolved-yesterday", now - 86_400, UpdateStatus::Resolved, "fixed"),
        incident_of("resolved-long-ago", now - 8 * 86_400, UpdateStatus::Resolved, "fixed"),
        incident_of("open-old", T0, UpdateStatus::Investigating, "still open"),
    ];
    let keys: Vec<String> = shown(recent, now).into_iter().map(|i| i.key).collect();
    assert_eq!(keys, ["open-old", "resolved-yesterday"], "open ones first, whenever they were updated");
    // Ten recently resolved incidents never push an open one out.
    let mut crowd: Vec<PostedIncident> =
        (0..12).map(|n| incident_of(&format!("r{n}"), now - 60, UpdateStatus::Resolved, "fixed")).collect();
    crowd.push(incident_of("open", T0, UpdateStatus::Investigating, "still open"));
    let carried = shown(crowd, now);
    assert_eq!(carried.len(), updates::SHOWN_INCIDENTS);
    assert_eq!(carried[0].key, "open");
}

/// An incident with `n` updates of the longest text in 4-byte characters.
fn heaviest(key: &str, n: usize, now: i64) -> PostedIncident {
    let mut incident = None;
    for i in 0..n {
        let text = format!("{i:04}{}", "🚀".repeat(MAX_TEXT_CHARS - 4));
        incident = Some(apply(incident, post(key, UpdateStatus::Monitoring, &text), ENDPOINTS, now).unwrap());
    }
    incident.unwrap()
}

#[test]
fn the_views_stay_within_their_budget_however_heavy_the_incidents() {
    let now = T0;
    let full = heaviest("full", MAX_UPDATES - 1, now);
    assert_eq!(full.updates.len(), MAX_UPDATES - 1);
    let carried = shown(vec![full.clone(), heaviest("second", 12, now), heaviest("third", 3, now)], now);
    // Each incident carries its latest ten updates; the total stays within the budget.
    assert_eq!(carried[0].updates.len(), updates::SHOWN_UPDATES);
    assert_eq!(carried[0].updates.last(), full.updates.last(), "the latest are the ones carried");
    let bytes: usize = carried.iter().flat_map(|i| &i.updates).map(|u| u.text.len()).sum::<usize>()
        + carried.iter().map(|i| i.title.len()).sum::<usize>();
    assert!(bytes <= updates::SHOWN_TEXT_BYTES, "{bytes} bytes");
    assert_eq!(carried.len(), 1, "a second incident of that weight does not fit");
    let json = serde_json::to_string(&carried).unwrap();
    assert!(json.len() < 120 * 1024, "the status JSON grows by {} bytes at most", json.len());
}

#[test]
fn severity_maps_to_statuspage_impact() {
    let cases = [
        (Some("SEV1"), "critical"),
        (Some("P0"), "critical"),
        (Some("sev-2"), "major"),
        (Some("SEV3"), "minor"),
        (Some("SEV4"), "none"),
        (Some("Critical"), "critical"),
        (Some("low"), "minor"),
        (Some("whatever"), "none"),
        (None, "none"),
    ];
    for (severity, expected) in cases {
        assert_eq!(impact(severity), expected, "{severity:?}");
    }
}

fn report_with(posted: Vec<PostedIncident>, now: i64) -> (probe::Config, api::StatusReport) {
    let (config, errors) = parse_config(CONFIG);
    assert_eq!(errors, []);
    let mut report = MonitorState::default().status(&config, now);
    report.posted = posted;
    (config, report)
}

fn hostile_incident() -> PostedIncident {
    let first = UpdatePost {
        title: format!("Title {HOSTILE}"),
        severity: Some("SEV1".into()),
        endpoints: vec!["api".into()],
        ..post("hostile", UpdateStatus::Investigating, HOSTILE)
    };
    let open = apply(None, first, ENDPOINTS, T0).unwrap();
    apply(Some(open), post("hostile", UpdateStatus::Monitoring, "A fix is out; watching."), ENDPOINTS, T0 + 600)
        .unwrap()
}

#[test]
fn the_status_page_escapes_posted_text_and_isolates_its_direction() {
    let (_, report) = report_with(vec![hostile_incident()], T0 + 700);
    let html = render(&report, &[], None, None);
    assert!(!html.contains("<script>alert"), "markup from an update reached the page");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("é → ├── 🚀 שלום עולם"));
    assert!(html.contains("class=\"posted-text\" dir=\"auto\""));
    // Newest first, both updates, with their times.
    let updates = &html[html.find("<ol class=\"posted-updates\"").unwrap()..];
    let watching = updates.find("A fix is out; watching.").unwrap();
    let first = updates.find("&lt;script&gt;alert(1)").unwrap();
    assert!(watching < first);
    assert!(html.contains("<time datetime=\"2026-12-04T14:10:00Z\">2026-12-04 14:10</time>"));
    assert!(html.contains("<span class=\"posted-status\">Monitoring</span>"));
}

#[test]
fn a_resolved_incident_folds_to_one_line_that_opens() {
    let resolved =
        apply(Some(hostile_incident()), post("hostile", UpdateStatus::Resolved, "Fixed."), ENDPOINTS, T0 + 900)
            .unwrap();
    let (_, report) = report_with(vec![resolved], T0 + 1000);
    let html = render(&report, &[], None, None);
    assert!(html.contains("<details class=\"posted-incident resolved\">"));
    assert!(html.contains("resolved 2026-12-04 14:15 UTC"));
}

#[test]
fn the_feed_has_one_entry_per_incident_with_every_update_escaped() {
    let (config, report) = report_with(vec![hostile_incident()], T0 + 700);
    let feed = atom::feed(&config, &report.posted, &[], T0 + 700, "https://probe.example.com/feed.atom");
    assert_eq!(feed.matches("<entry>").count(), 1);
    assert!(feed.contains("<id>urn:outpost:update:hostile</id>"));
    assert!(feed.contains("<title>Monitoring: Title &lt;script&gt;"));
    assert!(feed.contains("<updated>2026-12-04T14:10:00Z</updated>"));
    assert!(!feed.contains("<script>") && !feed.contains("]]>"));
    let summary_start = feed.find("<summary type=\"text\">").unwrap();
    let summary = &feed[summary_start..];
    assert!(
        summary.find("Monitoring (2026-12-04T14:10:00Z): A fix is out").unwrap()
            < summary.find("Investigating").unwrap()
    );
    assert!(feed.contains("é → ├── 🚀 שלום עולם"));
}

fn schema_check(instance: &Value) {
    if let Err(error) = schemas::schema_check("statuspage-incident.json", instance) {
        panic!("{error}\n{instance:#}");
    }
}

#[test]
fn statuspage_json_lists_open_posted_incidents_in_the_summary_and_all_in_incidents() {
    let open = hostile_incident();
    let resolved = apply(None, post("old", UpdateStatus::Resolved, "Done."), ENDPOINTS, T0 - 3600).unwrap();
    let (config, report) = report_with(vec![open, resolved], T0 + 700);
    let summary = statuspage::summary(&config, &report, &[]);
    let listed = summary["incidents"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    let incident = &listed[0];
    schema_check(incident);
    assert_eq!(incident["id"], "posted-hostile");
    assert_eq!((incident["status"].as_str(), incident["impact"].as_str()), (Some("monitoring"), Some("critical")));
    assert_eq!(incident["monitoring_at"], "2026-12-04T14:10:00.000Z");
    assert_eq!(incident["components"][0]["name"], "api");
    let bodies: Vec<&str> =
        incident["incident_updates"].as_array().unwrap().iter().map(|u| u["body"].as_str().unwrap()).collect();
    // Newest first; the text as posted, bidi overrides dropped (JSON escapes it, no one else should).
    assert_eq!(bodies, ["A fix is out; watching.", HOSTILE.replace(['\u{202E}', '\u{202C}'], "").as_str()]);
    let all = statuspage::incidents(&config, &report, &[]);
    let all = all["incidents"].as_array().unwrap();
    assert_eq!(all.len(), 2);
    for incident in all {
        schema_check(incident);
    }
    assert_eq!(
        (all[1]["status"].as_str(), all[1]["resolved_at"].as_str()),
        (Some("resolved"), Some("2026-12-04T13:00:00.000Z"))
    );
}

#[test]
fn the_schema_refuses_what_statuspage_readers_would_not_read() {
    let (config, report) = report_with(vec![hostile_incident()], T0 + 700);
    let mut incident = statuspage::summary(&config, &report, &[])["incidents"][0].clone();
    incident["status"] = "broken".into();
    let result = std::panic::catch_unwind(|| schema_check(&incident));
    assert!(result.is_err(), "the schema took a status Statuspage does not have");
}

#[test]
fn an_open_posted_incident_raises_the_page_indicator_and_leads_the_headline_when_the_probe_sees_no_outage() {
    let open = UpdatePost {
        title: "Logins fail".into(),
        severity: Some("SEV1".into()),
        ..post("k", UpdateStatus::Identified, "Logins fail for some users.")
    };
    let (config, report) = report_with(vec![apply(None, open, ENDPOINTS, T0).unwrap()], T0 + 60);
    let summary = statuspage::summary(&config, &report, &[]);
    assert_eq!(summary["status"]["indicator"], "critical");
    assert_eq!(summary["status"]["description"], "Major System Outage");
    let html = render(&report, &[], None, None);
    assert!(html.contains("<p class=\"headline degraded\">Identified: Logins fail</p>"), "{html}");
    // Resolved, it no longer does.
    let resolved =
        apply(Some(report.posted[0].clone()), post("k", UpdateStatus::Resolved, "Fixed."), ENDPOINTS, T0 + 120)
            .unwrap();
    let (config, report) = report_with(vec![resolved], T0 + 180);
    // Without a severity an open incident still says something is wrong: at least minor.
    let plain = apply(None, post("p", UpdateStatus::Investigating, "Looking into reports."), ENDPOINTS, T0).unwrap();
    let (config_up, mut up) = report_with(Vec::new(), T0 + 60);
    up.endpoints.iter_mut().for_each(|e| e.state = api::State::Up);
    assert_eq!(statuspage::summary(&config_up, &up, &[])["status"]["indicator"], "none");
    up.posted = vec![plain];
    assert_eq!(statuspage::summary(&config_up, &up, &[])["status"]["indicator"], "minor");
    // Back to what the probe says: here it has no data yet ("minor", never "none").
    assert_eq!(statuspage::summary(&config, &report, &[])["status"]["indicator"], "minor");
}
