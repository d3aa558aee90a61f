//! The platform's own meter of what an object writes: every SQL statement goes through
//! [`Meter::write`] or [`Meter::read`], which add the cursor's `rowsWritten` and `rowsRead`
//! (the counters Cloudflare bills by) to the object's counts, and each alarm set is counted
//! as the one row it is billed as. `GET /api/meta` shows them, and the worker tests hold
//! `config::cadence`'s model of a day to them.

use std::cell::Cell;

use serde::de::DeserializeOwned;
use worker::{Result, SqlCursor, SqlStorage, SqlStorageValue};

/// One object's counts since it started.
#[derive(Debug, Default)]
pub struct Meter {
    rows_written: Cell<u64>,
    rows_read: Cell<u64>,
    alarms_set: Cell<u64>,
}

impl Meter {
    /// Runs a statement that returns no rows.
    pub fn write(&self, sql: &SqlStorage, query: &str, params: Vec<SqlStorageValue>) -> Result<()> {
        let cursor = sql.exec(query, Some(params))?;
        // Stepped to the end, so the counters are final.
        cursor.raw().for_each(drop);
        self.count(&cursor);
        Ok(())
    }

    /// Runs a query and reads every row it returns.
    pub fn read<T: DeserializeOwned>(
        &self,
        sql: &SqlStorage,
        query: &str,
        params: Vec<SqlStorageValue>,
    ) -> Result<Vec<T>> {
        let cursor = sql.exec(query, Some(params))?;
        let rows = cursor.to_array()?;
        self.count(&cursor);
        Ok(rows)
    }

    /// An alarm was set: billed as one row written.
    pub fn alarm_set(&self) {
        self.alarms_set.set(self.alarms_set.get() + 1);
    }

    fn count(&self, cursor: &SqlCursor) {
        self.rows_written.set(self.rows_written.get() + cursor.rows_written() as u64);
        self.rows_read.set(self.rows_read.get() + cursor.rows_read() as u64);
    }

    pub fn counts(&self) -> api::MeterCounts {
        api::MeterCounts {
            rows_written: self.rows_written.get(),
            rows_read: self.rows_read.get(),
            alarms_set: self.alarms_set.get(),
        }
    }
}
