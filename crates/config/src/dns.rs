//! `dns://name?type=A&expect=…` endpoints: whether a name still resolves, and to what,
//! asked of a DNS-over-HTTPS resolver in its JSON form (Workers cannot send DNS over UDP).
//! The query's address is made here once; the region fetches it like any URL.

use crate::transport::Transport;
use crate::Platform;

/// Cloudflare's resolver, which answers the JSON form (`accept: application/dns-json`).
pub const DEFAULT_RESOLVER: &str = "https://cloudflare-dns.com/dns-query";
/// The record types a check may ask for, with their numbers in an answer.
pub const RECORD_TYPES: &[(&str, u16)] =
    &[("A", 1), ("AAAA", 28), ("CNAME", 5), ("MX", 15), ("NS", 2), ("TXT", 16), ("CAA", 257)];
/// The most `expect` values one check may list, and the longest one.
pub const MAX_EXPECTED: usize = 10;
pub const MAX_EXPECTED_CHARS: usize = 255;

/// The transport of a `dns://` URL, asking `resolver`.
pub fn transport(url: &str, resolver: &str) -> Result<Transport, String> {
    let rest = url
        .get(..6)
        .filter(|scheme| scheme.eq_ignore_ascii_case("dns://"))
        .map(|_| &url[6..])
        .ok_or_else(|| format!("{url:?} is not a dns:// URL"))?;
    let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
    let name = name.trim_end_matches('/');
    check_name(name).map_err(|why| format!("{url:?}: {why}"))?;
    let mut record_type = "A".to_string();
    let mut expect = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = |raw: &str| decode(raw).ok_or_else(|| format!("{url:?}: {raw:?} is not valid percent-encoding"));
        match key {
            "type" => {
                let value = decoded(raw)?;
                let upper = value.to_ascii_uppercase();
                if !RECORD_TYPES.iter().any(|(t, _)| *t == upper) {
                    let known: Vec<&str> = RECORD_TYPES.iter().map(|(t, _)| *t).collect();
                    return Err(format!("{url:?}: type {value:?} is not one of {}", known.join(", ")));
                }
                record_type = upper;
            }
            "expect" => {
                // Split on the commas written, then decoded: `%2C` is a comma inside a value.
                for one in raw.split(',').map(decoded) {
                    let one = one?;
                    let one = one.trim();
                    if one.is_empty() {
                        continue;
                    }
                    if one.chars().count() > MAX_EXPECTED_CHARS || one.chars().any(char::is_control) {
                        return Err(format!("{url:?}: an expected value is at most {MAX_EXPECTED_CHARS} characters, without control characters"));
                    }
                    expect.push(one.to_string());
                }
            }
            other => return Err(format!("{url:?}: unknown parameter {other:?}: use type= and expect=")),
        }
    }
    if expect.len() > MAX_EXPECTED {
        return Err(format!("{url:?}: at most {MAX_EXPECTED} expected values"));
    }
    let query_url = format!("{resolver}?name={name}&type={record_type}");
    Ok(Transport::Dns { name: name.to_string(), record_type, expect, query_url })
}

/// `[probe] dns_resolver`: an https address (a local run may use plain http on loopback).
pub fn check_resolver(resolver: &str, platform: Platform) -> Result<(), String> {
    let https = resolver.starts_with("https://");
    let local_http = platform.local && resolver.starts_with("http://");
    let host = resolver.split("://").nth(1).unwrap_or_default().split(['/', ':']).next().unwrap_or_default();
    // A resolver is a public service by name; a local run may use loopback.
    let named = host.contains('.') && host.chars().any(|c| c.is_ascii_alphabetic()) && check_name(host).is_ok();
    if !(https || local_http) || !(named || platform.local) || resolver.contains(['?', '#', ' ']) {
        return Err(format!(
            "dns_resolver {resolver:?} must be an https address by host name, without a query, such as \"{DEFAULT_RESOLVER}\""
        ));
    }
    Ok(())
}

/// A host name: dot-separated labels of letters, digits, `-` and `_`, at most 253 characters.
fn check_name(name: &str) -> Result<(), String> {
    let bare = name.strip_suffix('.').unwrap_or(name);
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len()) && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if bare.is_empty() || bare.len() > 253 || !bare.split('.').all(label_ok) {
        return Err(format!(
            "{name:?} is not a host name (labels of letters, digits and '-', at most 253 characters; write an international name in its xn-- form)"
        ));
    }
    Ok(())
}

/// `%XX` decoded, `+` kept; `None` when it is not valid UTF-8 or a `%` is not followed by two
/// hex digits.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
