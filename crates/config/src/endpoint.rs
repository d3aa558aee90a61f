//! One `[[endpoint]]`, checked: every number in range, the URL one Cloudflare can reach, the
//! headers and assertions well formed. A mistake leaves out this endpoint only.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::ops::Range;

use toml::Spanned;

use crate::address::{is_loopback_name, unreachable_ip};
use crate::assertion;
use crate::assertion::Assertion;
use crate::errors::Errors;
use crate::limits::{MAX_BODY_BYTES, MAX_TIMEOUT_MS};
use crate::raw::{RawEndpoint, RawProbe, StatusSpec};
use crate::secrets::is_secret_name;
use crate::transport::{transport_of, Transport};
use crate::{Endpoint, HeaderValue, Platform, DEFAULT_MAX_BODY_BYTES, DEFAULT_SLOW_MS, DEFAULT_TIMEOUT_MS};

/// `[probe]`'s defaults for every endpoint.
pub(crate) struct Defaults {
    slow_ms: u32,
    timeout_ms: u32,
    max_body_bytes: u32,
}

pub(crate) fn defaults(probe: &RawProbe, errors: &mut Errors) -> Defaults {
    let mut defaults =
        Defaults { slow_ms: DEFAULT_SLOW_MS, timeout_ms: DEFAULT_TIMEOUT_MS, max_body_bytes: DEFAULT_MAX_BODY_BYTES };
    if let Some(timeout) = &probe.timeout_ms {
        if timeout_in_range(*timeout.get_ref(), timeout.span(), errors) {
            defaults.timeout_ms = *timeout.get_ref();
        }
    }
    if let Some(slow) = &probe.slow_ms {
        defaults.slow_ms = *slow.get_ref();
    }
    if let Some(bytes) = &probe.max_body_bytes {
        if body_limit_in_range(*bytes.get_ref(), bytes.span(), errors) {
            defaults.max_body_bytes = *bytes.get_ref();
        }
    }
    defaults
}

/// What every endpoint is checked against.
pub(crate) struct Context<'a> {
    pub variables: &'a BTreeMap<String, String>,
    pub defaults: Defaults,
    pub platform: Platform,
    /// The DNS-over-HTTPS resolver `dns://` checks ask (`[probe] dns_resolver`).
    pub resolver: String,
}

/// The endpoint, or `None` with every mistake in `errors` (the others are still checked).
pub(crate) fn validate(
    spanned: Spanned<RawEndpoint>,
    context: &Context,
    earlier: &[Endpoint],
    errors: &mut Errors,
) -> Option<Endpoint> {
    let table_span = spanned.span();
    let raw = spanned.into_inner();
    let before = errors.list.len();
    // A DNS check asks the resolver: nothing of an HTTP probe applies, and no header (a secret
    // among them) may go to the resolver.
    let http_only = raw.method.is_some()
        || raw.expect_status.is_some()
        || !raw.assertions.is_empty()
        || !raw.headers.is_empty()
        || raw.follow_redirects;
    let name = endpoint_name(&raw.name, earlier, errors);
    let (url, hosts, transport) = url(&raw.url, &name, context, errors);
    let method = method(raw.method.as_ref(), errors);
    let timing = timing(&raw, &context.defaults, &table_span, errors);
    let expect_status = expect_status(raw.expect_status, errors);
    let assertions = assertions(&raw.assertions, errors);
    let headers = headers(&raw.headers, errors);
    if let Some(runbook) = &raw.runbook {
        runbook_link(runbook, &table_span, errors);
    }
    if matches!(transport, Transport::Dns { .. }) && http_only {
        errors.add(
            table_span.clone(),
            format!("endpoint {name:?} is a dns:// check: it takes no method, expect_status, assert, headers or follow_redirects (write the values expected as expect= in its URL)"),
        );
    }
    (errors.list.len() == before).then(|| Endpoint {
        name,
        url,
        method,
        expect_status,
        assertions,
        slow_ms: timing.slow_ms,
        timeout_ms: timing.timeout_ms,
        max_body_bytes: timing.max_body_bytes,
        headers,
        runbook: raw.runbook,
        hosts,
        transport,
        follow_redirects: raw.follow_redirects,
        line: errors.line(table_span),
    })
}

/// A name that can stand in an API address, unique in the config.
pub(crate) fn endpoint_name(raw: &Spanned<String>, earlier: &[Endpoint], errors: &mut Errors) -> String {
    let name = raw.get_ref().trim().to_string();
    if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        errors.add(
            raw.span(),
            format!(
                "endpoint name {name:?} must be 1 to 64 letters, digits, '-', '_' or '.' (it is part of API addresses)"
            ),
        );
    } else if earlier.iter().any(|e| e.name == name) {
        errors.add(raw.span(), format!("two endpoints are named {name:?}: names must be unique"));
    }
    name
}

/// The URL with `[variables]` filled in, the variables it named, and how it is probed.
fn url(
    raw: &Spanned<String>,
    name: &str,
    context: &Context,
    errors: &mut Errors,
) -> (String, BTreeMap<String, String>, Transport) {
    let (url, hosts) = match substitute(raw.get_ref(), context.variables) {
        Ok(substituted) => substituted,
        Err(message) => {
            errors.add(raw.span(), message);
            (String::new(), BTreeMap::new())
        }
    };
    let mut transport = Transport::Fetch;
    if !url.is_empty() {
        let chosen = if url.get(..6).is_some_and(|scheme| scheme.eq_ignore_ascii_case("dns://")) {
            crate::dns::transport(&url, &context.resolver).map(|chosen| (chosen, None))
        } else {
            transport_of(&url)
                .and_then(|(chosen, note)| reachable(&url, &chosen, context.platform).map(|()| (chosen, note)))
        };
        match chosen {
            Ok((chosen, note)) => {
                transport = chosen;
                if let Some(note) = note {
                    errors.note(raw.span(), format!("endpoint {name:?}: {note}"));
                }
            }
            Err(message) => errors.add(raw.span(), message),
        }
    }
    (url, hosts, transport)
}

fn method(raw: Option<&Spanned<String>>, errors: &mut Errors) -> String {
    let method = raw.map_or("GET".to_string(), |m| m.get_ref().to_ascii_uppercase());
    if let Some(m) = raw {
        if !["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"].contains(&method.as_str()) {
            errors.add(m.span(), format!("unknown method {:?}", m.get_ref()));
        }
    }
    method
}

/// The codes that count as an answer, as ranges; any success when none is given.
fn expect_status(raw: Option<Spanned<StatusSpec>>, errors: &mut Errors) -> Vec<Range<u16>> {
    let Some(spec) = raw else {
        return std::iter::once(200..300).collect();
    };
    let span = spec.span();
    let codes = match spec.into_inner() {
        StatusSpec::One(code) => vec![code],
        StatusSpec::Many(codes) => codes,
    };
    if codes.is_empty() || codes.len() > 32 || codes.iter().any(|c| !(100..=599).contains(c)) {
        errors.add(span, "expect_status must be HTTP status codes (100 to 599), such as 200 or [200, 204]".into());
    }
    codes
        .into_iter()
        .filter_map(|c| u16::try_from(c).ok().filter(|c| (100..=599).contains(c)))
        .map(|c| c..c + 1)
        .collect()
}

fn assertions(raw: &[Spanned<String>], errors: &mut Errors) -> Vec<Assertion> {
    let mut assertions = Vec::new();
    for text in raw {
        match assertion::parse(text.get_ref()) {
            Ok(a) => assertions.push(a),
            Err(message) => errors.add(text.span(), format!("assert {:?}: {message}", text.get_ref())),
        }
    }
    assertions
}

struct Timing {
    timeout_ms: u32,
    slow_ms: u32,
    max_body_bytes: u32,
}

/// Timeout, slowness and body limit, each from the endpoint or `[probe]`'s defaults.
fn timing(raw: &RawEndpoint, defaults: &Defaults, table_span: &Range<usize>, errors: &mut Errors) -> Timing {
    let timeout_ms = match &raw.timeout_ms {
        Some(t) if timeout_in_range(*t.get_ref(), t.span(), errors) => *t.get_ref(),
        _ => defaults.timeout_ms,
    };
    let slow_ms = raw.slow_ms.as_ref().map_or(defaults.slow_ms.min(timeout_ms.saturating_sub(1)), |s| *s.get_ref());
    if slow_ms == 0 || slow_ms >= timeout_ms {
        let span = raw.slow_ms.as_ref().map_or(table_span.clone(), |s| s.span());
        errors.add(
            span,
            format!("slow_ms ({slow_ms}) must be above 0 and below timeout_ms ({timeout_ms}), or nothing is ever slow"),
        );
    }
    let max_body_bytes = match &raw.max_body_bytes {
        Some(b) if body_limit_in_range(*b.get_ref(), b.span(), errors) => *b.get_ref(),
        _ => defaults.max_body_bytes,
    };
    Timing { timeout_ms, slow_ms, max_body_bytes }
}

/// Headers sent with the probe: plain, or `secret:NAME` read from the Worker's secrets.
fn headers(raw: &BTreeMap<String, Spanned<String>>, errors: &mut Errors) -> Vec<(String, HeaderValue)> {
    let mut headers = Vec::new();
    for (header, value) in raw {
        if header.is_empty() || !header.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            errors.add(value.span(), format!("header name {header:?} must be letters, digits and '-'"));
            continue;
        }
        let value_text = value.get_ref();
        if value_text.chars().any(char::is_control) {
            errors.add(value.span(), format!("header {header} has a line break or control character in its value"));
            continue;
        }
        match value_text.strip_prefix("secret:") {
            Some(secret) if is_secret_name(secret) => {
                headers.push((header.clone(), HeaderValue::Secret(secret.into())))
            }
            Some(_) => errors.add(
                value.span(),
                "a secret header is written \"secret:NAME\", NAME being a Worker secret (A-Z, 0-9, _)".into(),
            ),
            None => headers.push((header.clone(), HeaderValue::Plain(value_text.clone()))),
        }
    }
    headers
}

/// `runbook = "slug#section"`: where the status page sends people for this endpoint.
pub(crate) fn runbook_link(runbook: &str, table_span: &Range<usize>, errors: &mut Errors) {
    let ok = |part: &str| part.chars().all(|c| c.is_alphanumeric() || "-_/".contains(c));
    let (slug, anchor) = api::links::split_link(runbook);
    if slug.is_empty() || !ok(slug) || !ok(anchor) {
        errors.add(
            table_span.clone(),
            format!("runbook {runbook:?} must be a runbook and section, such as \"incident-response#complete-service-outage-sev1\""),
        );
    }
}

/// Whether Cloudflare can reach the host: refused addresses and port 25 say what to do.
fn reachable(url: &str, transport: &Transport, platform: Platform) -> Result<(), String> {
    let (host, port) = match transport {
        Transport::Fetch => {
            let host = url.split("://").nth(1).unwrap_or_default();
            let host = host.split(['/', ':', '?', '#']).next().unwrap_or_default();
            if is_loopback_name(host) && !platform.local {
                return Err(format!(
                    "{url:?}: {host} is this machine, which Cloudflare cannot reach: use the host's public name, or a Cloudflare Tunnel hostname for a private service"
                ));
            }
            return Ok(());
        }
        Transport::Http1 { host, port, .. } | Transport::Tcp { host, port } => (host, *port),
        Transport::Heartbeat { .. } | Transport::Dns { .. } => return Ok(()),
    };
    if port == 25 {
        return Err(format!("{url:?}: Workers cannot connect to port 25 (SMTP); probe another port of the host"));
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        if let Some(reason) = unreachable_ip(ip, platform.local) {
            return Err(format!(
                "{url:?}: {bare} is {reason}, which Cloudflare's connect() refuses: use the host's public address or name, or a Cloudflare Tunnel hostname for a private service"
            ));
        }
    } else if is_loopback_name(bare) && !platform.local {
        return Err(format!("{url:?}: {bare} is this machine, which Cloudflare cannot reach"));
    }
    Ok(())
}

fn timeout_in_range(timeout: u32, span: Range<usize>, errors: &mut Errors) -> bool {
    let ok = (1..=MAX_TIMEOUT_MS).contains(&timeout);
    if !ok {
        errors.add(span, format!("timeout_ms must be between 1 and {MAX_TIMEOUT_MS}"));
    }
    ok
}

fn body_limit_in_range(bytes: u32, span: Range<usize>, errors: &mut Errors) -> bool {
    let ok = (1..=MAX_BODY_BYTES).contains(&bytes);
    if !ok {
        errors.add(span, format!("max_body_bytes must be between 1 and {MAX_BODY_BYTES} (1 MB)"));
    }
    ok
}

/// The URL with `{NAME}` filled in from `[variables]`, and the variables it named.
fn substitute(url: &str, variables: &BTreeMap<String, String>) -> Result<(String, BTreeMap<String, String>), String> {
    let mut used = BTreeMap::new();
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
        used.insert(name.to_string(), value.clone());
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok((out, used))
}
