//! `[site] probe_api`: the address the site reads the probe at. It is written into every
//! page and into the Content Security Policy, so it must be exactly an address: an https
//! origin with an optional path, no credentials, no query, no wildcard, nothing a policy
//! would read as a directive.

use std::ops::Range;

use crate::address::is_loopback_name;
use crate::errors::Errors;
use crate::Platform;

/// The longest address taken.
const MAX_CHARS: usize = 200;

/// The address, without a trailing `/`, or `None` with the mistake in `errors`.
pub(crate) fn validate(text: &str, span: Range<usize>, platform: Platform, errors: &mut Errors) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match check(text, platform) {
        Ok(address) => Some(address),
        Err(why) => {
            errors.add(span, format!("probe_api {text:?}: {why}"));
            None
        }
    }
}

fn check(text: &str, platform: Platform) -> Result<String, String> {
    const EXAMPLE: &str = "such as \"https://outpost-probe.example.workers.dev\"";
    if text.chars().count() > MAX_CHARS {
        return Err(format!("an address is at most {MAX_CHARS} characters"));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control() || ";,'\"<>\\`{}|^".contains(c)) {
        return Err(format!("it holds characters an address does not ({EXAMPLE})"));
    }
    let uri: http::Uri = text.parse().map_err(|_| format!("it is not an address ({EXAMPLE})"))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(format!(
            "it must be a full address with https:// ({EXAMPLE}); without one the site would not read the probe"
        ));
    };
    if authority.as_str().contains('@') {
        return Err("it holds a user name or password, which would be written into every page: remove them".into());
    }
    if authority.as_str().rsplit_once(':').is_some_and(|(_, port)| !port.ends_with(']'))
        && authority.port_u16().is_none()
    {
        return Err(format!("its port is not a number ({EXAMPLE})"));
    }
    let host = authority.host();
    let is_ip = host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok();
    if !is_ip && !is_dns_name(host) {
        return Err(format!("{host:?} is not a host name ({EXAMPLE}); wildcards are not allowed"));
    }
    match scheme {
        "https" => {}
        "http" if platform.local && (is_loopback_name(host) || host == "127.0.0.1" || host == "[::1]") => {}
        "http" => return Err("it must use https: browsers refuse to read http from an https site".into()),
        other => return Err(format!("{other}:// is not a web address; use https://")),
    }
    if uri.query().is_some() || text.contains('#') {
        return Err("it must not have a query (?…) or a fragment (#…)".into());
    }
    Ok(text.trim_end_matches('/').to_string())
}

/// Letters, digits and inner hyphens in dot-separated labels.
pub(crate) fn is_dns_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOYED: Platform = Platform { local: false };

    #[test]
    fn an_https_origin_with_or_without_a_path_is_taken_without_its_trailing_slash() {
        assert_eq!(
            check("https://outpost-probe.example.workers.dev/", DEPLOYED).as_deref(),
            Ok("https://outpost-probe.example.workers.dev")
        );
        assert_eq!(
            check("https://status.example.com/probe", DEPLOYED).as_deref(),
            Ok("https://status.example.com/probe")
        );
        assert_eq!(check("https://203.0.113.7:8443", DEPLOYED).as_deref(), Ok("https://203.0.113.7:8443"));
        assert_eq!(check("http://127.0.0.1:8787", Platform { local: true }).as_deref(), Ok("http://127.0.0.1:8787"));
    }

    #[test]
    fn what_would_change_the_policy_or_leak_into_pages_is_refused_with_the_reason() {
        let refused = |text: &str| check(text, DEPLOYED).unwrap_err();
        assert!(refused("https://probe.example.com; report-uri https://evil.example").contains("characters"));
        assert!(refused("https://*").contains("wildcards"));
        assert!(refused("https://probe.example.com:*").contains("port"));
        assert!(refused("https://probe.example.com:abc").contains("port"));
        assert!(refused("https://*.example.com").contains("wildcards"));
        assert!(refused("https://user:secret@probe.example.com").contains("password"));
        assert!(refused("probe.example.com").contains("full address"));
        assert!(refused("http://probe.example.com").contains("https"));
        assert!(refused("http://127.0.0.1:8787").contains("https"), "loopback only for local runs");
        assert!(refused("ftp://probe.example.com").contains("not a web address"));
        assert!(refused("https://probe.example.com/?x=1").contains("query"));
        assert!(refused(&format!("https://{}.com", "a".repeat(300))).contains("at most"));
    }
}
