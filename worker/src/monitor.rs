//! The monitor: one Durable Object that turns the regions' reports into declared states,
//! incidents and history (in its SQLite storage), and answers the read routes.

use std::cell::RefCell;

use api::Ingest;
use api::{History, IncidentList};
use probe::monitor::MonitorState;
use probe::rollup::{period_start, uptime, DAY, HOUR};
use worker::*;

use crate::{alerts, config_source, storage};

#[durable_object]
pub struct Monitor {
    state: State,
    env: Env,
    /// The state row, read once per object lifetime.
    memory: RefCell<Option<MonitorState>>,
}

impl DurableObject for Monitor {
    fn new(state: State, env: Env) -> Self {
        if let Err(error) = storage::create(&state.storage().sql()) {
            console_error!("could not create tables: {error}");
        }
        Monitor { state, env, memory: RefCell::new(None) }
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        let path = request.path();
        match (request.method(), path.as_str()) {
            (Method::Post, Ingest::PATH) => {
                let ingest: Ingest = request.json().await?;
                self.ingest(ingest).await
            }
            (Method::Get, "/status") => self.status(),
            (Method::Get, "/incidents") => {
                Response::from_json(&IncidentList { incidents: storage::recent_incidents(&self.sql(), 50)? })
            }
            (Method::Get, path) if path.starts_with("/history/") => self.history(&path["/history/".len()..]),
            _ => Response::error("not found", 404),
        }
    }
}

impl Monitor {
    fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    fn with_state<T>(&self, use_state: impl FnOnce(&mut MonitorState) -> Result<T>) -> Result<T> {
        let mut memory = self.memory.borrow_mut();
        if memory.is_none() {
            *memory = Some(storage::load_state(&self.sql())?);
        }
        use_state(memory.as_mut().expect("loaded above"))
    }

    async fn ingest(&self, ingest: Ingest) -> Result<Response> {
        let config = config_source::load(&self.env);
        let sql = self.sql();
        // Work on a copy: the state is saved once, after the alerts went out.
        let mut state = self.with_state(|state| Ok(state.clone()))?;
        let output = state.tick(&config, ingest.at, &ingest.reports);
        storage::save_tick(&sql, ingest.at, &output.record)?;
        for incident in &output.incidents {
            storage::save_incident(&sql, incident)?;
        }
        for (endpoint, period, start, rollup) in &output.finished {
            storage::save_rollup(&sql, endpoint, *period, *start, rollup)?;
        }
        if output.finished.iter().any(|(_, period, _, _)| *period == HOUR) {
            storage::prune_hours(&sql, ingest.at)?;
        }
        for (endpoint, transition) in &output.transitions {
            console_log!(
                "{endpoint}: {} -> {} since {}",
                transition.from.label(),
                transition.to.label(),
                transition.since
            );
        }
        alerts::deliver(&self.env, &config, &mut state, ingest.at).await;
        storage::save_state(&sql, &state)?;
        let report = state.status(&config, ingest.at);
        *self.memory.borrow_mut() = Some(state);
        Response::from_json(&report)
    }

    fn status(&self) -> Result<Response> {
        let config = config_source::load(&self.env);
        let now = crate::tick::now();
        self.with_state(|state| Response::from_json(&state.status(&config, now)))
    }

    fn history(&self, endpoint: &str) -> Result<Response> {
        let config = config_source::load(&self.env);
        if !config.endpoints.iter().any(|e| e.name == endpoint) {
            return Response::error("no such endpoint", 404);
        }
        let now = crate::tick::now();
        let sql = self.sql();
        let hourly = storage::rollups(&sql, endpoint, HOUR, period_start(now, HOUR) - 7 * DAY)?;
        let daily = storage::rollups(&sql, endpoint, DAY, period_start(now, DAY) - 90 * DAY)?;
        self.with_state(|state| {
            // The hour and the day still being summed count too.
            let mut hours: std::collections::BTreeMap<i64, _> = hourly.into_iter().collect();
            let mut days: std::collections::BTreeMap<i64, _> = daily.into_iter().collect();
            if let Some(current) = state.hour.get(endpoint) {
                hours.insert(state.hour_start, current.clone());
            }
            if let Some(current) = state.day.get(endpoint) {
                days.insert(state.day_start, current.clone());
            }
            Response::from_json(&History {
                endpoint: endpoint.to_string(),
                uptime: uptime(&hours, &days, now),
                hourly: hours.iter().map(|(start, r)| r.summary(*start)).collect(),
                daily: days.iter().map(|(start, r)| r.summary(*start)).collect(),
            })
        })
    }
}
