//! Reads of the monitor, shared between the requests of one isolate. Workers Cache (in
//! `wrangler.toml`) answers most readers before the Worker runs; what reaches the Worker
//! still should not cost a Durable Object request each, nor fail when the monitor cannot
//! answer.
//!
//! - One answer per monitor path serves every request for as long as it holds (the caller
//!   says, from what it says: `probe::serving`), and requests that arrive while it is being
//!   fetched wait for that one fetch: a crowd costs one monitor request per path per isolate
//!   per fresh period.
//! - The last good answer is kept: when the monitor cannot answer (a platform limit, an
//!   error), readers get it with its age, never nothing.
//!
//! The Cache API (`caches.default`) is not used: on `*.workers.dev` it does nothing, and
//! Workers Cache in front of the Worker does its job on every deployment.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use worker::{Date, Delay, Env};

/// How often a waiting request looks for the answer another is fetching.
const POLL_MS: u64 = 20;
/// How long a request waits on another's fetch before making its own.
const MAX_WAIT_MS: u64 = 5_000;
/// How long a failed fetch answers for the monitor: readers get the last good answer at once
/// meanwhile, instead of each asking an overloaded monitor in turn.
const FAILED_HOLD_MS: u64 = 2_000;

/// A monitor answer: status code and JSON body.
pub type Answer = (u16, Rc<String>);

/// What a read found.
#[derive(Debug, Clone)]
pub struct Read {
    pub status: u16,
    pub body: Rc<String>,
    /// How much longer this answer holds (ms): what a cache in front may keep it for, so
    /// the two copies never add up.
    pub holds_ms: u64,
    /// Set when the monitor could not answer now: how old this answer is (ms), and why.
    pub stale: Option<Stale>,
}

#[derive(Debug, Clone)]
pub struct Stale {
    pub age_ms: u64,
    pub error: String,
}

enum Entry {
    /// Fetched at `at_ms`, served until `until_ms`.
    Ready { at_ms: u64, until_ms: u64, answer: Answer },
    /// The monitor could not answer, until `until_ms`: the last good answer serves.
    Failed { until_ms: u64, error: String },
    /// A request is fetching it (since `since_ms`).
    Loading { since_ms: u64 },
}

thread_local! {
    static ENTRIES: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
    /// The last good answer of each path and when it was fetched, kept however old.
    static LAST_GOOD: RefCell<HashMap<String, (u64, Answer)>> = RefCell::new(HashMap::new());
}

enum Found {
    /// An answer, and how much longer it holds (ms).
    Answer(Answer, u64),
    /// The monitor failed just now.
    Failed(String),
    /// Another request is fetching it.
    Wait,
    /// This request fetches it.
    Fetch,
}

fn look(path: &str) -> Found {
    let now = Date::now().as_millis();
    ENTRIES.with(|entries| {
        let mut entries = entries.borrow_mut();
        match entries.get(path) {
            Some(Entry::Ready { at_ms, until_ms, answer }) if *at_ms <= now && now < *until_ms => {
                Found::Answer(answer.clone(), until_ms - now)
            }
            Some(Entry::Failed { until_ms, error }) if now < *until_ms => Found::Failed(error.clone()),
            Some(Entry::Loading { since_ms }) if now.saturating_sub(*since_ms) < MAX_WAIT_MS => Found::Wait,
            _ => {
                entries.insert(path.to_string(), Entry::Loading { since_ms: now });
                Found::Fetch
            }
        }
    })
}

/// The monitor's answer for `path` (`/view`, `/history/api`…): this isolate's copy, or the
/// monitor's, or when the monitor cannot answer, the last good one with its age. A fetched
/// answer is kept for `holds_ms(body)`.
///
/// Requests never touch each other's I/O (the runtime forbids it): one request fetches and
/// stores the answer; the others wait on timers of their own and read the stored copy.
pub async fn read(env: &Env, path: &str, holds_ms: &dyn Fn(&str) -> u64) -> Result<Read, String> {
    loop {
        match look(path) {
            Found::Answer((status, body), holds_ms) => return Ok(Read { status, body, holds_ms, stale: None }),
            Found::Failed(error) => return last_good(path, error),
            Found::Fetch => return fetch_and_store(env, path, holds_ms).await,
            Found::Wait => Delay::from(Duration::from_millis(POLL_MS)).await,
        }
    }
}

async fn fetch_and_store(env: &Env, path: &str, holds_ms: &dyn Fn(&str) -> u64) -> Result<Read, String> {
    let fetched = match ask_monitor(env, path).await {
        Ok((status, _)) if status >= 500 => Err(format!("the monitor answered HTTP {status}")),
        Ok(answer) => Ok(answer),
        Err(error) => Err(error.to_string()),
    };
    let now = Date::now().as_millis();
    let holds = fetched.as_ref().map_or(0, |answer| holds_ms(&answer.1));
    ENTRIES.with(|entries| {
        let mut entries = entries.borrow_mut();
        match &fetched {
            Ok(answer) => entries
                .insert(path.to_string(), Entry::Ready { at_ms: now, until_ms: now + holds, answer: answer.clone() }),
            // A failure holds briefly: the requests waiting, and those arriving, take the last
            // good answer instead of asking again one after another.
            Err(error) => {
                entries.insert(path.to_string(), Entry::Failed { until_ms: now + FAILED_HOLD_MS, error: error.clone() })
            }
        }
    });
    match fetched {
        Ok((status, body)) => {
            if status < 400 {
                LAST_GOOD.with(|last| last.borrow_mut().insert(path.to_string(), (now, (status, body.clone()))));
            }
            Ok(Read { status, body, holds_ms: holds, stale: None })
        }
        Err(error) => last_good(path, error),
    }
}

/// The last good answer for `path`, with its age, or the error when there is none.
fn last_good(path: &str, error: String) -> Result<Read, String> {
    let now = Date::now().as_millis();
    LAST_GOOD.with(|last| match last.borrow().get(path) {
        Some((at_ms, (status, body))) => Ok(Read {
            status: *status,
            body: body.clone(),
            holds_ms: 0,
            stale: Some(Stale { age_ms: now.saturating_sub(*at_ms), error }),
        }),
        None => Err(error),
    })
}

/// Forgets every fresh answer of this isolate (the last good ones stay): called after a
/// round on demand, so the isolate that ran it serves the new status at once.
pub fn invalidate() {
    ENTRIES.with(|entries| entries.borrow_mut().clear());
}

/// One request to the monitor object.
pub async fn ask_monitor(env: &Env, path: &str) -> worker::Result<Answer> {
    let monitor = crate::objects::monitor(env)?;
    let mut response = monitor.fetch_with_str(&format!("https://monitor{path}")).await?;
    let status = response.status_code();
    Ok((status, Rc::new(response.text().await?)))
}
