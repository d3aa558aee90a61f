//! How an endpoint is reached. Workers `fetch()` takes host names only; a raw IP address is
//! probed with plain HTTP/1.1 over a TCP socket (`connect()`), and `tcp://host:port` only
//! checks that the port accepts connections. URLs are split by the `http` crate's `Uri`.

use std::net::IpAddr;

use http::Uri;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Workers `fetch()`: http(s) to a host name.
    Fetch,
    /// HTTP/1.1 written by hand over `connect()`, for raw IP hosts.
    Http1 { host: String, port: u16, path: String },
    /// Only whether `host:port` accepts a TCP connection.
    Tcp { host: String, port: u16 },
    /// Not probed: a `[[heartbeat]]` that reports in at least every `period_seconds` (plus
    /// `grace_seconds`), with the token in the Worker secret `token`.
    Heartbeat { period_seconds: u32, grace_seconds: u32, token: String },
    /// A `dns://` check: `name`'s `record_type` records asked of a DNS-over-HTTPS resolver
    /// at `query_url`, each `expect`ed value among them.
    Dns { name: String, record_type: String, expect: Vec<String>, query_url: String },
}

/// The transport for `url`, with a note when the choice is worth telling.
pub fn transport_of(url: &str) -> Result<(Transport, Option<String>), String> {
    if !url.contains("://") {
        return Err(format!("{url:?} is not a URL: write it as http://host/path"));
    }
    let uri: Uri = url.parse().map_err(|_| format!("{url:?} is not a valid URL"))?;
    let scheme = uri.scheme_str().unwrap_or_default().to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "tcp") {
        return Err(format!("{url:?}: only http, https, tcp and dns endpoints can be probed"));
    }
    let Some(authority) = uri.authority() else {
        return Err(format!("{url:?} has no host"));
    };
    if authority.as_str().contains('@') {
        return Err(format!(
            "{url:?} carries credentials: send them as a header with a secret, such as Authorization = \"secret:HEALTH_TOKEN\""
        ));
    }
    let host = authority.host();
    if host.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    // With credentials refused, the authority is the host and an optional `:port`.
    let port = match authority.as_str()[host.len()..].strip_prefix(':') {
        None => None,
        Some(text) => match text.parse::<u16>() {
            Ok(port) if port > 0 => Some(port),
            _ => return Err(format!("{url:?}: {text:?} is not a port number")),
        },
    };
    let ip = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().ok();
    if ip.is_none() && !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Err(format!("{url:?}: {host:?} is not a valid host name"));
    }
    let host = host.to_string();
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    match (scheme.as_str(), ip) {
        ("tcp", _) => {
            let port = port.ok_or_else(|| format!("{url:?}: a tcp check needs a port, such as tcp://{host}:5432"))?;
            Ok((Transport::Tcp { host, port }, None))
        }
        ("http", Some(_)) => {
            let port = port.unwrap_or(80);
            let note = format!(
                "{host} is an IP address, which Workers fetch() refuses: this endpoint is probed with plain HTTP/1.1 over a TCP socket (connect()), with the same checks"
            );
            Ok((Transport::Http1 { host, port, path }, Some(note)))
        }
        ("https", Some(_)) => Err(format!(
            "{url:?}: https to a raw IP address cannot be verified (certificates name hosts). Use the host's DNS name, or http:// to probe the IP over a TCP socket"
        )),
        _ => Ok((Transport::Fetch, None)),
    }
}

/// Whether a redirect from `from` to `to` stays on the same origin (scheme, host and port):
/// only then may it carry the endpoint's own headers, which can hold secrets. An https page
/// sending the probe to http, or to another host, gets the probe's own headers only.
pub fn same_origin(from: &str, to: &str) -> bool {
    let origin = |url: &str| -> Option<(String, String, u16)> {
        let uri: Uri = url.parse().ok()?;
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let authority = uri.authority()?;
        if authority.as_str().contains('@') {
            return None;
        }
        let default = if scheme == "https" { 443 } else { 80 };
        Some((scheme, authority.host().to_ascii_lowercase(), uri.port_u16().unwrap_or(default)))
    };
    matches!((origin(from), origin(to)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod origin_tests {
    use super::same_origin;

    #[test]
    fn secret_headers_follow_a_redirect_only_within_the_endpoints_origin() {
        let from = "https://api.example.com/health";
        assert!(same_origin(from, "https://API.example.com:443/healthz"));
        assert!(!same_origin(from, "http://api.example.com/health"), "https to http");
        assert!(!same_origin(from, "https://evil.example.net/steal"));
        assert!(!same_origin(from, "https://api.example.com:8443/health"));
        assert!(!same_origin(from, "https://user@api.example.com/health"));
        assert!(!same_origin(from, "not a url"));
    }
}
