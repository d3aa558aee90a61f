//! `[deploy]` and the readiness `cargo xtask deploy` checks before sending anything: names
//! as Cloudflare takes them, `[site]` agreeing with where things go, every secret named.

use config::deploy_check::{readiness, secrets_named};
use config::parse_config;

const READY: &str = r#"
[site]
url = "https://runbooks.acme.example"
probe_api = "https://acme-probe.acme.workers.dev"

[[endpoint]]
name = "api"
url = "https://api.acme.example/health"
headers = { Authorization = "secret:HEALTH_TOKEN" }

[[heartbeat]]
name = "backup"
period_seconds = 86400
token = "secret:BACKUP_BEAT_TOKEN"

[[alert]]
kind = "slack"
url = "secret:SLACK_WEBHOOK_URL"

[[alert]]
kind = "pagerduty"
key = "secret:PAGERDUTY_KEY"

[deploy]
pages_project = "acme-runbooks"
worker = "acme-probe"
site_domain = "runbooks.acme.example"
"#;

fn parsed(text: &str) -> config::Config {
    let (config, errors) = parse_config(text);
    assert!(errors.is_empty(), "{errors:?}");
    config
}

fn errors_of(text: &str) -> Vec<String> {
    parse_config(text).1.into_iter().map(|e| e.to_string()).collect()
}

#[test]
fn a_complete_deploy_section_is_ready_with_nothing_missing() {
    let config = parsed(READY);
    let deploy = config.deploy.as_ref().expect("read");
    assert_eq!((deploy.pages_project.as_str(), deploy.worker.as_str()), ("acme-runbooks", "acme-probe"));
    assert_eq!(deploy.site_origins(), ["https://acme-runbooks.pages.dev", "https://runbooks.acme.example"]);
    let ready = readiness(&config);
    assert_eq!(ready.missing, Vec::<String>::new());
}

#[test]
fn a_config_without_a_deploy_section_is_told_to_add_one() {
    let config = parsed("[site]\ntitle = \"x\"\n");
    assert!(config.deploy.is_none());
    let ready = readiness(&config);
    assert_eq!(ready.missing.len(), 1);
    assert!(ready.missing[0].contains("no [deploy] section"), "{:?}", ready.missing);
}

#[test]
fn a_fresh_config_is_told_every_missing_piece_at_once() {
    let start =
        READY.replace("[deploy]", "[not-deploy]").replace("probe_api = \"https://acme-probe.acme.workers.dev\"\n", "");
    let start = start.split("[not-deploy]").next().unwrap();
    let missing = readiness(&parsed(start)).missing;
    assert_eq!(missing.len(), 3, "{missing:?}");
    assert!(missing[0].contains("no [deploy] section"));
    assert!(missing[1].contains("probe_api is not set") && missing[1].contains("https://outpost-probe.<your"));
    assert!(missing[2].contains("[site] url \"https://runbooks.acme.example\" is not where the site is deployed"));
}

#[test]
fn checks_without_probe_api_are_missing_the_workers_address() {
    let text = READY.replace("probe_api = \"https://acme-probe.acme.workers.dev\"\n", "");
    let ready = readiness(&parsed(&text));
    assert_eq!(ready.missing.len(), 1, "{:?}", ready.missing);
    assert!(ready.missing[0].contains("probe_api is not set"), "{:?}", ready.missing);
    assert!(ready.missing[0].contains("https://acme-probe.<your workers.dev subdomain>.workers.dev"));
}

#[test]
fn a_site_without_checks_may_deploy_without_a_probe() {
    let ready = readiness(&parsed("[deploy]\npages_project = \"acme-runbooks\"\n"));
    assert!(ready.missing.is_empty(), "{:?}", ready.missing);
    assert!(ready.warnings.iter().any(|w| w.contains("only the site is deployed")), "{:?}", ready.warnings);
}

#[test]
fn probe_api_must_be_the_workers_own_address() {
    for wrong in [
        "https://other-probe.acme.workers.dev",
        "https://acme-probe.workers.dev",
        "https://acme-probe.a.b.workers.dev",
        "https://acme-probe.acme.workers.dev.evil.example",
        "https://status.acme.example",
    ] {
        let text = READY.replace("https://acme-probe.acme.workers.dev", wrong);
        let ready = readiness(&parsed(&text));
        assert_eq!(ready.missing.len(), 1, "{wrong}: {:?}", ready.missing);
        assert!(ready.missing[0].contains("is not where the Worker \"acme-probe\" answers"), "{:?}", ready.missing);
    }
    let custom = READY.replace("https://acme-probe.acme.workers.dev", "https://status.acme.example/")
        + "probe_domain = \"status.acme.example\"\n";
    assert_eq!(readiness(&parsed(&custom)).missing, Vec::<String>::new());
    let on_port = READY.replace("https://acme-probe.acme.workers.dev", "https://status.acme.example:8443")
        + "probe_domain = \"status.acme.example\"\n";
    assert_eq!(readiness(&parsed(&on_port)).missing, Vec::<String>::new(), "the host is what is compared");
    let upper = READY.replace("https://acme-probe.acme.workers.dev", "https://ACME-Probe.acme.workers.dev");
    assert_eq!(readiness(&parsed(&upper)).missing, Vec::<String>::new(), "host names compare in any case");
}

#[test]
fn site_url_must_be_the_pages_address_or_the_sites_domain() {
    for fine in [
        "https://acme-runbooks.pages.dev",
        "https://acme-runbooks-7xq.pages.dev",
        "https://RUNBOOKS.acme.example/",
        "https://runbooks.acme.example/ops",
    ] {
        let text = READY.replace("https://runbooks.acme.example\"", &format!("{fine}\""));
        assert_eq!(readiness(&parsed(&text)).missing, Vec::<String>::new(), "{fine}");
    }
    for wrong in [
        "https://runbooks.acme.example.evil.example",
        "https://acme-runbooks.pages.devx",
        "http://runbooks.acme.example",
        "https://acme-runbooksx.pages.dev",
        "https://acme-runbooks-.pages.dev",
        "https://other.pages.dev",
    ] {
        let text = READY.replace("https://runbooks.acme.example\"", &format!("{wrong}\""));
        let missing = readiness(&parsed(&text)).missing;
        assert_eq!(missing.len(), 1, "{wrong}: {missing:?}");
        assert!(missing[0].contains("https://acme-runbooks.pages.dev or https://runbooks.acme.example"), "{missing:?}");
    }
    let unset = READY.replace("url = \"https://runbooks.acme.example\"\n", "");
    let ready = readiness(&parsed(&unset));
    assert!(ready.missing.is_empty());
    assert!(ready.warnings.iter().any(|w| w.contains("[site] url is not set")), "{:?}", ready.warnings);
}

#[test]
fn names_are_taken_as_cloudflare_takes_them_at_and_past_their_limits() {
    let with = |line: &str| format!("[deploy]\n{line}\n");
    assert!(errors_of(&with(&format!("pages_project = \"{}\"", "a".repeat(58)))).is_empty());
    assert!(errors_of(&with(&format!("worker = \"{}\"", "a".repeat(63)))).is_empty());
    for (line, said) in [
        (format!("pages_project = \"{}\"", "a".repeat(59)), "1 to 58"),
        (format!("worker = \"{}\"", "a".repeat(64)), "1 to 63"),
        ("worker = \"Acme-Probe\"".to_string(), "lowercase"),
        ("worker = \"-probe\"".to_string(), "not first or last"),
        ("pages_project = \"runbooks-é\"".to_string(), "lowercase"),
        ("pages_project = \"../..\"".to_string(), "lowercase"),
        ("pages_project = \"\"".to_string(), "1 to 58"),
        ("account_id = \"not-an-id\"".to_string(), "32 hexadecimal digits"),
        ("site_domain = \"https://runbooks.acme.example\"".to_string(), "host name only"),
        ("site_domain = \"runbooks.acme.example/ops\"".to_string(), "host name only"),
        ("probe_domain = \"ünicode.example\"".to_string(), "not a lowercase host name"),
        ("probe_domain = \"localhost\"".to_string(), "not a lowercase host name"),
        ("probe_domain = \"acme-probe.acme.workers.dev\"".to_string(), "Cloudflare's own address"),
        ("colour = \"blue\"".to_string(), "unknown field"),
    ] {
        let errors = errors_of(&with(&line));
        assert_eq!(errors.len(), 1, "{line}: {errors:?}");
        assert!(errors[0].starts_with("outpost.toml:2:") && errors[0].contains(said), "{line}: {errors:?}");
    }
    let same = errors_of("[deploy]\nsite_domain = \"a.example\"\nprobe_domain = \"a.example\"\n");
    assert!(same.len() == 1 && same[0].contains("outpost.toml:3:") && same[0].contains("host name of its own"));
    let id = parse_config(&with(&format!("account_id = \"{}\"", "AB".repeat(16)))).0;
    assert_eq!(id.deploy.unwrap().account_id.as_deref(), Some("ab".repeat(16).as_str()));
}

#[test]
fn every_secret_the_probe_reads_is_named_with_what_reads_it() {
    let named = secrets_named(&parsed(READY));
    let summary: Vec<(&str, bool)> = named.iter().map(|s| (s.name.as_str(), s.required)).collect();
    assert_eq!(
        summary,
        [
            ("HEALTH_TOKEN", true),
            ("BACKUP_BEAT_TOKEN", true),
            ("SLACK_WEBHOOK_URL", true),
            ("PAGERDUTY_KEY", true),
            ("PROBE_TOKEN", false),
            ("UPDATES_TOKEN", false),
        ]
    );
    assert_eq!(named[0].used_by, ["endpoint api (header Authorization)"]);
    assert_eq!(named[3].used_by, ["alert 2 (pagerduty): its key"]);
}

#[test]
fn a_secret_named_twice_is_listed_once_with_both_uses() {
    let text = READY.replace(
        "[[heartbeat]]",
        "[[endpoint]]\nname = \"admin\"\nurl = \"https://admin.acme.example/health\"\nheaders = { Authorization = \"secret:HEALTH_TOKEN\" }\n\n[[heartbeat]]",
    );
    let named = secrets_named(&parsed(&text));
    let health: Vec<_> = named.iter().filter(|s| s.name == "HEALTH_TOKEN").collect();
    assert_eq!(health.len(), 1);
    assert_eq!(health[0].used_by, ["endpoint api (header Authorization)", "endpoint admin (header Authorization)"]);
}
