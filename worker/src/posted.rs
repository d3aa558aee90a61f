//! Status updates the team posts: `POST /api/updates` (for whoever holds `UPDATES_TOKEN`),
//! passed to the monitor, which keeps one row per posted incident in its `posted` table and
//! shows the recent ones in every view. What is accepted is decided by `probe::updates`.

use api::{PostedIncident, UpdatePost};
use futures_util::StreamExt;
use probe::updates::{self, KEPT_INCIDENTS, MAX_BODY_BYTES};
use serde::Deserialize;
use worker::{Request, Response, Result};

use crate::refusal::Refusal;
use crate::storage::Store;
use crate::{log, objects, read_cache};

/// The Worker secret that opens `POST /api/updates`.
pub const TOKEN_SECRET: &str = "UPDATES_TOKEN";

#[derive(Deserialize)]
struct DataRow {
    data: String,
}

/// `POST /api/updates`: the body read within its bound, read as an update, and passed to the
/// monitor, whose answer (the incident as saved, or why it was refused) is the reply.
pub async fn receive(mut request: Request, env: &worker::Env) -> Result<Response> {
    let declared = request.headers().get("Content-Length")?.and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Ok(Refusal::TooLarge(MAX_BODY_BYTES).response());
    }
    // Read a chunk at a time and given up at the bound: a body without a length is no larger.
    // No body at all reads as empty, and is refused as unreadable below.
    let mut body = Vec::new();
    if let Ok(mut chunks) = request.stream() {
        while let Some(chunk) = chunks.next().await {
            body.extend_from_slice(&chunk?);
            if body.len() > MAX_BODY_BYTES {
                return Ok(Refusal::TooLarge(MAX_BODY_BYTES).response());
            }
        }
    }
    let post: UpdatePost = match serde_json::from_slice(&body) {
        Ok(post) => post,
        Err(error) => return Ok(Refusal::BadUpdate(format!("the update is not readable: {error}")).response()),
    };
    let mut answer = objects::post(&objects::monitor(env)?, UpdatePost::PATH, &post).await?;
    // The next read in this isolate shows it; other isolates' copies hold a few seconds.
    read_cache::invalidate();
    // A new response: the object's own has immutable headers, and the browser needs CORS on it.
    let status = answer.status_code();
    let mut response = Response::ok(answer.text().await?)?.with_status(status);
    response.headers_mut().set("Content-Type", "application/json")?;
    Ok(response)
}

impl Store<'_> {
    pub fn create_posted(&self) -> Result<()> {
        self.meter.write(
            &self.sql,
            "CREATE TABLE IF NOT EXISTS posted (key TEXT PRIMARY KEY, updated_at INTEGER NOT NULL, data TEXT NOT NULL)",
            Vec::new(),
        )
    }

    fn posted(&self, key: &str) -> Result<Option<PostedIncident>> {
        let rows: Vec<DataRow> =
            self.meter.read(&self.sql, "SELECT data FROM posted WHERE key = ?", vec![key.into()])?;
        Ok(rows.first().and_then(|row| serde_json::from_str(&row.data).ok()))
    }

    /// The most recently updated posted incidents, newest first.
    pub fn recent_posted(&self) -> Result<Vec<PostedIncident>> {
        let rows: Vec<DataRow> = self.meter.read(
            &self.sql,
            "SELECT data FROM posted ORDER BY updated_at DESC LIMIT ?",
            vec![(updates::SHOWN_INCIDENTS as i64 * 2).into()],
        )?;
        Ok(rows.iter().filter_map(|row| serde_json::from_str(&row.data).ok()).collect())
    }

    /// Saves an incident (one row written), and deletes the oldest past [`KEPT_INCIDENTS`].
    fn save_posted(&self, incident: &PostedIncident) -> Result<()> {
        self.meter.write(
            &self.sql,
            "INSERT INTO posted (key, updated_at, data) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at, data = excluded.data",
            vec![incident.key.as_str().into(), incident.updated_at.into(), serde_json::to_string(incident)?.into()],
        )?;
        self.meter.write(
            &self.sql,
            "DELETE FROM posted WHERE key NOT IN (SELECT key FROM posted ORDER BY updated_at DESC LIMIT ?)",
            vec![(KEPT_INCIDENTS as i64).into()],
        )
    }
}

/// The monitor's side of a post: applied to the incident it names and saved, or refused with
/// the reason, nothing saved.
pub fn apply(store: &Store, post: UpdatePost, endpoints: &[&str], now: i64) -> Result<Response> {
    let existing = store.posted(post.incident.trim())?;
    match updates::apply(existing, post, endpoints, now) {
        Ok(incident) => {
            store.save_posted(&incident)?;
            let latest = incident.latest().map(|u| (u.number, u.status.key()));
            log::info("update_posted", serde_json::json!({ "incident": incident.key, "update": latest }));
            Response::from_json(&incident)
        }
        Err(why) => Ok(Refusal::BadUpdate(why).response()),
    }
}
