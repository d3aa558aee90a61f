//! Posting status updates to the edge probe (`POST {probe_api}/api/updates`). The token is
//! the worker's `UPDATES_TOKEN`, typed by whoever posts and kept only in this browser's
//! storage: the site's files never hold it.

use api::{PostedIncident, UpdatePost};

use super::storage;

const TOKEN_KEY: &str = "outpost.status-token";
/// The longest token kept: far past any secret a team would set.
const MAX_TOKEN_CHARS: usize = 512;

/// Why an update did not reach the status page.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", allow(dead_code))]
pub enum PostError {
    /// The worker refused the token: it must be typed again.
    Token(String),
    /// The worker refused the update, saying why.
    Refused(String),
    /// No answer, or one that is not the worker's.
    Unreachable(String),
}

impl PostError {
    pub fn words(&self) -> String {
        match self {
            PostError::Token(why) => format!("The status page refused the token: {why}"),
            PostError::Refused(why) => format!("Not posted: {why}"),
            PostError::Unreachable(why) => format!("Not posted: {why}. The message is still here to copy."),
        }
    }
}

pub fn token() -> Option<String> {
    storage::get(TOKEN_KEY).filter(|t| !t.is_empty())
}

/// Keeps `token` (trimmed); `false` when it is empty, too long or cannot be saved.
pub fn save_token(token: &str) -> bool {
    let token = token.trim();
    !token.is_empty() && token.chars().count() <= MAX_TOKEN_CHARS && storage::set(TOKEN_KEY, token)
}

pub fn forget_token() {
    storage::remove(TOKEN_KEY);
}

#[cfg(not(feature = "ssr"))]
pub async fn post(api: &str, token: &str, update: &UpdatePost) -> Result<PostedIncident, PostError> {
    use std::time::Duration;

    use leptos::prelude::set_timeout_with_handle;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let unreachable = |why: &str| PostError::Unreachable(why.to_string());
    let window = web_sys::window().ok_or_else(|| unreachable("no window"))?;
    let headers = web_sys::Headers::new().map_err(|_| unreachable("no headers"))?;
    let _ = headers.set("Authorization", &format!("Bearer {token}"));
    let _ = headers.set("Content-Type", "application/json");
    let body = serde_json::to_string(update).map_err(|_| unreachable("the update could not be written"))?;
    let controller = web_sys::AbortController::new().map_err(|_| unreachable("no AbortController"))?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    init.set_signal(Some(&controller.signal()));
    let timer = set_timeout_with_handle(move || controller.abort(), Duration::from_secs(15)).ok();
    let answer = JsFuture::from(window.fetch_with_str_and_init(&format!("{api}/api/updates"), &init)).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    let response: web_sys::Response = answer
        .map_err(|_| unreachable("the probe did not answer"))?
        .dyn_into()
        .map_err(|_| unreachable("not a response"))?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|t| t.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    let status = response.status();
    if (200..300).contains(&status) {
        return serde_json::from_str(&text).map_err(|_| unreachable("the probe's answer is not an update"));
    }
    let why = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(|e| e.chars().take(300).collect::<String>()))
        .unwrap_or_else(|| format!("HTTP {status}"));
    Err(match status {
        401 => PostError::Token(why),
        400 | 403 | 413 => PostError::Refused(why),
        _ => PostError::Unreachable(why),
    })
}

/// Building pages: nothing is posted.
#[cfg(feature = "ssr")]
pub async fn post(_api: &str, _token: &str, _update: &UpdatePost) -> Result<PostedIncident, PostError> {
    Err(PostError::Unreachable("posting happens in the browser".into()))
}
