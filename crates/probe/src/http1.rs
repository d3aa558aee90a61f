//! Plain HTTP/1.1 over a TCP socket, for endpoints Workers `fetch()` cannot reach (raw IP
//! addresses): the request bytes, and an incremental reader for the response.
//!
//! The server is hostile until proven otherwise. `httparse` reads the status line, headers
//! and chunk sizes; this module only keeps the reads bounded: at most [`MAX_HEADER_BYTES`] of
//! head and [`MAX_HEADERS`] headers, at most `limit` bytes of body, a chunk-size line of at
//! most [`MAX_CHUNK_LINE`] bytes, and nothing else held. All arithmetic on sizes the server
//! sends is checked: no input makes it panic or allocate beyond those bounds.

use crate::classify::Response;

/// Headers larger than this are not a health endpoint's.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// More headers than this are not a health endpoint's either.
pub const MAX_HEADERS: usize = 64;
/// A chunk-size line (hex digits and extensions) longer than this is malformed.
pub const MAX_CHUNK_LINE: usize = 1024;

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

/// Reads one response from bytes as they arrive: [`feed`](ResponseReader::feed) each read,
/// [`finish`](ResponseReader::finish) when the server closes the connection.
#[derive(Debug)]
pub struct ResponseReader {
    limit: usize,
    head_request: bool,
    stage: Stage,
    /// The status and location once the head is read.
    status: u16,
    location: Option<String>,
    body: Vec<u8>,
    /// Bytes not consumed yet: the head while it is incomplete, or a chunk-size line.
    pending: Vec<u8>,
    /// Whether any byte arrived, for a clearer message when none did.
    seen_any: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Head,
    /// `Content-Length` bytes still to come.
    Length {
        remaining: u64,
    },
    /// A chunk-size line is expected.
    ChunkSize,
    /// Bytes of the current chunk still to come.
    ChunkData {
        remaining: u64,
    },
    /// The CRLF after a chunk's data (`matched` of its two bytes seen).
    ChunkEnd {
        matched: u8,
    },
    /// No length: the body runs until the server closes.
    UntilClose,
}

impl ResponseReader {
    /// `limit` is the most body bytes kept; `head_request` says the response has no body.
    pub fn new(limit: usize, head_request: bool) -> ResponseReader {
        ResponseReader {
            limit,
            head_request,
            stage: Stage::Head,
            status: 0,
            location: None,
            body: Vec::new(),
            pending: Vec::new(),
            seen_any: false,
        }
    }

    /// Bytes held right now (head or chunk line in progress, plus the body): bounded by
    /// [`MAX_HEADER_BYTES`] + `limit` + [`MAX_CHUNK_LINE`] whatever the server sends.
    pub fn buffered(&self) -> usize {
        self.pending.len() + self.body.len()
    }

    /// `Ok(Some(response))` once the response is complete (or its body reached the limit),
    /// `Ok(None)` while more is needed, `Err` when it is not a response we accept.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Result<Option<Response>, String> {
        self.seen_any |= !bytes.is_empty();
        loop {
            match self.stage {
                Stage::Head => {
                    let room = MAX_HEADER_BYTES.saturating_sub(self.pending.len()).saturating_add(1);
                    let take = bytes.len().min(room);
                    self.pending.extend_from_slice(&bytes[..take]);
                    bytes = &bytes[take..];
                    let Some(consumed) = self.read_head()? else {
                        if self.pending.len() > MAX_HEADER_BYTES {
                            return Err(format!("the response headers are larger than {} KB", MAX_HEADER_BYTES / 1024));
                        }
                        return Ok(None);
                    };
                    // What followed the head is body (or the next head after a 1xx).
                    let rest = self.pending.split_off(consumed);
                    self.pending.clear();
                    if let Some(done) = self.after_head()? {
                        return Ok(Some(done));
                    }
                    if !rest.is_empty() {
                        if let Some(done) = self.feed(&rest)? {
                            return Ok(Some(done));
                        }
                    }
                    if bytes.is_empty() {
                        return Ok(None);
                    }
                }
                Stage::Length { remaining } => {
                    let take = usize::try_from(remaining).unwrap_or(usize::MAX).min(bytes.len());
                    let remaining = remaining - take as u64;
                    if self.keep(&bytes[..take]) {
                        return Ok(Some(self.done(true)));
                    }
                    self.stage = Stage::Length { remaining };
                    return Ok((remaining == 0).then(|| self.done(false)));
                }
                Stage::UntilClose => {
                    return Ok(self.keep(bytes).then(|| self.done(true)));
                }
                Stage::ChunkSize => {
                    if bytes.is_empty() {
                        return Ok(None);
                    }
                    let take = bytes.len().min(MAX_CHUNK_LINE + 2 - self.pending.len().min(MAX_CHUNK_LINE + 2));
                    let before = self.pending.len();
                    self.pending.extend_from_slice(&bytes[..take]);
                    match httparse::parse_chunk_size(&self.pending) {
                        Ok(httparse::Status::Complete((used, size))) => {
                            // Only the part of this read that belonged to the line is used.
                            bytes = &bytes[used.saturating_sub(before).min(bytes.len())..];
                            self.pending.clear();
                            if size == 0 {
                                // Trailers, if any, are not needed.
                                return Ok(Some(self.done(false)));
                            }
                            self.stage = Stage::ChunkData { remaining: size };
                        }
                        Ok(httparse::Status::Partial) => {
                            if self.pending.len() > MAX_CHUNK_LINE {
                                return Err(
                                    "the response's chunked body is malformed (a chunk-size line is too long)".into()
                                );
                            }
                            return Ok(None);
                        }
                        Err(_) => return Err("the response's chunked body is malformed".into()),
                    }
                }
                Stage::ChunkData { remaining } => {
                    if bytes.is_empty() {
                        return Ok(None);
                    }
                    let take = usize::try_from(remaining).unwrap_or(usize::MAX).min(bytes.len());
                    if self.keep(&bytes[..take]) {
                        return Ok(Some(self.done(true)));
                    }
                    bytes = &bytes[take..];
                    let remaining = remaining - take as u64;
                    self.stage =
                        if remaining == 0 { Stage::ChunkEnd { matched: 0 } } else { Stage::ChunkData { remaining } };
                }
                Stage::ChunkEnd { matched } => {
                    let Some((&byte, rest)) = bytes.split_first() else { return Ok(None) };
                    let expected = if matched == 0 { b'\r' } else { b'\n' };
                    if byte != expected {
                        return Err("the response's chunked body is malformed (no line break after a chunk)".into());
                    }
                    bytes = rest;
                    self.stage = if matched == 0 { Stage::ChunkEnd { matched: 1 } } else { Stage::ChunkSize };
                }
            }
        }
    }

    /// The server closed the connection: what arrived is all there is.
    pub fn finish(self) -> Result<Response, String> {
        match self.stage {
            Stage::UntilClose => Ok(self.done(false)),
            _ if !self.seen_any => Err("the server closed the connection without answering".into()),
            _ => Err("the server closed the connection in the middle of its response".into()),
        }
    }

    /// Parses the head in `pending`: `Some(bytes it took)` once complete.
    fn read_head(&mut self) -> Result<Option<usize>, String> {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut headers);
        let consumed = match response.parse(&self.pending) {
            Ok(httparse::Status::Complete(consumed)) => consumed,
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::Error::TooManyHeaders) => {
                return Err(format!("the response has more than {MAX_HEADERS} headers"));
            }
            Err(_) => return Err(not_http(&self.pending)),
        };
        let status = response.code.filter(|code| (100..600).contains(code)).ok_or_else(|| not_http(&self.pending))?;
        let mut length: Option<u64> = None;
        let mut chunked = false;
        let mut location = None;
        for header in response.headers.iter() {
            let value = String::from_utf8_lossy(header.value);
            let value = value.trim();
            if header.name.eq_ignore_ascii_case("content-length") {
                let parsed: u64 = value.parse().map_err(|_| format!("bad Content-Length {value:?}"))?;
                if length.is_some_and(|known| known != parsed) {
                    return Err("the response has two different Content-Length headers".into());
                }
                length = Some(parsed);
            } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.to_ascii_lowercase().contains("chunked");
            } else if header.name.eq_ignore_ascii_case("location") {
                location = Some(value.chars().take(2048).collect());
            }
        }
        self.status = status;
        self.location = location;
        self.stage = if chunked {
            Stage::ChunkSize
        } else {
            match length {
                Some(remaining) => Stage::Length { remaining },
                None => Stage::UntilClose,
            }
        };
        Ok(Some(consumed))
    }

    /// Responses that have no body are done as soon as their head is; an interim 1xx is
    /// skipped and the real head read next.
    fn after_head(&mut self) -> Result<Option<Response>, String> {
        if (100..200).contains(&self.status) && self.status != 101 {
            self.stage = Stage::Head;
            self.location = None;
            return Ok(None);
        }
        let bodyless = self.head_request || matches!(self.status, 101 | 204 | 304);
        Ok((bodyless || self.stage == Stage::Length { remaining: 0 }).then(|| self.done(false)))
    }

    /// Keeps body bytes up to the limit; `true` when more arrived than the limit allows.
    fn keep(&mut self, bytes: &[u8]) -> bool {
        let room = self.limit.saturating_sub(self.body.len());
        if bytes.len() > room {
            self.body.extend_from_slice(&bytes[..room]);
            return true;
        }
        self.body.extend_from_slice(bytes);
        false
    }

    fn done(&self, truncated: bool) -> Response {
        Response {
            status: self.status,
            location: self.location.clone(),
            body: if self.head_request { Vec::new() } else { self.body.clone() },
            truncated,
        }
    }
}

fn not_http(bytes: &[u8]) -> String {
    let start: String =
        String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).chars().filter(|c| !c.is_control()).collect();
    format!("not an HTTP response: {start:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The response when `text` arrives in one read, then (if `closed`) the server closes.
    fn parsed(text: &str, limit: usize, closed: bool) -> Result<Option<Response>, String> {
        let mut reader = ResponseReader::new(limit, false);
        match reader.feed(text.as_bytes())? {
            Some(response) => Ok(Some(response)),
            None if closed => reader.finish().map(Some),
            None => Ok(None),
        }
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
    fn a_response_split_byte_by_byte_reads_the_same() {
        let full = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        let mut reader = ResponseReader::new(100, false);
        let mut result = None;
        for byte in full.as_bytes() {
            assert!(result.is_none(), "done before the last byte");
            result = reader.feed(std::slice::from_ref(byte)).unwrap();
        }
        assert_eq!(result.unwrap().body, b"hello");
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
    fn a_huge_chunk_size_is_read_up_to_the_limit_without_overflow() {
        let text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabcdef";
        let response = parsed(text, 4, false).unwrap().unwrap();
        assert_eq!((response.body.as_slice(), response.truncated), (b"abcd".as_slice(), true));
        assert_eq!(parsed(text, usize::MAX, false), Ok(None), "a limit near the maximum waits, no overflow");
        let too_big = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\n";
        assert!(parsed(too_big, 10, false).unwrap_err().contains("malformed"));
    }

    #[test]
    fn oversized_heads_and_too_many_headers_are_refused() {
        let long = format!("HTTP/1.1 200 OK\r\nX-Pad: {}\r\n\r\n", "a".repeat(200 * 1024));
        assert!(parsed(&long, 10, false).unwrap_err().contains("larger than 32 KB"));
        let many: String = (0..100).map(|i| format!("X-{i}: 1\r\n")).collect();
        assert!(parsed(&format!("HTTP/1.1 200 OK\r\n{many}\r\n"), 10, false).unwrap_err().contains("more than 64"));
    }

    #[test]
    fn interim_responses_are_skipped() {
        let text = "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        let response = parsed(text, 10, false).unwrap().unwrap();
        assert_eq!((response.status, response.body.as_slice()), (200, b"ok".as_slice()));
    }

    #[test]
    fn redirects_keep_their_location_and_garbage_is_refused() {
        let response =
            parsed("HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\n\r\n", 10, false).unwrap().unwrap();
        assert_eq!((response.status, response.location.as_deref()), (302, Some("/login")));
        assert!(parsed("SSH-2.0-OpenSSH_9.6\r\n\r\n", 10, false).unwrap_err().starts_with("not an HTTP response"));
        assert!(parsed("HTTP/1.1 abc OK\r\n\r\n", 10, false).unwrap_err().starts_with("not an HTTP response"));
        assert!(parsed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", 10, false)
            .unwrap_err()
            .contains("two different"));
    }
}
