//! Reads of the monitor, shared: a Worker runs before the HTTP cache, so every view of the
//! status page, a badge or the feed would otherwise be a Durable Object request, and a busy
//! status page during an incident would spend the day's allowance.
//!
//! Within an isolate, one answer per monitor path serves every request for [`READ_TTL_MS`],
//! and requests that arrive while it is being fetched wait for that one fetch. Across
//! isolates of a data centre, the Workers Cache API holds the same answer (on a custom
//! domain; on `*.workers.dev` the platform ignores it, and the isolate's copy still bounds
//! the cost to one request per path per isolate per interval).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use std::time::Duration;

use worker::{Cache, Date, Delay, Env, Response};

/// How long an answer is served before the monitor is asked again, at most: never more than
/// half the probe interval, so a stale status is seen as stale in time.
pub const READ_TTL_MS: u64 = 10_000;
/// How often a waiting request looks for the answer another is fetching.
const POLL_MS: u64 = 20;
/// How long a request waits on another's fetch before making its own.
const MAX_WAIT_MS: u64 = 5_000;

/// A monitor answer: status code and JSON body.
pub type Answer = Result<(u16, Rc<String>), String>;

enum Entry {
    Ready {
        at_ms: u64,
        answer: (u16, Rc<String>),
    },
    /// A request is fetching it (since `since_ms`).
    Loading {
        since_ms: u64,
    },
}

thread_local! {
    static ENTRIES: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
}

enum Found {
    Answer((u16, Rc<String>)),
    /// Another request is fetching it.
    Wait,
    /// This request fetches it.
    Fetch,
}

fn look(path: &str, ttl_ms: u64, claim: bool) -> Found {
    let now = Date::now().as_millis();
    ENTRIES.with(|entries| {
        let mut entries = entries.borrow_mut();
        match entries.get(path) {
            Some(Entry::Ready { at_ms, answer }) if now.saturating_sub(*at_ms) < ttl_ms => {
                Found::Answer(answer.clone())
            }
            Some(Entry::Loading { since_ms }) if now.saturating_sub(*since_ms) < MAX_WAIT_MS => Found::Wait,
            _ if claim => {
                entries.insert(path.to_string(), Entry::Loading { since_ms: now });
                Found::Fetch
            }
            _ => Found::Fetch,
        }
    })
}

/// The monitor's answer for `path` (`/status`, `/incidents`…), from this isolate's copy, the
/// data centre's cache, or the monitor itself, in that order.
///
/// Requests never touch each other's I/O (the runtime forbids it): one request fetches and
/// stores the answer; the others wait on timers of their own and read the stored copy.
pub async fn read(env: &Env, path: &str, interval_seconds: u32) -> Answer {
    let ttl_ms = READ_TTL_MS.min(u64::from(interval_seconds) * 500);
    loop {
        match look(path, ttl_ms, true) {
            Found::Answer(answer) => return Ok(answer),
            Found::Fetch => return fetch_and_store(env, path, ttl_ms).await,
            Found::Wait => Delay::from(Duration::from_millis(POLL_MS)).await,
        }
    }
}

async fn fetch_and_store(env: &Env, path: &str, ttl_ms: u64) -> Answer {
    let answer = fetch(env, path, ttl_ms).await;
    ENTRIES.with(|entries| {
        let mut entries = entries.borrow_mut();
        match &answer {
            Ok(answer) if answer.0 < 500 => {
                entries
                    .insert(path.to_string(), Entry::Ready { at_ms: Date::now().as_millis(), answer: answer.clone() });
            }
            // A failure is not kept: the next request asks again.
            _ => {
                entries.remove(path);
            }
        }
    });
    answer
}

/// Forgets every answer, in this isolate and this data centre's cache: called after a tick,
/// so the isolate that ran it serves the new status at once.
pub async fn invalidate() {
    let paths: Vec<String> = ENTRIES.with(|entries| entries.borrow_mut().drain().map(|(path, _)| path).collect());
    let cache = Cache::default();
    for path in paths.iter().map(String::as_str).chain(["/status", "/incidents", "/alerts", "/pictures"]) {
        let _ = cache.delete(cache_key(path).as_str(), true).await;
    }
}

fn cache_key(path: &str) -> String {
    format!("https://outpost-monitor.internal{path}")
}

async fn fetch(env: &Env, path: &str, ttl_ms: u64) -> Answer {
    let key = cache_key(path);
    let cache = Cache::default();
    if let Ok(Some(mut cached)) = cache.get(key.as_str(), true).await {
        if let Ok(body) = cached.text().await {
            return Ok((cached.status_code(), Rc::new(body)));
        }
    }
    let answer = ask_monitor(env, path).await.map_err(|e| e.to_string())?;
    if answer.0 < 500 {
        if let Ok(mut copy) = Response::ok(answer.1.as_str()) {
            let _ = copy.headers_mut().set("Cache-Control", &format!("public, max-age={}", (ttl_ms / 1000).max(1)));
            let _ = cache.put(key.as_str(), copy.with_status(answer.0)).await;
        }
    }
    Ok(answer)
}

/// One request to the monitor object.
pub async fn ask_monitor(env: &Env, path: &str) -> worker::Result<(u16, Rc<String>)> {
    let monitor = crate::objects::monitor(env)?;
    let mut response = monitor.fetch_with_str(&format!("https://monitor{path}")).await?;
    let status = response.status_code();
    Ok((status, Rc::new(response.text().await?)))
}
