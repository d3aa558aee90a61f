//! From the file as written to a config the probe can run, with a clear error (and its
//! line) for everything that would fail or mislead at the edge.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::assertion;
use crate::limits::FREE_SUBREQUESTS_PER_INVOCATION;
use crate::raw::{LineIndex, RawConfig, StatusSpec};
use crate::transport::{transport_of, Transport};
use crate::*;

struct Errors<'a> {
    list: Vec<ConfigError>,
    lines: &'a LineIndex,
}

impl Errors<'_> {
    fn add(&mut self, span: Range<usize>, message: String) {
        self.list.push(ConfigError { line: self.lines.line(span.start), message });
    }
}

pub(crate) fn validate(raw: RawConfig, lines: &LineIndex) -> (Config, Vec<ConfigError>) {
    let mut errors = Errors { list: Vec::new(), lines };
    let mut notes = Vec::new();
    let line_of = |span: Range<usize>| lines.line(span.start);

    let variables: BTreeMap<String, String> =
        raw.variables.iter().map(|(k, v)| (k.clone(), v.get_ref().clone())).collect();
    let probe = raw.probe.map(Spanned::into_inner).unwrap_or_default();

    let mut regions: Vec<String> = DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect();
    if let Some(list) = probe.regions {
        let span = list.span();
        let list = list.into_inner();
        let unknown: Vec<&String> = list.iter().filter(|r| !LOCATION_HINTS.contains(&r.as_str())).collect();
        if list.is_empty() {
            errors.add(
                span,
                "[probe] regions is empty: list at least one, such as [\"weur\", \"enam\", \"apac\"]".into(),
            );
        } else if !unknown.is_empty() {
            errors.add(
                span,
                format!(
                    "unknown region {:?}: regions are Cloudflare location hints, one of {}",
                    unknown[0],
                    LOCATION_HINTS.join(", ")
                ),
            );
        } else {
            regions = list;
            regions.dedup();
        }
    }
    let quorum = match probe.quorum {
        Some(q) if *q.get_ref() == 0 || *q.get_ref() as usize > regions.len() => {
            errors.add(q.span(), format!("quorum must be between 1 and the number of regions ({})", regions.len()));
            regions.len() / 2 + 1
        }
        Some(q) => *q.get_ref() as usize,
        // A majority: with three regions, two failing is "down" and one is "regional".
        None => regions.len() / 2 + 1,
    };
    let ticks = |value: Option<Spanned<u32>>, default: u32, name: &str, errors: &mut Errors| match value {
        Some(v) if *v.get_ref() == 0 || *v.get_ref() > 60 => {
            errors.add(v.span(), format!("{name} must be between 1 and 60 ticks (minutes)"));
            default
        }
        Some(v) => *v.get_ref(),
        None => default,
    };
    let thresholds = Thresholds {
        quorum,
        fail_ticks: ticks(probe.fail_ticks, 2, "fail_ticks", &mut errors),
        recover_ticks: ticks(probe.recover_ticks, 3, "recover_ticks", &mut errors),
    };
    let defaults = (
        probe.slow_ms.unwrap_or(DEFAULT_SLOW_MS),
        probe.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS),
        probe.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
    );

    let mut endpoints: Vec<Endpoint> = Vec::new();
    let endpoint_count = raw.endpoints.len();
    for spanned in raw.endpoints {
        let table_span = spanned.span();
        let raw = spanned.into_inner();
        let before = errors.list.len();
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            errors.add(
                raw.name.span(),
                format!(
                    "endpoint name {name:?} must be letters, digits, '-', '_' or '.' (it is part of API addresses)"
                ),
            );
        } else if endpoints.iter().any(|e| e.name == name) {
            errors.add(raw.name.span(), format!("two endpoints are named {name:?}: names must be unique"));
        }
        let url = match substitute(raw.url.get_ref(), &variables) {
            Ok(url) => url,
            Err(message) => {
                errors.add(raw.url.span(), message);
                String::new()
            }
        };
        let mut transport = Transport::Fetch;
        if !url.is_empty() {
            match transport_of(&url) {
                Ok((chosen, note)) => {
                    transport = chosen;
                    if let Some(note) = note {
                        notes.push(ConfigError {
                            line: line_of(raw.url.span()),
                            message: format!("endpoint {name:?}: {note}"),
                        });
                    }
                }
                Err(message) => errors.add(raw.url.span(), message),
            }
        }
        let method = raw.method.as_ref().map_or("GET".to_string(), |m| m.get_ref().to_ascii_uppercase());
        if let Some(m) = &raw.method {
            if !["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].contains(&method.as_str()) {
                errors.add(m.span(), format!("unknown method {:?}", m.get_ref()));
            }
        }
        let expect_status = match raw.expect_status {
            // Any success: a list holding the one range 200..300.
            None => std::iter::once(200..300).collect(),
            Some(spec) => {
                let span = spec.span();
                let codes = match spec.into_inner() {
                    StatusSpec::One(code) => vec![code],
                    StatusSpec::Many(codes) => codes,
                };
                if codes.is_empty() || codes.iter().any(|c| !(100..=599).contains(c)) {
                    errors.add(
                        span,
                        "expect_status must be HTTP status codes (100 to 599), such as 200 or [200, 204]".into(),
                    );
                }
                codes.into_iter().map(|c| c..c + 1).collect()
            }
        };
        let mut assertions = Vec::new();
        for text in &raw.assertions {
            match assertion::parse(text.get_ref()) {
                Ok(a) => assertions.push(a),
                Err(message) => errors.add(text.span(), format!("assert {:?}: {message}", text.get_ref())),
            }
        }
        let slow_ms = raw.slow_ms.as_ref().map_or(defaults.0, |s| *s.get_ref());
        let timeout_ms = raw.timeout_ms.as_ref().map_or(defaults.1, |t| *t.get_ref());
        if timeout_ms == 0 || timeout_ms > 60_000 {
            let span = raw.timeout_ms.as_ref().map_or(table_span.clone(), |t| t.span());
            errors.add(span, "timeout_ms must be between 1 and 60000".into());
        }
        if slow_ms >= timeout_ms {
            let span = raw.slow_ms.as_ref().map_or(table_span.clone(), |s| s.span());
            errors.add(
                span,
                format!("slow_ms ({slow_ms}) must be below timeout_ms ({timeout_ms}), or nothing is ever slow"),
            );
        }
        let mut headers = Vec::new();
        for (name, value) in &raw.headers {
            let header = match value.get_ref().strip_prefix("secret:") {
                Some(secret) if !secret.is_empty() && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                    HeaderValue::Secret(secret.to_string())
                }
                Some(_) => {
                    errors.add(
                        value.span(),
                        "a secret header is written \"secret:NAME\", NAME being a Worker secret (A-Z, 0-9, _)".into(),
                    );
                    continue;
                }
                None => HeaderValue::Plain(value.get_ref().clone()),
            };
            headers.push((name.clone(), header));
        }
        if errors.list.len() == before {
            endpoints.push(Endpoint {
                name,
                url,
                method,
                expect_status,
                assertions,
                slow_ms,
                timeout_ms,
                max_body_bytes: raw.max_body_bytes.unwrap_or(defaults.2),
                headers,
                runbook: raw.runbook,
                transport,
                follow_redirects: raw.follow_redirects,
                line: line_of(table_span),
            });
        }
    }
    // Each region's object fetches every endpoint in one invocation.
    if endpoint_count > FREE_SUBREQUESTS_PER_INVOCATION {
        errors.list.push(ConfigError {
            line: 1,
            message: format!(
                "{endpoint_count} endpoints need {endpoint_count} requests per region per tick, more than the {FREE_SUBREQUESTS_PER_INVOCATION} a Worker may make on the free plan: probe at most {FREE_SUBREQUESTS_PER_INVOCATION} endpoints"
            ),
        });
    }
    let names: Vec<String> = endpoints.iter().map(|e| e.name.clone()).collect();
    let unknown_endpoint = |list: &[String]| list.iter().find(|name| !names.contains(name)).cloned();
    let mut alerts = Vec::new();
    for spanned in raw.alerts {
        let span = spanned.span();
        let alert = spanned.into_inner();
        let kind = match alert.kind.get_ref().as_str() {
            "slack" => AlertKind::Slack,
            "discord" => AlertKind::Discord,
            "webhook" => AlertKind::Webhook,
            other => {
                errors.add(
                    alert.kind.span(),
                    format!("unknown alert kind {other:?}: use \"slack\", \"discord\" or \"webhook\""),
                );
                continue;
            }
        };
        let Some(secret) = alert
            .url
            .get_ref()
            .strip_prefix("secret:")
            .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        else {
            errors.add(alert.url.span(), "a webhook URL is a secret: store it with `wrangler secret put SLACK_WEBHOOK_URL` and write url = \"secret:SLACK_WEBHOOK_URL\"".into());
            continue;
        };
        if let Some(name) = unknown_endpoint(&alert.endpoints) {
            errors.add(span.clone(), format!("alert names the endpoint {name:?}, which is not configured"));
        }
        alerts.push(AlertTarget {
            kind,
            url_secret: secret.to_string(),
            endpoints: alert.endpoints,
            max_age_minutes: alert.max_age_minutes.unwrap_or(24 * 60),
            line: line_of(span),
        });
    }
    let mut maintenance = Vec::new();
    for spanned in raw.maintenance {
        let span = spanned.span();
        let window = spanned.into_inner();
        let (start, end) = match (unix_seconds(window.start.get_ref()), unix_seconds(window.end.get_ref())) {
            (Ok(start), Ok(end)) => (start, end),
            (Err(message), _) => {
                errors.add(window.start.span(), message);
                continue;
            }
            (_, Err(message)) => {
                errors.add(window.end.span(), message);
                continue;
            }
        };
        if end <= start {
            errors.add(window.end.span(), "a maintenance window must end after it starts".into());
            continue;
        }
        if let Some(name) = unknown_endpoint(&window.endpoints) {
            errors.add(span, format!("maintenance names the endpoint {name:?}, which is not configured"));
        }
        maintenance.push(Maintenance { title: window.title, start, end, endpoints: window.endpoints });
    }
    let probe_api = raw.site.probe_api.map(Spanned::into_inner);
    let title = raw.site.title.unwrap_or_else(|| "Outpost".to_string());
    let site_url = raw.site.url.filter(|u| !u.trim().is_empty());
    (
        Config { title, variables, site_url, probe_api, regions, thresholds, endpoints, alerts, maintenance, notes },
        errors.list,
    )
}

/// `http://{EC2_HOST}:8765/x` with the site's variables filled in.
fn substitute(url: &str, variables: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::with_capacity(url.len());
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').ok_or("a '{' in the URL is not closed with '}'")? + open;
        let name = &rest[open + 1..close];
        let value = variables.get(name).ok_or_else(|| {
            format!("unknown variable {{{name}}}: define it under [variables], such as {name} = \"api.example.com\"")
        })?;
        if value.is_empty() {
            return Err(format!("variable {name} is empty: give it a value under [variables] to probe this endpoint"));
        }
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A TOML date-time with a time and an offset (`2026-12-01T02:00:00Z`) as Unix seconds.
fn unix_seconds(datetime: &toml::value::Datetime) -> Result<i64, String> {
    let (Some(date), Some(time)) = (datetime.date, datetime.time) else {
        return Err(format!("{datetime} needs a date and a time, such as 2026-12-01T02:00:00Z"));
    };
    let offset_minutes = match datetime.offset {
        Some(toml::value::Offset::Z) => 0,
        Some(toml::value::Offset::Custom { minutes }) => i64::from(minutes),
        None => return Err(format!("{datetime} has no time zone: add Z for UTC, such as 2026-12-01T02:00:00Z")),
    };
    Ok(calendar::unix_seconds(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
        u32::from(time.hour),
        u32::from(time.minute),
        u32::from(time.second),
    ) - offset_minutes * 60)
}
