//! From the file as written to a config the probe can run, with a clear error (and its
//! line) for everything that would fail or mislead at the edge.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::Spanned;

use crate::assertion;
use crate::budget::FREE_SUBREQUESTS_PER_INVOCATION;
use crate::config::*;

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
        if !url.is_empty() {
            if let Err(message) = check_url(&url) {
                errors.add(raw.url.span(), message);
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
    let probe_api = raw.site.probe_api.map(Spanned::into_inner);
    let title = raw.site.title.unwrap_or_else(|| "Outpost".to_string());
    let site_url = raw.site.url.filter(|u| !u.trim().is_empty());
    (Config { title, site_url, probe_api, regions, thresholds, endpoints }, errors.list)
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

/// What Workers `fetch()` can reach: http(s) to a host name, any port.
fn check_url(url: &str) -> Result<(), String> {
    let (scheme, rest) =
        url.split_once("://").ok_or_else(|| format!("{url:?} is not a URL: write it as http://host/path"))?;
    if !matches!(scheme, "http" | "https") {
        return Err(format!("{url:?}: only http and https endpoints can be probed"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return Err(format!("{url:?} carries credentials: send them as a header with a secret, such as Authorization = \"secret:HEALTH_TOKEN\""));
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']').ok_or_else(|| format!("{url:?}: unclosed '[' in the host"))?;
        let port = &v6[end + 1..];
        check_port(url, port.strip_prefix(':'))?;
        return Err(raw_ip_message(url, &v6[..end]));
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        check_port(url, port)?;
        host
    };
    if host.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    if host.split('.').count() == 4 && host.split('.').all(|part| part.parse::<u8>().is_ok()) {
        return Err(raw_ip_message(url, host));
    }
    if !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Err(format!("{url:?}: {host:?} is not a valid host name"));
    }
    Ok(())
}

fn check_port(url: &str, port: Option<&str>) -> Result<(), String> {
    match port {
        None => Ok(()),
        Some(port) if port.parse::<u16>().is_ok_and(|p| p > 0) => Ok(()),
        Some(port) => Err(format!("{url:?}: {port:?} is not a port number")),
    }
}

fn raw_ip_message(url: &str, ip: &str) -> String {
    format!(
        "{url:?} uses the raw IP address {ip}, which Workers fetch() refuses. Give the host a DNS name (an A record pointing at {ip}) and use that name here"
    )
}
