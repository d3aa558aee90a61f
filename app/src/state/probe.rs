//! The edge probe's status as the site sees it: read from `[site] probe_api` on start and
//! again while the page is visible, as often as what it says calls for
//! (`StatusReport::read_again_seconds`: every 5 s while a failure is being confirmed, 10 s in
//! trouble, 15 s when calm; the uptime bars every five minutes), and kept in the browser,
//! so an unreachable probe (or no network) shows the last known status with its age, never an
//! error wall. Nothing of it exists without `probe_api`.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use api::{Pictures, StatusReport};
use leptos::prelude::*;
use runbook::incident::Timestamp;

use super::clock::now;
use super::storage;

const CACHE_KEY: &str = storage::CACHE_KEYS[0];
const PICTURES_KEY: &str = storage::CACHE_KEYS[1];
/// The wait after a read that failed, or before the first answer.
const RETRY: Duration = Duration::from_secs(30);
/// The uptime bars change by the hour: read again when they are this old.
const PICTURES_EVERY_SECONDS: Timestamp = 300;
/// A probe that has not answered in this long is unreachable for this round.
#[cfg(not(feature = "ssr"))]
const TIMEOUT: Duration = Duration::from_secs(10);
/// The largest status read: far above any real one (45 endpoints are about 20 KB).
#[cfg(not(feature = "ssr"))]
const MAX_BYTES: usize = 2 * 1024 * 1024;

#[derive(Clone, Copy)]
pub struct ProbeFeed {
    /// The last report read and when it was read (Unix seconds), kept across visits.
    pub last: RwSignal<Option<(StatusReport, Timestamp)>>,
    /// Whether the last attempt reached the probe; `None` before the first has finished.
    pub reachable: RwSignal<Option<bool>>,
    /// The uptime bars, kept across visits like the status.
    pub pictures: RwSignal<Option<Pictures>>,
}

pub fn use_probe() -> Option<ProbeFeed> {
    use_context::<Option<ProbeFeed>>().flatten()
}

impl ProbeFeed {
    /// The feed, reading at once and then as often as the status calls for while the page is
    /// visible; `None` when the site has no probe.
    pub fn start() -> Option<ProbeFeed> {
        let api = crate::library::probe_api()?;
        let feed = ProbeFeed {
            last: RwSignal::new(read_cache(CACHE_KEY)),
            reachable: RwSignal::new(None),
            pictures: RwSignal::new(read_cache(PICTURES_KEY).map(|(pictures, _)| pictures)),
        };
        if cfg!(feature = "ssr") {
            return Some(feed);
        }
        let reader = Reader {
            feed,
            api,
            busy: Rc::new(Cell::new(false)),
            next: Rc::new(Cell::new(None)),
            pictures_at: Rc::new(Cell::new(0)),
        };
        reader.read();
        // Coming back to the tab: read at once if the last read is older than the status asks.
        let on_focus = reader.clone();
        let handle = window_event_listener(leptos::ev::focus, move |_| {
            if on_focus.due() {
                on_focus.read();
            }
        });
        on_cleanup(move || handle.remove());
        Some(feed)
    }

    /// How long to wait before the next read, from the last status read.
    fn read_again(self) -> Duration {
        self.last.with_untracked(|last| match (last, self.reachable.get_untracked()) {
            (Some((report, _)), Some(true)) => Duration::from_secs(report.read_again_seconds().into()),
            _ => RETRY,
        })
    }
}

/// Reads the status, then sets the one timer for the next read.
#[derive(Clone)]
struct Reader {
    feed: ProbeFeed,
    api: &'static str,
    busy: Rc<Cell<bool>>,
    /// The timer of the next read: a read cancels it and sets its own, so there is one.
    next: Rc<Cell<Option<TimeoutHandle>>>,
    pictures_at: Rc<Cell<Timestamp>>,
}

impl Reader {
    /// Whether the last read is older than the status asked for.
    fn due(&self) -> bool {
        let read_at = self.feed.last.with_untracked(|last| last.as_ref().map(|(_, at)| *at));
        read_at.is_none_or(|at| now() - at >= self.feed.read_again().as_secs() as Timestamp)
    }

    fn read(&self) {
        if self.busy.replace(true) {
            return;
        }
        if let Some(timer) = self.next.take() {
            timer.clear();
        }
        let this = self.clone();
        leptos::task::spawn_local(async move {
            let feed = this.feed;
            match fetch_json::<StatusReport>(this.api, "/api/status").await {
                Ok(report) => {
                    feed.last.set(Some((keep(CACHE_KEY, report), now())));
                    feed.reachable.set(Some(true));
                    // A probe without pictures (an older deploy) leaves the last ones.
                    if now() - this.pictures_at.get() >= PICTURES_EVERY_SECONDS {
                        this.pictures_at.set(now());
                        if let Ok(pictures) = fetch_json::<Pictures>(this.api, "/api/pictures").await {
                            feed.pictures.set(Some(keep(PICTURES_KEY, pictures)));
                        }
                    }
                }
                Err(_) => feed.reachable.set(Some(false)),
            }
            this.busy.set(false);
            this.read_later();
        });
    }

    /// The next read, when the status asks for it; a hidden page waits until it is seen.
    fn read_later(&self) {
        let this = self.clone();
        let timer = set_timeout_with_handle(
            move || {
                if page_visible() {
                    this.read();
                } else {
                    this.read_later();
                }
            },
            self.feed.read_again(),
        );
        self.next.set(timer.ok());
    }
}

/// Saves `value` with the time it was read, for the next visit, and gives it back. A copy
/// only: bounded, and never in the way of an incident (`storage::set_cache`).
fn keep<T: serde::Serialize>(key: &str, value: T) -> T {
    if let Ok(json) = serde_json::to_string(&value) {
        storage::set_cache(key, &format!("{}\n{json}", now()));
    }
    value
}

fn read_cache<T: serde::de::DeserializeOwned>(key: &str) -> Option<(T, Timestamp)> {
    let text = storage::get(key)?;
    let (at, json) = text.split_once('\n')?;
    Some((serde_json::from_str(json).ok()?, at.parse().ok()?))
}

fn page_visible() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Visible
}

/// `GET {api}{path}` as JSON, given up after [`TIMEOUT`].
async fn fetch_json<T: serde::de::DeserializeOwned>(api: &str, path: &str) -> Result<T, String> {
    let text = fetch_text(&format!("{api}{path}")).await?;
    serde_json::from_str::<T>(&text).map_err(|e| format!("the answer is not readable: {e}"))
}

/// The body of `GET url`, bounded in time and size. Not generic, so the fetch is compiled
/// once for every kind of answer.
#[cfg(not(feature = "ssr"))]
async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = web_sys::window().ok_or("no window")?;
    let controller = web_sys::AbortController::new().map_err(|_| "no AbortController")?;
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    init.set_cache(web_sys::RequestCache::NoStore);
    let timer = set_timeout_with_handle(move || controller.abort(), TIMEOUT).ok();
    let result = async {
        let response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(|_| "the probe did not answer")?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response")?;
        if !response.ok() {
            return Err(format!("the probe answered HTTP {}", response.status()));
        }
        // Said too large before a byte is read, or read a chunk at a time and given up at
        // the cap: a probe (or whatever answers in its place) never fills the tab's memory.
        let declared = response.headers().get("content-length").ok().flatten().and_then(|l| l.parse::<usize>().ok());
        if declared.is_some_and(|length| length > MAX_BYTES) {
            return Err("the answer is larger than any probe sends".to_string());
        }
        let body = response.body().ok_or("no body")?;
        let reader: web_sys::ReadableStreamDefaultReader =
            body.get_reader().dyn_into().map_err(|_| "the body cannot be read")?;
        let mut bytes: Vec<u8> = Vec::new();
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(|_| "the body did not arrive")?;
            let done = js_sys::Reflect::get(&chunk, &"done".into()).map(|d| d.is_truthy()).unwrap_or(true);
            if done {
                break;
            }
            let value = js_sys::Reflect::get(&chunk, &"value".into()).map_err(|_| "the body did not arrive")?;
            let array = js_sys::Uint8Array::new(&value);
            if bytes.len() + array.length() as usize > MAX_BYTES {
                let _ = reader.cancel();
                return Err("the answer is larger than any probe sends".into());
            }
            let start = bytes.len();
            bytes.resize(start + array.length() as usize, 0);
            array.copy_to(&mut bytes[start..]);
        }
        let text = String::from_utf8(bytes).map_err(|_| "the answer is not text")?;
        Ok(text)
    }
    .await;
    if let Some(timer) = timer {
        timer.clear();
    }
    result
}

#[cfg(feature = "ssr")]
async fn fetch_text(_url: &str) -> Result<String, String> {
    Err("no probe at build time".into())
}
