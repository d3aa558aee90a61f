//! The monitor: one Durable Object that turns the regions' reports into declared states,
//! incidents and history (in its SQLite storage), and answers the read routes.
//!
//! One report at a time: a report is applied and saved without awaiting anything, so one
//! arriving meanwhile sees the first one's result, and a report not later than its region's
//! last applied is refused. Then the other regions are asked to probe an endpoint that just
//! failed, and alerts go out, by one delivery loop at a time.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use api::{History, IncidentList, Ingest, Pictures, Report, Soon};
use probe::monitor::{MonitorState, TickOutput};
use probe::rollup::{period_start, uptime, Rollup, DAY, HOUR};
use serde_json::json;
use worker::*;

use crate::{alerts, config_source, log, objects, storage};

#[durable_object]
pub struct Monitor {
    state: State,
    env: Env,
    /// The state, read from storage once per object lifetime and kept ahead of it: a save
    /// that fails never makes a later tick declare the same change again.
    memory: RefCell<Option<MonitorState>>,
    /// Whether a delivery loop is running (it awaits webhooks; a second must not start).
    delivering: Cell<bool>,
    /// Reads answered since the object started, for `GET /api/meta`.
    reads: Cell<u64>,
    /// The finished hours and days the pictures are drawn from, read once per hour.
    stored: RefCell<Option<StoredRollups>>,
}

/// Every endpoint's finished rollups for the pictures, as stored when the monitor's open
/// hour began at `hour_start`: the rows change only when that hour closes.
struct StoredRollups {
    hour_start: i64,
    endpoints: BTreeMap<String, (Periods, Periods)>,
}

/// Rollups keyed by the start of their hour or day.
type Periods = BTreeMap<i64, Rollup>;

impl DurableObject for Monitor {
    fn new(state: State, env: Env) -> Self {
        if let Err(error) = storage::create(&state.storage().sql()) {
            log::error("storage_create_failed", json!({ "error": error.to_string() }));
        }
        Monitor {
            state,
            env,
            memory: RefCell::new(None),
            delivering: Cell::new(false),
            reads: Cell::new(0),
            stored: RefCell::new(None),
        }
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        let path = request.path();
        if request.method() == Method::Get && path != "/meta" {
            self.reads.set(self.reads.get() + 1);
        }
        match (request.method(), path.as_str()) {
            (Method::Post, Ingest::PATH) => {
                let ingest: Ingest = request.json().await?;
                self.ingest(ingest.at_ms, None, &ingest.reports).await
            }
            (Method::Post, Report::PATH) => {
                let report: Report = request.json().await?;
                self.ingest(report.at_ms, Some(&report.region), &[(report.region.clone(), report.reports)]).await
            }
            (Method::Get, "/status") => self.status(),
            (Method::Get, "/incidents") => {
                Response::from_json(&IncidentList { incidents: storage::recent_incidents(&self.sql(), 50)? })
            }
            (Method::Get, "/alerts") => {
                let config = config_source::load(&self.env);
                self.with_state(|state| Response::from_json(&state.outbox.report(&config)))
            }
            // Local runs only (the route is not served otherwise): damage the saved state, as
            // a bad write or an incompatible version would, so the tests can see it survived.
            (Method::Post, "/damage") if config_source::is_local(&self.env) => {
                self.sql().exec("UPDATE state SET value = '{\"detectors\": [' WHERE key = 'monitor'", None)?;
                *self.memory.borrow_mut() = None;
                Response::ok("damaged")
            }
            (Method::Get, "/meta") => Response::from_json(&json!({ "monitor_reads": self.reads.get() })),
            (Method::Get, "/pictures") => self.pictures(),
            (Method::Get, path) if path.starts_with("/history/") => self.history(&path["/history/".len()..]),
            _ => Response::error("not found", 404),
        }
    }

    /// Delivers the alerts that are due, then waits for the next retry.
    async fn alarm(&self) -> Result<Response> {
        let config = config_source::load(&self.env);
        if !self.delivering.replace(true) {
            alerts::deliver(self, &self.env, &config, crate::tick::now()).await;
            self.delivering.set(false);
        }
        self.arm_delivery(false).await;
        Response::ok("delivered")
    }
}

impl Monitor {
    fn sql(&self) -> SqlStorage {
        self.state.storage().sql()
    }

    pub(crate) fn with_state<T>(&self, use_state: impl FnOnce(&mut MonitorState) -> Result<T>) -> Result<T> {
        let mut memory = self.memory.borrow_mut();
        if memory.is_none() {
            *memory = Some(storage::load_state(&self.sql(), crate::tick::now())?);
        }
        use_state(memory.as_mut().expect("loaded above"))
    }

    pub(crate) fn save(&self) {
        let result = self.with_state(|state| storage::save_state(&self.sql(), state));
        if let Err(error) = result {
            log::error("state_save_failed", json!({ "error": error.to_string() }));
        }
    }

    /// A region's report (`from` is set), or every region's round on demand.
    async fn ingest(
        &self,
        at_ms: i64,
        from: Option<&str>,
        reports: &[(String, Vec<api::ProbeReport>)],
    ) -> Result<Response> {
        let config = config_source::load(&self.env);
        let sql = self.sql();
        // Applied to a copy, and the copy kept once its rows are written: nothing is awaited
        // between reading the state and replacing it.
        let applied = self.with_state(|state| {
            let mut next = state.clone();
            let output = match (from, reports) {
                (Some(region), [(_, list)]) => next.report(&config, region, at_ms, list),
                _ => next.tick(&config, at_ms, reports),
            };
            match output {
                Err(refused) => Ok(Err(refused)),
                Ok(output) => {
                    write_report(&sql, at_ms, &output)?;
                    *state = next;
                    Ok(Ok(output))
                }
            }
        })?;
        let output = match applied {
            Ok(output) => output,
            Err(refused) => {
                log::warn("report_refused", json!({ "at_ms": at_ms, "why": refused.to_string() }));
                let body = json!({ "error": refused.to_string() });
                return Ok(Response::from_json(&body)?.with_status(409));
            }
        };
        self.save();
        for (endpoint, change) in &output.transitions {
            log::info(
                "state_change",
                json!({ "endpoint": endpoint, "from": change.from, "to": change.to, "since_ms": change.since_ms, "alert": change.alert }),
            );
        }
        if let (Some(region), false) = (from, output.ask.is_empty()) {
            self.ask_others(&config, region, &output.ask).await;
        }
        // Alerts go out from the monitor's alarm, so the region's report is answered now.
        self.arm_delivery(true).await;
        let now = crate::tick::now();
        self.with_state(|state| Response::from_json(&state.status(&config, now)))
    }

    /// Sets the alarm that delivers alerts: at once after a report, or when the next message
    /// may be sent (a retry's time, a maintenance window's end), and never sooner than a
    /// second after a pass that sent nothing it could.
    async fn arm_delivery(&self, after_report: bool) {
        let now = crate::tick::now();
        let config = config_source::load(&self.env);
        let next = self.with_state(|state| Ok(state.outbox.next_due(&config, now)));
        let Ok(Some(next)) = next else { return };
        let delay_ms = (next - now).max(if after_report { 0 } else { 1 }) * 1000;
        if let Err(error) = self.state.storage().set_alarm(delay_ms).await {
            log::error("delivery_alarm_failed", json!({ "error": error.to_string() }));
        }
    }

    /// A region just saw these endpoints fail: the others probe them now, not at their next
    /// round. They only note the ask here and probe on their own alarm, so this is quick.
    async fn ask_others(&self, config: &config::Config, region: &str, endpoints: &[String]) {
        for other in config.regions.iter().filter(|r| *r != region) {
            let soon = Soon { endpoints: endpoints.to_vec() };
            let ask = async { objects::post(&objects::region(&self.env, other)?, Soon::PATH, &soon).await };
            if let Err(error) = ask.await {
                log::warn("ask_failed", json!({ "region": other, "error": error.to_string() }));
            }
        }
    }

    fn status(&self) -> Result<Response> {
        let config = config_source::load(&self.env);
        let now = crate::tick::now();
        self.with_state(|state| Response::from_json(&state.status(&config, now)))
    }

    fn history(&self, endpoint: &str) -> Result<Response> {
        let config = config_source::load(&self.env);
        if !config.endpoints.iter().any(|e| e.name == endpoint) {
            return Ok(Response::from_json(&json!({ "error": "no such endpoint" }))?.with_status(404));
        }
        let now = crate::tick::now();
        let sql = self.sql();
        let hourly = storage::rollups(&sql, endpoint, HOUR, period_start(now, HOUR) - 7 * DAY)?;
        let daily = storage::rollups(&sql, endpoint, DAY, period_start(now, DAY) - 90 * DAY)?;
        self.with_state(|state| {
            let (hours, days) =
                with_open_periods(state, endpoint, hourly.into_iter().collect(), daily.into_iter().collect());
            Response::from_json(&History {
                endpoint: endpoint.to_string(),
                uptime: uptime(&hours, &days, now),
                uptime_basis: probe::rollup::UPTIME_BASIS.to_string(),
                hourly: hours.iter().map(|(start, r)| r.summary(*start)).collect(),
                daily: days.iter().map(|(start, r)| r.summary(*start)).collect(),
            })
        })
    }

    /// `GET /api/pictures`. The stored rows are read once per hour (about 114 rows per
    /// endpoint), not per request: the open hour and day come from memory.
    fn pictures(&self) -> Result<Response> {
        let config = config_source::load(&self.env);
        let now = crate::tick::now();
        let hour_start = self.with_state(|state| Ok(state.hour_start))?;
        let mut stored = self.stored.borrow_mut();
        let current = stored.as_ref().is_some_and(|s| {
            s.hour_start == hour_start && config.endpoints.iter().all(|e| s.endpoints.contains_key(&e.name))
        });
        if !current {
            let sql = self.sql();
            let mut endpoints = BTreeMap::new();
            for endpoint in &config.endpoints {
                let hourly = storage::rollups(&sql, &endpoint.name, HOUR, period_start(now, HOUR) - DAY)?;
                let daily = storage::rollups(&sql, &endpoint.name, DAY, period_start(now, DAY) - 90 * DAY)?;
                endpoints.insert(endpoint.name.clone(), (hourly.into_iter().collect(), daily.into_iter().collect()));
            }
            *stored = Some(StoredRollups { hour_start, endpoints });
        }
        let stored = stored.as_ref().expect("read above");
        self.with_state(|state| {
            let endpoints = config
                .endpoints
                .iter()
                .map(|endpoint| {
                    let (hourly, daily) = stored.endpoints.get(&endpoint.name).cloned().unwrap_or_default();
                    let (hours, days) = with_open_periods(state, &endpoint.name, hourly, daily);
                    probe::pictures::endpoint_pictures(&endpoint.name, &config.regions, &hours, &days, now)
                })
                .collect();
            Response::from_json(&Pictures {
                generated_at: now,
                uptime_basis: probe::rollup::UPTIME_BASIS.to_string(),
                endpoints,
            })
        })
    }
}

/// The stored hours and days of `endpoint` with the hour and the day still being summed.
fn with_open_periods(
    state: &MonitorState,
    endpoint: &str,
    mut hours: Periods,
    mut days: Periods,
) -> (Periods, Periods) {
    if let Some(current) = state.hour.get(endpoint) {
        hours.insert(state.hour_start, current.clone());
    }
    if let Some(current) = state.day.get(endpoint) {
        days.insert(state.day_start, current.clone());
    }
    (hours, days)
}

/// The rows a report adds: the incidents it changed, the periods it finished.
fn write_report(sql: &SqlStorage, at_ms: i64, output: &TickOutput) -> Result<()> {
    for incident in &output.incidents {
        storage::save_incident(sql, incident)?;
    }
    for (endpoint, period, start, rollup) in &output.finished {
        storage::save_rollup(sql, endpoint, *period, *start, rollup)?;
    }
    if output.finished.iter().any(|(_, period, _, _)| *period == HOUR) {
        storage::prune(sql, at_ms.div_euclid(1000))?;
    }
    Ok(())
}
