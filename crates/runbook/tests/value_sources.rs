//! Which value a host placeholder takes when several places offer one.

use runbook::value_sources::{resolve, Source};
use runbook::Runbook;

fn team_runbook() -> Runbook {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/runbooks/incident-response.md"))
            .unwrap();
    Runbook::from_document(document::parse("incident-response.md", &text))
}

fn layer(source: Source, pairs: &[(&str, &str)]) -> (Source, Vec<(String, String)>) {
    (source, pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[test]
fn a_later_source_wins_and_a_value_that_does_not_fit_is_listed_with_its_source() {
    let runbook = team_runbook();
    let resolved = resolve(
        &runbook,
        vec![
            layer(Source::Site, &[("EC2_HOST", "site.example.com")]),
            layer(Source::User, &[("EC2_HOST", "mine.example.com")]),
            layer(Source::Link, &[("EC2_HOST", "-oProxyCommand=sh"), ("NOT_THERE", "x"), ("EC2_HOST", "")]),
        ],
    );
    assert_eq!(resolved.values.get("EC2_HOST"), Some(&("mine.example.com".to_string(), Source::User)));
    assert_eq!(resolved.refused.len(), 1, "{:?}", resolved.refused);
    assert!(resolved.refused[0].ends_with("(from the link)."), "{:?}", resolved.refused);
    let incident = resolve(
        &runbook,
        vec![
            layer(Source::Link, &[("EC2_HOST", "link.example.com")]),
            layer(Source::Incident, &[("EC2_HOST", "203.0.113.7")]),
        ],
    );
    assert_eq!(incident.values.get("EC2_HOST"), Some(&("203.0.113.7".to_string(), Source::Incident)));
    assert!(incident.refused.is_empty());
}

#[test]
fn a_link_sets_only_the_runbooks_placeholders_in_one_line_and_the_incident_comes_last() {
    use runbook::value_sources::{from_link, Offered};
    let runbook = team_runbook();
    let query = |name: &str| match name {
        "EC2_HOST" => Some(" 203.0.113.7\n".to_string()),
        "SECRET" | "PATH" => Some("x".to_string()),
        _ => None,
    };
    let taken = from_link(&runbook, &query);
    assert_eq!(taken.into_iter().collect::<Vec<_>>(), [("EC2_HOST".to_string(), "203.0.113.7".to_string())]);
    let pair = |v: &str| vec![("EC2_HOST".to_string(), v.to_string())];
    let offered = Offered {
        site: pair("a.example.com"),
        runbook: vec![],
        user: vec![],
        link: pair("b.example.com"),
        incident: Some(pair("c.example.com")),
    };
    let order: Vec<Source> = offered.layers().into_iter().map(|(source, _)| source).collect();
    assert_eq!(order, [Source::Site, Source::Runbook, Source::User, Source::Link, Source::Incident]);
}
