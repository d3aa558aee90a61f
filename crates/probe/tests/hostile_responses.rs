//! Whatever a probed server sends over a socket, the reader gives an outcome: never a panic,
//! never more held than its bounds, and the body never beyond the limit.

use probe::http1::{ResponseReader, MAX_CHUNK_LINE, MAX_HEADER_BYTES};
use proptest::prelude::*;

/// Feeds `bytes` in pieces cut at `cuts`, then closes; checks the bounds after every read.
fn read_all(bytes: &[u8], cuts: &[usize], limit: usize) -> Result<probe::classify::Response, String> {
    let mut reader = ResponseReader::new(limit, false);
    let mut start = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    points.sort_unstable();
    points.push(bytes.len());
    for end in points {
        if end < start {
            continue;
        }
        let result = reader.feed(&bytes[start..end]);
        assert!(
            reader.buffered() <= MAX_HEADER_BYTES + 1 + limit.min(bytes.len()) + MAX_CHUNK_LINE + 2,
            "held {} bytes",
            reader.buffered()
        );
        match result {
            Ok(Some(response)) => return Ok(response),
            Ok(None) => {}
            Err(message) => return Err(message),
        }
        start = end;
    }
    reader.finish()
}

/// Pieces a hostile server might put together.
fn hostile_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"HTTP/1.1 200 OK\r\n".to_vec()),
        Just(b"HTTP/1.0 503 Service Unavailable\r\n".to_vec()),
        Just(b"HTTP/1.1 103 Early Hints\r\n\r\n".to_vec()),
        Just(b"Transfer-Encoding: chunked\r\n".to_vec()),
        Just(b"Content-Length: 18446744073709551615\r\n".to_vec()),
        Just(b"Content-Length: 5\r\n".to_vec()),
        Just(b"Content-Length: -1\r\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"ffffffffffffffff\r\n".to_vec()),
        Just(b"7fffffffffffffff;ext=\"x\"\r\n".to_vec()),
        Just(b"0\r\n\r\n".to_vec()),
        Just(b"5\r\nhello\r\n".to_vec()),
        Just(b"SSH-2.0-OpenSSH_9.6\r\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
        "[ -~]{0,40}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_in_any_pieces_give_an_outcome_within_bounds(
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
        limit in prop_oneof![0usize..64, Just(usize::MAX), Just(u32::MAX as usize)],
    ) {
        if let Ok(response) = read_all(&bytes, &cuts, limit) {
            prop_assert!(response.body.len() <= limit);
        }
    }

    #[test]
    fn responses_assembled_from_hostile_pieces_give_an_outcome_within_bounds(
        pieces in proptest::collection::vec(hostile_piece(), 0..24),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
        limit in prop_oneof![0usize..64, Just(usize::MAX)],
    ) {
        let bytes = pieces.concat();
        if let Ok(response) = read_all(&bytes, &cuts, limit) {
            prop_assert!(response.body.len() <= limit);
            prop_assert!((100..600).contains(&response.status));
        }
    }
}

#[test]
fn a_flood_of_header_bytes_is_refused_once_past_the_bound() {
    let mut reader = ResponseReader::new(1024, false);
    let mut outcome = Ok(None);
    reader.feed(b"HTTP/1.1 200 OK\r\nX-Flood: ").unwrap();
    for _ in 0..100 {
        outcome = reader.feed(&[b'a'; 8192]);
        if outcome.is_err() {
            break;
        }
    }
    assert!(outcome.unwrap_err().contains("headers are larger"));
    assert!(reader.buffered() <= MAX_HEADER_BYTES + 1);
}

#[test]
fn endless_chunked_data_stops_at_the_limit() {
    let mut reader = ResponseReader::new(64 * 1024, false);
    reader.feed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap();
    let mut done = None;
    for _ in 0..1_000_000 {
        if let Some(response) = reader.feed(b"1\r\nx\r\n").unwrap() {
            done = Some(response);
            break;
        }
    }
    let response = done.expect("the reader stops once the limit is reached");
    assert_eq!((response.body.len(), response.truncated), (64 * 1024, true));
}
