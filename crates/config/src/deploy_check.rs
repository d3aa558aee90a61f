//! Whether a config is ready to deploy: what `cargo xtask deploy` checks before anything is
//! sent, and the Worker secrets it must find. Each missing piece says what to write.

use crate::deploy::Deploy;
use crate::{AlertUrl, Config, HeaderValue};

/// The secret that turns on `POST /api/probe` (probing now, from the site or a script).
pub const PROBE_TOKEN: &str = "PROBE_TOKEN";
/// The secret that turns on status updates (`POST /api/updates`) from the cockpit.
pub const UPDATES_TOKEN: &str = "UPDATES_TOKEN";

/// A Worker secret the deployed probe reads, and what reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedSecret {
    pub name: String,
    /// "endpoint api (header Authorization)", "alert 1 (pagerduty key)", …
    pub used_by: Vec<String>,
    /// Without a required secret a part of the config cannot work; an optional one only
    /// leaves a route off.
    pub required: bool,
}

/// What must be fixed before deploying, and what is worth knowing but may stay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readiness {
    pub missing: Vec<String>,
    pub warnings: Vec<String>,
}

/// Every secret the deployed probe reads: those the config names (required), then the two
/// tokens that turn routes on (optional).
pub fn secrets_named(config: &Config) -> Vec<NamedSecret> {
    let mut named: Vec<NamedSecret> = Vec::new();
    let mut add = |name: &str, used_by: String, required: bool| match named.iter_mut().find(|s| s.name == name) {
        Some(secret) => {
            secret.used_by.push(used_by);
            secret.required |= required;
        }
        None => named.push(NamedSecret { name: name.to_string(), used_by: vec![used_by], required }),
    };
    for endpoint in &config.endpoints {
        for (header, value) in &endpoint.headers {
            if let HeaderValue::Secret(name) = value {
                add(name, format!("endpoint {} (header {header})", endpoint.name), true);
            }
        }
        if let Some((_, _, token)) = endpoint.heartbeat() {
            add(token, format!("heartbeat {} (its token)", endpoint.name), true);
        }
    }
    for (index, alert) in config.alerts.iter().enumerate() {
        let label = format!("alert {} ({})", index + 1, alert.kind.name());
        if let AlertUrl::Secret(name) = &alert.url {
            add(name, format!("{label}: its url"), true);
        }
        if let Some(name) = &alert.key_secret {
            add(name, format!("{label}: its key"), true);
        }
    }
    add(PROBE_TOKEN, "POST /api/probe (\"Probe now\" from scripts)".into(), false);
    add(UPDATES_TOKEN, "status updates from the cockpit (POST /api/updates)".into(), false);
    named
}

/// Whether `config` (read for Cloudflare) names where it goes and agrees with itself: the
/// `[deploy]` section, `[site] probe_api` as the Worker's address, `[site] url` as the
/// site's.
pub fn readiness(config: &Config) -> Readiness {
    let mut ready = Readiness::default();
    let unnamed = Deploy::named_by_default();
    let deploy = config.deploy.as_ref().unwrap_or_else(|| {
        ready.missing.push(
            "outpost.toml has no [deploy] section: add one naming the Cloudflare Pages project and the Worker, \
             such as\n       [deploy]\n       pages_project = \"acme-runbooks\"\n       worker = \"acme-probe\""
                .into(),
        );
        &unnamed
    });
    let probe_address = match &deploy.probe_domain {
        Some(domain) => format!("https://{domain}"),
        None => format!("https://{}.<your workers.dev subdomain>.workers.dev", deploy.worker),
    };
    match &config.probe_api {
        None if !config.endpoints.is_empty() => ready.missing.push(format!(
            "[site] probe_api is not set, so the site would not show what the probe finds ({} {}): set it to the \
             Worker's address, {probe_address} (the subdomain is on the dashboard's Workers & Pages overview)",
            config.endpoints.len(),
            if config.endpoints.len() == 1 { "check" } else { "checks" }
        )),
        None => ready.warnings.push(
            "[site] probe_api is not set: only the site is deployed (no probe, status page or live rooms)".into(),
        ),
        Some(api) => {
            let host = host_of(api);
            if !deploy.is_probe_host(host) {
                ready.missing.push(format!(
                    "[site] probe_api {api:?} is not where the Worker {:?} answers: set it to {probe_address}",
                    deploy.worker
                ));
            }
        }
    }
    let origins = deploy.site_origins();
    // `<project>-<suffix>.pages.dev` too: Cloudflare's address when the name was taken.
    let is_site = |url: &str| {
        origins.iter().any(|origin| same_origin(url, origin))
            || url.to_ascii_lowercase().starts_with("https://") && deploy.is_pages_host(host_of(url))
    };
    match &config.site_url {
        Some(url) if !is_site(url) => ready
            .missing
            .push(format!("[site] url {url:?} is not where the site is deployed: use {}", origins.join(" or "))),
        Some(_) => {}
        None if !config.endpoints.is_empty() => ready.warnings.push(format!(
            "[site] url is not set, so the status page and alerts cannot link each check to its runbook: set it \
             to {}",
            origins.last().expect("the pages.dev address is always there")
        )),
        None => {}
    }
    ready
}

/// `status.example.com` of `https://status.example.com/probe`.
fn host_of(address: &str) -> &str {
    let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority.rsplit_once(':').filter(|(_, port)| port.parse::<u16>().is_ok()).map_or(authority, |(host, _)| host)
}

/// `url` is `origin`, or a path under it.
fn same_origin(url: &str, origin: &str) -> bool {
    let url = url.trim_end_matches('/');
    url.eq_ignore_ascii_case(origin)
        || url.get(..origin.len()).is_some_and(|start| start.eq_ignore_ascii_case(origin))
            && url[origin.len()..].starts_with('/')
}
