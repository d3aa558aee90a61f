//! The monitor's SQLite tables, every statement metered (`meter`). Each write is an upsert or
//! an `UPDATE`, one row written as the platform counts it (`INSERT OR REPLACE` on a rowid
//! table writes two): per report the monitor state, the id counters only when an id was
//! taken, rollups when a period closes or a late report adds to one, incidents when they
//! change. See `config::cadence` for the day this adds up to.

use api::DetectedIncident;
use probe::ledger::Closed;
use probe::monitor::{MonitorState, MAX_SAVED_STATE_BYTES};
use probe::rollup::{Rollup, DAY, HOUR, ROLLUP_RETENTION};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{Result, SqlStorage, SqlStorageValue};

use crate::meter::Meter;

/// The monitor's storage: its SQL and the meter every statement goes through.
pub struct Store<'a> {
    pub sql: SqlStorage,
    pub meter: &'a Meter,
}

#[derive(Deserialize)]
struct TextRow {
    value: String,
}

#[derive(Deserialize)]
struct MaxRow {
    id: Option<i64>,
}

#[derive(Deserialize)]
struct RollupRow {
    start: i64,
    data: String,
}

#[derive(Deserialize)]
struct DataRow {
    data: String,
}

/// The ids that must never repeat, saved beside the state in a shape that will not change.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Counters {
    pub next_incident_id: i64,
    pub next_alert_id: u64,
}

impl Counters {
    pub fn of(state: &MonitorState) -> Counters {
        Counters { next_incident_id: state.next_incident_id, next_alert_id: state.outbox.next_id }
    }
}

impl Store<'_> {
    pub fn create(&self) -> Result<()> {
        for statement in [
            "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            // Raw records of each tick were kept and never read: with a report every few
            // seconds they would cost two rows written each. Rollups keep what is read.
            "DROP TABLE IF EXISTS ticks",
            "CREATE TABLE IF NOT EXISTS rollups (endpoint TEXT NOT NULL, period INTEGER NOT NULL, start INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (endpoint, period, start))",
            "CREATE TABLE IF NOT EXISTS incidents (id INTEGER PRIMARY KEY, endpoint TEXT NOT NULL, started_at INTEGER NOT NULL, data TEXT NOT NULL)",
            // `recent_incidents` orders by start; pruning selects by it.
            "CREATE INDEX IF NOT EXISTS incidents_by_start ON incidents (started_at)",
        ] {
            self.meter.write(&self.sql, statement, Vec::new())?;
        }
        Ok(())
    }

    fn put(&self, key: &str, value: &str) -> Result<()> {
        self.meter.write(
            &self.sql,
            "INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![key.into(), value.into()],
        )
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        let rows: Vec<TextRow> =
            self.meter.read(&self.sql, "SELECT value FROM state WHERE key = ?", vec![key.into()])?;
        Ok(rows.into_iter().next().map(|row| row.value))
    }

    /// The monitor's state. A row that no longer reads (a deploy changed its shape) is kept
    /// aside under another key and logged, never silently replaced; the fresh state carries
    /// the incident and alert ids forward, so none is reused, the outages still open, and
    /// the alerts not yet delivered.
    pub fn load_state(&self, now: i64) -> Result<MonitorState> {
        let Some(saved) = self.get("monitor")? else { return Ok(MonitorState::default()) };
        let error = match MonitorState::from_json(&saved) {
            Ok(state) => return Ok(state),
            Err(error) => error,
        };
        let aside = format!("monitor.unreadable.{now}");
        self.put(&aside, &saved)?;
        let counters = self.counters().unwrap_or_default();
        let most_recent_incident = self.max_incident_id().unwrap_or(0);
        let mut state = MonitorState::default();
        state.next_incident_id = counters.next_incident_id.max(most_recent_incident);
        // Outages still open carry on under their ids, and close when their endpoint is up.
        state.resume_open_incidents(self.recent_incidents(200).unwrap_or_default());
        // Alerts not delivered yet are read from the damaged state if they still read.
        let outbox = probe::monitor::outbox_of(&saved);
        let kept = outbox.as_ref().map_or(0, |outbox| outbox.pending.len());
        if let Some(outbox) = outbox {
            state.outbox = outbox;
        }
        // Alert ids: past the last one saved, or past any this clock could have made.
        state.outbox.next_id =
            state.outbox.next_id.max(counters.next_alert_id).max(u64::try_from(now).unwrap_or(0) * 1000);
        crate::log::error(
            "state_unreadable",
            serde_json::json!({ "error": error.to_string(), "kept_as": aside, "next_incident_id": state.next_incident_id, "next_alert_id": state.outbox.next_id, "pending_alerts_kept": kept }),
        );
        Ok(state)
    }

    fn counters(&self) -> Option<Counters> {
        serde_json::from_str(&self.get("counters").ok()??).ok()
    }

    fn max_incident_id(&self) -> Option<i64> {
        let rows: Vec<MaxRow> = self.meter.read(&self.sql, "SELECT MAX(id) AS id FROM incidents", Vec::new()).ok()?;
        rows.first()?.id
    }

    /// Saves the state (one row), and the id counters when they moved past `saved`. A state
    /// over [`MAX_STATE_BYTES`] is refused with an error rather than written to fail.
    pub fn save_state(&self, state: &MonitorState, saved: Option<Counters>) -> Result<Counters> {
        let json = serde_json::to_string(state)?;
        if json.len() > MAX_SAVED_STATE_BYTES {
            return Err(worker::Error::RustError(format!(
                "the monitor state is {} bytes, over its {MAX_SAVED_STATE_BYTES}-byte limit: not saved",
                json.len()
            )));
        }
        self.put("monitor", &json)?;
        let counters = Counters::of(state);
        if saved != Some(counters) {
            self.put("counters", &serde_json::to_string(&counters)?)?;
        }
        Ok(counters)
    }

    /// Adds a closed period's rollup to its stored row, or writes the row: a period is only
    /// ever added to, never replaced by a part of itself. A stored row that no longer reads is
    /// left as it is (and logged), not replaced by the addition.
    pub fn add_rollup(&self, closed: &Closed) -> Result<()> {
        let key = || -> Vec<SqlStorageValue> {
            vec![closed.endpoint.as_str().into(), closed.period.into(), closed.start.into()]
        };
        let rows: Vec<DataRow> = self.meter.read(
            &self.sql,
            "SELECT data FROM rollups WHERE endpoint = ? AND period = ? AND start = ?",
            key(),
        )?;
        let mut rollup: Rollup = match rows.first() {
            None => Rollup::default(),
            Some(row) => match parse_row(&row.data) {
                Some(rollup) => rollup,
                None => return Ok(()),
            },
        };
        rollup.merge(&closed.rollup);
        let mut values = key();
        values.push(serde_json::to_string(&rollup)?.into());
        self.meter.write(
            &self.sql,
            "INSERT INTO rollups (endpoint, period, start, data) VALUES (?, ?, ?, ?) ON CONFLICT (endpoint, period, start) DO UPDATE SET data = excluded.data",
            values,
        )?;
        if closed.period == DAY && rows.is_empty() {
            self.meter.write(
                &self.sql,
                "DELETE FROM rollups WHERE period = ? AND start < ?",
                vec![DAY.into(), (closed.start - ROLLUP_RETENTION).into()],
            )?;
        }
        Ok(())
    }

    /// `(start, rollup)` of an endpoint's hours or days since `from`, oldest first.
    pub fn rollups(&self, endpoint: &str, period: i64, from: i64) -> Result<Vec<(i64, Rollup)>> {
        let rows: Vec<RollupRow> = self.meter.read(
            &self.sql,
            "SELECT start, data FROM rollups WHERE endpoint = ? AND period = ? AND start >= ? ORDER BY start",
            vec![endpoint.into(), period.into(), from.into()],
        )?;
        Ok(rows.into_iter().filter_map(|row| Some((row.start, parse_row(&row.data)?))).collect())
    }

    pub fn save_incident(&self, incident: &DetectedIncident) -> Result<()> {
        self.meter.write(
            &self.sql,
            "INSERT INTO incidents (id, endpoint, started_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET endpoint = excluded.endpoint, started_at = excluded.started_at, data = excluded.data",
            vec![
                incident.id.into(),
                incident.endpoint.as_str().into(),
                incident.started_at.into(),
                serde_json::to_string(incident)?.into(),
            ],
        )
    }

    /// The most recent incidents, newest first.
    pub fn recent_incidents(&self, limit: i64) -> Result<Vec<DetectedIncident>> {
        let rows: Vec<DataRow> = self.meter.read(
            &self.sql,
            "SELECT data FROM incidents ORDER BY started_at DESC, id DESC LIMIT ?",
            vec![limit.into()],
        )?;
        Ok(rows_of(rows))
    }

    /// Hourly rollups are kept a week, days (the 90-day view) are pruned in `add_rollup`, and
    /// incidents that started more than 90 days ago are deleted once they have ended.
    pub fn prune(&self, now: i64) -> Result<()> {
        self.meter.write(
            &self.sql,
            "DELETE FROM rollups WHERE period = ? AND start < ?",
            vec![HOUR.into(), (now - 8 * DAY).into()],
        )?;
        self.meter.write(
            &self.sql,
            "DELETE FROM incidents WHERE started_at < ? AND json_extract(data, '$.ended_at') IS NOT NULL",
            vec![(now - 90 * DAY).into()],
        )
    }

    /// Local runs only: damages the saved state, as a bad write or an incompatible version
    /// would, so the tests can see it survive.
    pub fn damage_state(&self) -> Result<()> {
        let saved = self.get("monitor")?.unwrap_or_default();
        // The detectors no longer read; the outbox, kept apart at the end, still does.
        let damaged = match saved.find("\"outbox\"") {
            Some(at) => format!("{{\"detectors\": [, {}", &saved[at..]),
            None => "{\"detectors\": [".to_string(),
        };
        self.meter.write(&self.sql, "UPDATE state SET value = ? WHERE key = 'monitor'", vec![damaged.into()])
    }
}

/// Rows that read; one that does not is left in place and logged, not silently skipped.
fn rows_of<T: DeserializeOwned>(rows: Vec<DataRow>) -> Vec<T> {
    rows.into_iter().filter_map(|row| parse_row(&row.data)).collect()
}

fn parse_row<T: DeserializeOwned>(data: &str) -> Option<T> {
    serde_json::from_str(data)
        .map_err(|error| {
            let start: String = data.chars().take(80).collect();
            crate::log::warn("row_unreadable", serde_json::json!({ "error": error.to_string(), "row": start }));
        })
        .ok()
}
