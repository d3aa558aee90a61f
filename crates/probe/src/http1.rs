//! Plain HTTP/1.1 over a TCP socket, for endpoints Workers `fetch()` cannot reach (raw IP
//! addresses): the request bytes, and a parser for the response that reads at most a bounded
//! body and knows when it has enough.

use crate::classify::Response;

/// Headers larger than this are not a health endpoint's.
const MAX_HEADER_BYTES: usize = 32 * 1024;

pub fn request(method: &str, host: &str, port: u16, path: &str, headers: &[(String, String)]) -> Vec<u8> {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\nAccept: */*\r\n");
    for (name, value) in headers {
        // Header values come from config or secrets; a line break would smuggle a header.
        let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// `Ok(None)`: more bytes are needed. `closed` says the peer has closed the connection, so
/// what is here is all there will be.
pub fn parse(bytes: &[u8], limit: usize, head_request: bool, closed: bool) -> Result<Option<Response>, String> {
    let Some(header_end) = find(bytes, b"\r\n\r\n") else {
        if bytes.len() > MAX_HEADER_BYTES {
            return Err("the response headers are too large".into());
        }
        return if closed { Err(incomplete(bytes)) } else { Ok(None) };
    };
    let head =
        std::str::from_utf8(&bytes[..header_end]).map_err(|_| "the response headers are not text".to_string())?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let (version, code) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    if !version.starts_with("HTTP/1.") {
        return Err(format!("not an HTTP response: {:?}", status_line.chars().take(40).collect::<String>()));
    }
    let status: u16 = code
        .parse()
        .ok()
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let (mut length, mut chunked, mut location) = (None, false, None);
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                length = Some(value.parse::<usize>().map_err(|_| format!("bad Content-Length {value:?}"))?)
            }
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "location" => location = Some(value.to_string()),
            _ => {}
        }
    }
    let body = &bytes[header_end + 4..];
    let done =
        |body: Vec<u8>, truncated: bool| Ok(Some(Response { status, location: location.clone(), body, truncated }));
    if head_request || status == 204 || status == 304 || (100..200).contains(&status) {
        return done(Vec::new(), false);
    }
    if chunked {
        return match dechunk(body, limit) {
            Chunks::Complete(body) => done(body, false),
            Chunks::OverLimit(body) => done(body, true),
            Chunks::Partial if closed => Err(incomplete(bytes)),
            Chunks::Partial => Ok(None),
            Chunks::Malformed => Err("the response's chunked body is malformed".into()),
        };
    }
    match length {
        Some(length) if body.len() >= length.min(limit + 1) => {
            let truncated = length > limit;
            done(body[..length.min(limit)].to_vec(), truncated)
        }
        Some(_) if closed => Err(incomplete(bytes)),
        Some(_) => Ok(None),
        // No length: the body runs until the server closes.
        None if body.len() > limit => done(body[..limit].to_vec(), true),
        None if closed => done(body.to_vec(), false),
        None => Ok(None),
    }
}

enum Chunks {
    Complete(Vec<u8>),
    OverLimit(Vec<u8>),
    Partial,
    Malformed,
}

fn dechunk(mut rest: &[u8], limit: usize) -> Chunks {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = find(rest, b"\r\n") else { return Chunks::Partial };
        let size_text = std::str::from_utf8(&rest[..line_end]).unwrap_or("");
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else { return Chunks::Malformed };
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Chunks::Complete(body);
        }
        if body.len() + size > limit {
            let room = limit - body.len();
            body.extend_from_slice(&rest[..room.min(rest.len())]);
            return if rest.len() >= room { Chunks::OverLimit(body) } else { Chunks::Partial };
        }
        if rest.len() < size + 2 {
            return Chunks::Partial;
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

fn incomplete(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "the server closed the connection without answering".into()
    } else {
        "the server closed the connection in the middle of its response".into()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str, limit: usize, closed: bool) -> Result<Option<Response>, String> {
        parse(text.as_bytes(), limit, false, closed)
    }

    #[test]
    fn requests_name_the_host_and_cannot_smuggle_headers() {
        let bytes =
            request("GET", "10.0.0.5", 8765, "/api/health", &[("X-Outpost-Region".into(), "weur\r\nEvil: 1".into())]);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "GET /api/health HTTP/1.1\r\nHost: 10.0.0.5:8765\r\nConnection: close\r\nAccept: */*\r\nX-Outpost-Region: weurEvil: 1\r\n\r\n"
        );
    }

    #[test]
    fn responses_are_complete_when_their_length_says_so() {
        let full = "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"status\":\"ok\"}";
        let response = parsed(full, 1000, false).unwrap().unwrap();
        assert_eq!(
            (response.status, response.body.as_slice(), response.truncated),
            (200, b"{\"status\":\"ok\"}".as_slice(), false)
        );
        assert_eq!(parsed(&full[..full.len() - 3], 1000, false), Ok(None), "waits for the rest");
        assert!(parsed(&full[..full.len() - 3], 1000, true).unwrap_err().contains("in the middle"));
        assert_eq!(parsed("HTTP/1.1 200", 1000, false), Ok(None));
        assert_eq!(parsed("", 1000, true).unwrap_err(), "the server closed the connection without answering");
    }

    #[test]
    fn bodies_are_read_up_to_the_limit_only() {
        let big = format!("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{}", "x".repeat(20));
        let response = parsed(&big, 10, false).unwrap().unwrap();
        assert_eq!((response.body.len(), response.truncated), (10, true));
        let unbounded = format!("HTTP/1.0 200 OK\r\n\r\n{}", "y".repeat(50));
        assert!(parsed(&unbounded, 10, false).unwrap().unwrap().truncated);
        assert_eq!(parsed("HTTP/1.0 200 OK\r\n\r\nshort", 10, true).unwrap().unwrap().body, b"short");
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        let text =
            "HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n";
        let response = parsed(text, 1000, false).unwrap().unwrap();
        assert_eq!((response.status, response.body.as_slice()), (500, b"hello world".as_slice()));
        assert_eq!(parsed(&text[..60], 1000, false), Ok(None));
        assert!(parsed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 1000, false).is_err());
    }

    #[test]
    fn redirects_keep_their_location_and_garbage_is_refused() {
        let response =
            parsed("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n", 10, false).unwrap().unwrap();
        assert_eq!((response.status, response.location.as_deref()), (302, Some("/login")));
        assert!(parsed("SSH-2.0-OpenSSH_9.6\r\n\r\n", 10, false).unwrap_err().starts_with("not an HTTP response"));
        assert!(parsed("HTTP/1.1 abc OK\r\n\r\n", 10, false).unwrap_err().starts_with("bad status line"));
    }
}
