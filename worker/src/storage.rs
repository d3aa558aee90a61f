//! The monitor's SQLite tables. Writes per report are fixed (see `config::cadence`): the
//! monitor state and its id counters; rollups and incidents when they change.

use api::DetectedIncident;
use probe::monitor::MonitorState;
use probe::rollup::{Rollup, DAY, HOUR, ROLLUP_RETENTION};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{Result, SqlStorage, SqlStorageValue};

pub fn create(sql: &SqlStorage) -> Result<()> {
    for statement in [
        "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        // Raw records of each tick were kept and never read: with a report every few seconds
        // they would cost two rows written each. Rollups keep what is read.
        "DROP TABLE IF EXISTS ticks",
        "CREATE TABLE IF NOT EXISTS rollups (endpoint TEXT NOT NULL, period INTEGER NOT NULL, start INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (endpoint, period, start))",
        "CREATE TABLE IF NOT EXISTS incidents (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, started_at INTEGER NOT NULL, data TEXT NOT NULL)",
        // `recent_incidents` orders by start; pruning selects by it.
        "CREATE INDEX IF NOT EXISTS incidents_by_start ON incidents (started_at)",
    ] {
        sql.exec(statement, None)?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct TextRow {
    value: String,
}

/// The monitor's state. A row that no longer reads (a deploy changed its shape) is kept
/// aside under another key and logged, never silently replaced; the fresh state carries the
/// incident and alert ids forward, so none is reused.
pub fn load_state(sql: &SqlStorage, now: i64) -> Result<MonitorState> {
    let rows: Vec<TextRow> = sql.exec("SELECT value FROM state WHERE key = 'monitor'", None)?.to_array()?;
    let Some(row) = rows.first() else { return Ok(MonitorState::default()) };
    match MonitorState::from_json(&row.value) {
        Ok(state) => Ok(state),
        Err(error) => {
            let aside = format!("monitor.unreadable.{now}");
            sql.exec(
                "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                Some(vec![aside.as_str().into(), row.value.as_str().into()]),
            )?;
            let counters = counters(sql).unwrap_or_default();
            let most_recent_incident = max_incident_id(sql).unwrap_or(0);
            crate::log::error(
                "state_unreadable",
                serde_json::json!({ "error": error.to_string(), "kept_as": aside, "next_incident_id": counters.next_incident_id.max(most_recent_incident), "next_alert_id": counters.next_alert_id }),
            );
            let mut state = MonitorState::default();
            state.next_incident_id = counters.next_incident_id.max(most_recent_incident);
            // Outages still open carry on under their ids, and close when their endpoint is up.
            state.resume_open_incidents(recent_incidents(sql, 200).unwrap_or_default());
            // Alert ids: past the last one saved, or past any this clock could have made.
            state.outbox.next_id = counters.next_alert_id.max(u64::try_from(now).unwrap_or(0) * 1000);
            Ok(state)
        }
    }
}

/// The ids that must never repeat, saved beside the state in a shape that will not change.
#[derive(Debug, Default, serde::Serialize, Deserialize)]
struct Counters {
    next_incident_id: i64,
    next_alert_id: u64,
}

fn counters(sql: &SqlStorage) -> Option<Counters> {
    let rows: Vec<TextRow> = sql.exec("SELECT value FROM state WHERE key = 'counters'", None).ok()?.to_array().ok()?;
    serde_json::from_str(&rows.first()?.value).ok()
}

#[derive(Deserialize)]
struct MaxRow {
    id: Option<i64>,
}

fn max_incident_id(sql: &SqlStorage) -> Option<i64> {
    let rows: Vec<MaxRow> = sql.exec("SELECT MAX(id) AS id FROM incidents", None).ok()?.to_array().ok()?;
    rows.first()?.id
}

pub fn save_state(sql: &SqlStorage, state: &MonitorState) -> Result<()> {
    let json = serde_json::to_string(state)?;
    let counters = serde_json::to_string(&Counters {
        next_incident_id: state.next_incident_id,
        next_alert_id: state.outbox.next_id,
    })?;
    sql.exec("INSERT OR REPLACE INTO state (key, value) VALUES ('monitor', ?)", Some(vec![json.into()]))?;
    sql.exec("INSERT OR REPLACE INTO state (key, value) VALUES ('counters', ?)", Some(vec![counters.into()]))?;
    Ok(())
}

pub fn save_rollup(sql: &SqlStorage, endpoint: &str, period: i64, start: i64, rollup: &Rollup) -> Result<()> {
    let values: Vec<SqlStorageValue> =
        vec![endpoint.into(), period.into(), start.into(), serde_json::to_string(rollup)?.into()];
    sql.exec("INSERT OR REPLACE INTO rollups (endpoint, period, start, data) VALUES (?, ?, ?, ?)", Some(values))?;
    if period == DAY {
        sql.exec("DELETE FROM rollups WHERE start < ?", Some(vec![(start - ROLLUP_RETENTION).into()]))?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct RollupRow {
    start: i64,
    data: String,
}

/// `(start, rollup)` of an endpoint's hours or days since `from`, oldest first.
pub fn rollups(sql: &SqlStorage, endpoint: &str, period: i64, from: i64) -> Result<Vec<(i64, Rollup)>> {
    let rows: Vec<RollupRow> = sql
        .exec(
            "SELECT start, data FROM rollups WHERE endpoint = ? AND period = ? AND start >= ? ORDER BY start",
            Some(vec![endpoint.into(), period.into(), from.into()]),
        )?
        .to_array()?;
    Ok(rows.into_iter().filter_map(|row| Some((row.start, parse_row(&row.data)?))).collect())
}

pub fn save_incident(sql: &SqlStorage, incident: &DetectedIncident) -> Result<()> {
    let values: Vec<SqlStorageValue> = vec![
        incident.id.into(),
        incident.endpoint.as_str().into(),
        incident.started_at.into(),
        serde_json::to_string(incident)?.into(),
    ];
    sql.exec("INSERT OR REPLACE INTO incidents (id, endpoint, started_at, data) VALUES (?, ?, ?, ?)", Some(values))?;
    Ok(())
}

#[derive(Deserialize)]
struct DataRow {
    data: String,
}

/// The most recent incidents, newest first.
pub fn recent_incidents(sql: &SqlStorage, limit: i64) -> Result<Vec<DetectedIncident>> {
    rows_of(
        sql.exec("SELECT data FROM incidents ORDER BY started_at DESC, id DESC LIMIT ?", Some(vec![limit.into()]))?
            .to_array()?,
    )
}

/// Rows that read; one that does not is left in place and logged, not silently skipped.
fn rows_of<T: DeserializeOwned>(rows: Vec<DataRow>) -> Result<Vec<T>> {
    Ok(rows.into_iter().filter_map(|row| parse_row(&row.data)).collect())
}

fn parse_row<T: DeserializeOwned>(data: &str) -> Option<T> {
    serde_json::from_str(data)
        .map_err(|error| {
            let start: String = data.chars().take(80).collect();
            crate::log::warn("row_unreadable", serde_json::json!({ "error": error.to_string(), "row": start }));
        })
        .ok()
}

/// Hourly rollups are kept a week, days (the 90-day view) are pruned in `save_rollup`, and
/// incidents that started more than 90 days ago are deleted once they have ended.
pub fn prune(sql: &SqlStorage, now: i64) -> Result<()> {
    sql.exec("DELETE FROM rollups WHERE period = ? AND start < ?", Some(vec![HOUR.into(), (now - 8 * DAY).into()]))?;
    sql.exec(
        "DELETE FROM incidents WHERE started_at < ? AND json_extract(data, '$.ended_at') IS NOT NULL",
        Some(vec![(now - 90 * DAY).into()]),
    )?;
    Ok(())
}
