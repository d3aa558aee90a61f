//! Probing over a TCP socket (`connect()`), for raw IP hosts that `fetch()` refuses: HTTP/1.1
//! written by hand, read with the same bounds and timeout by `probe::http1::ResponseReader`, and
//! classified like any other probe. Also the plain "does the port accept" check.

use std::time::Duration;

use config::Endpoint;
use futures_util::future::{select, Either};
use futures_util::pin_mut;
use probe::classify::{FetchFailure, Observation};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use worker::{Date, Delay, Socket};

pub async fn http1(
    endpoint: &Endpoint,
    host: &str,
    port: u16,
    path: &str,
    headers: &[(String, String)],
) -> Observation {
    let request = probe::http1::request(&endpoint.method, host, port, path, headers);
    let limit = endpoint.max_body_bytes as usize;
    let head = endpoint.method == "HEAD";
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    timed(endpoint.timeout_ms, async move {
        let mut socket = Socket::builder().connect(host, port).map_err(|e| e.to_string())?;
        socket.opened().await.map_err(|e| e.to_string())?;
        socket.write_all(&request).await.map_err(|e| e.to_string())?;
        let mut reader = probe::http1::ResponseReader::new(limit, head);
        let mut buffer = [0u8; 8192];
        let response = loop {
            let read = socket.read(&mut buffer).await.map_err(|e| e.to_string())?;
            if read == 0 {
                break reader.finish()?;
            }
            if let Some(response) = reader.feed(&buffer[..read])? {
                break response;
            }
        };
        // Done reading: free the connection.
        let _ = socket.close().await;
        Ok(response)
    })
    .await
}

/// Only whether `host:port` accepts a connection; a success is an empty 200.
pub async fn connect_only(endpoint: &Endpoint, host: &str, port: u16) -> Observation {
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    timed(endpoint.timeout_ms, async move {
        let mut socket = Socket::builder().connect(host, port).map_err(|e| e.to_string())?;
        socket.opened().await.map_err(|e| e.to_string())?;
        let _ = socket.close().await;
        Ok(probe::classify::Response { status: 200, location: None, body: Vec::new(), truncated: false })
    })
    .await
}

async fn timed(
    timeout_ms: u32,
    work: impl std::future::Future<Output = Result<probe::classify::Response, String>>,
) -> Observation {
    let started = Date::now().as_millis();
    let timeout = Delay::from(Duration::from_millis(u64::from(timeout_ms)));
    pin_mut!(work);
    // Dropping the unfinished work on timeout drops its socket, which closes it.
    let result = match select(work, timeout).await {
        Either::Left((Ok(response), _)) => Ok(response),
        Either::Left((Err(message), _)) => Err(FetchFailure::Error(message)),
        Either::Right(_) => Err(FetchFailure::TimedOut),
    };
    let elapsed_ms = Date::now().as_millis().saturating_sub(started).min(u64::from(u32::MAX)) as u32;
    Observation { elapsed_ms, result }
}
