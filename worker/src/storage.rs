//! The monitor's SQLite tables. Writes per tick are fixed (see `probe::budget`): the tick
//! record, the monitor state, and the removal of the record that aged out.

use api::DetectedIncident;
use probe::monitor::MonitorState;
use probe::rollup::{Rollup, DAY, HOUR, RAW_RETENTION, ROLLUP_RETENTION};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{Result, SqlStorage, SqlStorageValue};

pub fn create(sql: &SqlStorage) -> Result<()> {
    for statement in [
        "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS ticks (at INTEGER PRIMARY KEY, data TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS rollups (endpoint TEXT NOT NULL, period INTEGER NOT NULL, start INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (endpoint, period, start))",
        "CREATE TABLE IF NOT EXISTS incidents (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, started_at INTEGER NOT NULL, data TEXT NOT NULL)",
    ] {
        sql.exec(statement, None)?;
    }
    Ok(())
}

#[derive(Deserialize)]
struct TextRow {
    value: String,
}

pub fn load_state(sql: &SqlStorage) -> Result<MonitorState> {
    let rows: Vec<TextRow> = sql.exec("SELECT value FROM state WHERE key = 'monitor'", None)?.to_array()?;
    Ok(rows.first().and_then(|row| serde_json::from_str(&row.value).ok()).unwrap_or_default())
}

pub fn save_state(sql: &SqlStorage, state: &MonitorState) -> Result<()> {
    let json = serde_json::to_string(state)?;
    sql.exec("INSERT OR REPLACE INTO state (key, value) VALUES ('monitor', ?)", Some(vec![json.into()]))?;
    Ok(())
}

pub fn save_tick(sql: &SqlStorage, at: i64, record: &impl serde::Serialize) -> Result<()> {
    sql.exec(
        "INSERT OR REPLACE INTO ticks (at, data) VALUES (?, ?)",
        Some(vec![at.into(), serde_json::to_string(record)?.into()]),
    )?;
    sql.exec("DELETE FROM ticks WHERE at < ?", Some(vec![(at - RAW_RETENTION).into()]))?;
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
    Ok(rows.into_iter().filter_map(|row| Some((row.start, serde_json::from_str(&row.data).ok()?))).collect())
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

fn rows_of<T: DeserializeOwned>(rows: Vec<DataRow>) -> Result<Vec<T>> {
    Ok(rows.into_iter().filter_map(|row| serde_json::from_str(&row.data).ok()).collect())
}

/// Hours are kept a week; days (the 90-day view) are pruned in `save_rollup`.
pub fn prune_hours(sql: &SqlStorage, now: i64) -> Result<()> {
    sql.exec("DELETE FROM rollups WHERE period = ? AND start < ?", Some(vec![HOUR.into(), (now - 8 * DAY).into()]))?;
    Ok(())
}
