//! How an endpoint is reached. Workers `fetch()` takes host names only; a raw IP address is
//! probed with plain HTTP/1.1 over a TCP socket (`connect()`), and `tcp://host:port` only
//! checks that the port accepts connections.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Workers `fetch()`: http(s) to a host name.
    Fetch,
    /// HTTP/1.1 written by hand over `connect()`, for raw IP hosts.
    Http1 { host: String, port: u16, path: String },
    /// Only whether `host:port` accepts a TCP connection.
    Tcp { host: String, port: u16 },
}

/// The transport for `url`, with a note when the choice is worth telling.
pub fn transport_of(url: &str) -> Result<(Transport, Option<String>), String> {
    let (scheme, rest) =
        url.split_once("://").ok_or_else(|| format!("{url:?} is not a URL: write it as http://host/path"))?;
    if !matches!(scheme, "http" | "https" | "tcp") {
        return Err(format!("{url:?}: only http, https and tcp endpoints can be probed"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err(format!(
            "{url:?} carries credentials: send them as a header with a secret, such as Authorization = \"secret:HEALTH_TOKEN\""
        ));
    }
    let (host, port, ip) = split_authority(url, authority)?;
    let path = if path.is_empty() { "/".to_string() } else { path.to_string() };
    match (scheme, ip) {
        ("tcp", _) => {
            let port = port.ok_or_else(|| format!("{url:?}: a tcp check needs a port, such as tcp://{host}:5432"))?;
            Ok((Transport::Tcp { host, port }, None))
        }
        ("http", true) => {
            let port = port.unwrap_or(80);
            let note = format!(
                "{host} is an IP address, which Workers fetch() refuses: this endpoint is probed with plain HTTP/1.1 over a TCP socket (connect()), with the same checks"
            );
            Ok((Transport::Http1 { host, port, path }, Some(note)))
        }
        ("https", true) => Err(format!(
            "{url:?}: https to a raw IP address cannot be verified (certificates name hosts). Use the host's DNS name, or http:// to probe the IP over a TCP socket"
        )),
        _ => Ok((Transport::Fetch, None)),
    }
}

/// `(host, port, is an IP address)`.
fn split_authority(url: &str, authority: &str) -> Result<(String, Option<u16>, bool), String> {
    let port_of = |text: Option<&str>| -> Result<Option<u16>, String> {
        match text {
            None => Ok(None),
            Some(port) => port
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .map(Some)
                .ok_or_else(|| format!("{url:?}: {port:?} is not a port number")),
        }
    };
    if let Some(v6) = authority.strip_prefix('[') {
        let end = v6.find(']').ok_or_else(|| format!("{url:?}: unclosed '[' in the host"))?;
        let port = port_of(v6[end + 1..].strip_prefix(':'))?;
        return Ok((format!("[{}]", &v6[..end]), port, true));
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port_of(Some(port))?),
        None => (authority, None),
    };
    if host.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    let ip = host.split('.').count() == 4 && host.split('.').all(|part| part.parse::<u8>().is_ok());
    if !ip && !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
        return Err(format!("{url:?}: {host:?} is not a valid host name"));
    }
    Ok((host.to_string(), port, ip))
}
