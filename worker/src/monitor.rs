//! The monitor: one Durable Object that turns the regions' reports into declared states,
//! incidents and history (in its SQLite storage), and answers the read routes.
//!
//! One report at a time: a report is applied and saved without awaiting anything, so one
//! arriving meanwhile sees the first one's result, and a report not later than its region's
//! last applied is refused. Then the other regions are asked to probe an endpoint that just
//! failed, and alerts go out, by one delivery loop at a time.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use api::paths::monitor;
use api::{Beat, History, IncidentList, Ingest, MonitorMeta, Pictures, PostedIncident, Report, Soon, UpdatePost, View};
use probe::monitor::{MonitorState, TickOutput};
use probe::rollup::{period_start, uptime, Rollup, DAY, HOUR};
use serde_json::json;
use worker::*;

use crate::alerts::OutboxHolder;
use crate::meter::Meter;
use crate::refusal::Refusal;
use crate::storage::{Counters, Store};
use crate::{alerts, config_source, log, objects};

/// How far ahead of the monitor's clock a report may be dated: a region's clock that ran
/// ahead would otherwise make every later report of that region look old.
const FUTURE_SLACK_MS: i64 = 60_000;

#[durable_object]
pub struct Monitor {
    state: State,
    env: Env,
    /// The state, read from storage once per object lifetime and kept ahead of it: a save
    /// that fails never makes a later tick declare the same change again.
    memory: RefCell<Option<MonitorState>>,
    /// Whether a delivery loop is running (it awaits webhooks; a second must not start).
    delivering: Cell<bool>,
    /// Reads answered and reports applied since the object started, for `GET /api/meta`.
    reads: Cell<u64>,
    reports: Cell<u64>,
    meter: Meter,
    /// The id counters as last saved: written again only when an id is taken.
    saved_counters: Cell<Option<Counters>>,
    /// When the delivery alarm is set for (Unix seconds), so it is set only when sooner.
    alarm_at: Cell<Option<i64>>,
    /// The stored hours and days the pictures are drawn from, read again only after a
    /// report wrote rollups.
    stored: RefCell<Option<StoredRollups>>,
    /// Local runs only: reads are refused, as when a platform limit is reached.
    limited: Cell<bool>,
    /// The recent incidents, read again only after a report changed one: a view reads no rows.
    incidents: RefCell<Option<Vec<api::DetectedIncident>>>,
    /// The recent posted incidents, read again only after an update was posted.
    posted: RefCell<Option<Vec<PostedIncident>>>,
}

/// Every endpoint's stored rollups for the pictures.
struct StoredRollups {
    endpoints: BTreeMap<String, (Periods, Periods)>,
}

/// Rollups keyed by the start of their hour or day.
type Periods = BTreeMap<i64, Rollup>;

impl DurableObject for Monitor {
    fn new(state: State, env: Env) -> Self {
        let monitor = Monitor {
            state,
            env,
            memory: RefCell::new(None),
            delivering: Cell::new(false),
            reads: Cell::new(0),
            reports: Cell::new(0),
            meter: Meter::default(),
            saved_counters: Cell::new(None),
            alarm_at: Cell::new(None),
            stored: RefCell::new(None),
            limited: Cell::new(false),
            incidents: RefCell::new(None),
            posted: RefCell::new(None),
        };
        if let Err(error) = monitor.store().create().and_then(|()| monitor.store().create_posted()) {
            log::error("storage_create_failed", json!({ "error": error.to_string() }));
        }
        monitor
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        let path = request.path();
        if request.method() == Method::Get && path != MonitorMeta::PATH {
            self.reads.set(self.reads.get() + 1);
            if self.limited.get() {
                return Ok(Refusal::LimitReachedForTest.response());
            }
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
            (Method::Post, UpdatePost::PATH) => {
                let post: UpdatePost = request.json().await?;
                let config = config_source::load(&self.env);
                let endpoints: Vec<&str> = config.endpoints.iter().map(|e| e.name.as_str()).collect();
                let answer = crate::posted::apply(&self.store(), post, &endpoints, crate::tick::now())?;
                // Read again only once something was saved.
                if answer.status_code() < 400 {
                    *self.posted.borrow_mut() = None;
                }
                Ok(answer)
            }
            (Method::Post, Beat::PATH) => {
                let beat: Beat = request.json().await?;
                self.beat(&beat.name)
            }
            (Method::Get, monitor::STATUS) => self.status(),
            (Method::Get, monitor::INCIDENTS) => {
                Response::from_json(&IncidentList { incidents: self.recent_incidents()? })
            }
            (Method::Get, monitor::ALERTS) => {
                let config = config_source::load(&self.env);
                self.with_state(|state| Response::from_json(&state.outbox.report(&config)))
            }
            // Local runs only (the route is not served otherwise): damage the saved state, as
            // a bad write or an incompatible version would, so the tests can see it survived.
            (Method::Post, monitor::LIMIT_ON | monitor::LIMIT_OFF) if config_source::is_local(&self.env) => {
                self.limited.set(path == monitor::LIMIT_ON);
                Response::ok("limit set")
            }
            (Method::Post, monitor::DAMAGE) if config_source::is_local(&self.env) => {
                self.store().damage_state()?;
                *self.memory.borrow_mut() = None;
                Response::ok("damaged")
            }
            (Method::Get, MonitorMeta::PATH) => Response::from_json(&MonitorMeta {
                monitor_reads: self.reads.get(),
                reports: self.reports.get(),
                meter: self.meter.counts(),
            }),
            (Method::Get, monitor::PICTURES) => Response::from_json(&self.pictures()?),
            (Method::Get, View::PATH) => self.view(),
            (Method::Get, path) if path.starts_with(monitor::HISTORY) => self.history(&path[monitor::HISTORY.len()..]),
            _ => Ok(Refusal::NoRoute { routes: &[] }.response()),
        }
    }

    /// Delivers the alerts that are due, then waits for the next retry.
    async fn alarm(&self) -> Result<Response> {
        self.alarm_at.set(None);
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
    fn store(&self) -> Store<'_> {
        Store { sql: self.state.storage().sql(), meter: &self.meter }
    }

    /// A region's report (`from` is set), or every region's round on demand.
    async fn ingest(
        &self,
        at_ms: i64,
        from: Option<&str>,
        reports: &[(String, Vec<api::ProbeReport>)],
    ) -> Result<Response> {
        let config = config_source::load(&self.env);
        let now_ms = Date::now().as_millis() as i64;
        if at_ms > now_ms + FUTURE_SLACK_MS {
            log::warn("report_refused", json!({ "at_ms": at_ms, "now_ms": now_ms, "why": "dated in the future" }));
            let why = format!("the report is dated {at_ms} ms, ahead of the monitor's clock ({now_ms} ms)");
            return Ok(Refusal::ReportRefused(why).response());
        }
        let store = self.store();
        // Applied to a copy, and the copy kept once its rows are written: nothing is awaited
        // between reading the state and replacing it.
        // Applied to a copy; the copy is saved first, and only once it is saved are the rows it
        // adds to (history, incidents) written: were they written and the state not, the
        // state read back later would add the same periods again. A save that fails keeps
        // the copy in memory, ahead of storage, and leaves the rows for that state to write.
        let saved = self.saved_counters.get();
        let applied = self.with_state(|state| {
            let mut next = state.clone();
            let output = match (from, reports) {
                (Some(region), [(_, list)]) => next.report(&config, region, at_ms, list),
                _ => next.tick(&config, at_ms, reports),
            };
            let Ok(output) = output else { return Ok(output) };
            match store.save_state(&next, saved) {
                Ok(counters) => {
                    self.saved_counters.set(Some(counters));
                    if let Err(error) = write_report(&store, at_ms, &output) {
                        log::error("history_not_written", json!({ "at_ms": at_ms, "error": error.to_string() }));
                    }
                }
                Err(error) => log::error("state_save_failed", json!({ "at_ms": at_ms, "error": error.to_string() })),
            }
            *state = next;
            Ok(Ok(output))
        })?;
        let output = match applied {
            Ok(output) => output,
            Err(refused) => {
                log::warn("report_refused", json!({ "at_ms": at_ms, "why": refused.to_string() }));
                return Ok(Refusal::ReportRefused(refused.to_string()).response());
            }
        };
        self.reports.set(self.reports.get() + 1);
        if !output.finished.is_empty() {
            *self.stored.borrow_mut() = None;
        }
        if !output.incidents.is_empty() {
            *self.incidents.borrow_mut() = None;
        }
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
    /// second after a pass that sent nothing it could. An alarm already set for that time or
    /// sooner is left alone: each one set is a row written, and while a webhook is down every
    /// report would otherwise set one.
    async fn arm_delivery(&self, after_report: bool) {
        let now = crate::tick::now();
        let config = config_source::load(&self.env);
        let next = self.with_state(|state| Ok(state.outbox.next_due(&config, now)));
        let Ok(Some(next)) = next else { return };
        let at = next.max(now + i64::from(!after_report));
        if self.alarm_at.get().is_some_and(|set| set <= at) {
            return;
        }
        match self.state.storage().set_alarm((at - now) * 1000).await {
            Ok(()) => {
                self.meter.alarm_set();
                self.alarm_at.set(Some(at));
            }
            Err(error) => log::error("delivery_alarm_failed", json!({ "error": error.to_string() })),
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

    /// A heartbeat reported in: recorded, and saved unless one was saved a moment ago.
    fn beat(&self, name: &str) -> Result<Response> {
        use probe::heartbeat::BeatTaken;
        let config = config_source::load(&self.env);
        let now_ms = Date::now().as_millis() as i64;
        match self.with_state(|state| Ok(state.beats.beat(&config, name, now_ms)))? {
            BeatTaken::Unknown => return Ok(Refusal::NoSuchHeartbeat.response()),
            BeatTaken::Save => self.save(),
            BeatTaken::Held => {}
        }
        let (period, grace, _) =
            config.endpoints.iter().find(|e| e.name == name).and_then(|e| e.heartbeat()).unwrap_or_default();
        let due_by = now_ms / 1000 + i64::from(period) + i64::from(grace);
        Response::from_json(&json!({ "ok": true, "heartbeat": name, "at": now_ms / 1000, "due_by": due_by }))
    }

    fn status(&self) -> Result<Response> {
        Response::from_json(&self.status_report()?)
    }

    /// The status with what the team posted.
    fn status_report(&self) -> Result<api::StatusReport> {
        let config = config_source::load(&self.env);
        let now = crate::tick::now();
        let mut status = self.with_state(|state| Ok(state.status(&config, now)))?;
        status.posted = probe::updates::shown(self.recent_posted()?, now);
        Ok(status)
    }

    /// The recently updated posted incidents, from memory once read.
    fn recent_posted(&self) -> Result<Vec<PostedIncident>> {
        if let Some(posted) = self.posted.borrow().as_ref() {
            return Ok(posted.clone());
        }
        let posted = self.store().recent_posted()?;
        *self.posted.borrow_mut() = Some(posted.clone());
        Ok(posted)
    }

    fn history(&self, endpoint: &str) -> Result<Response> {
        let config = config_source::load(&self.env);
        if !config.endpoints.iter().any(|e| e.name == endpoint) {
            return Ok(Refusal::NoSuchEndpoint.response());
        }
        let now = crate::tick::now();
        let store = self.store();
        let hourly = store.rollups(endpoint, HOUR, period_start(now, HOUR) - 7 * DAY)?;
        let daily = store.rollups(endpoint, DAY, period_start(now, DAY) - 90 * DAY)?;
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

    /// The 50 most recent incidents, from memory once read.
    fn recent_incidents(&self) -> Result<Vec<api::DetectedIncident>> {
        if let Some(incidents) = self.incidents.borrow().as_ref() {
            return Ok(incidents.clone());
        }
        let incidents = self.store().recent_incidents(50)?;
        *self.incidents.borrow_mut() = Some(incidents.clone());
        Ok(incidents)
    }

    /// Everything the public routes show, in one answer: one Durable Object request per read.
    fn view(&self) -> Result<Response> {
        let status = self.status_report()?;
        let incidents = self.recent_incidents()?;
        let pictures = self
            .pictures()
            .map_err(|error| log::warn("pictures_unavailable", json!({ "error": error.to_string() })))
            .ok();
        Response::from_json(&View { status, incidents, pictures })
    }

    /// `GET /api/pictures`. The stored rows (about 114 per endpoint) are read again only
    /// after a report wrote some, not per request: the open hours and day come from memory.
    fn pictures(&self) -> Result<Pictures> {
        let config = config_source::load(&self.env);
        let now = crate::tick::now();
        let mut stored = self.stored.borrow_mut();
        let current =
            stored.as_ref().is_some_and(|s| config.endpoints.iter().all(|e| s.endpoints.contains_key(&e.name)));
        if !current {
            let store = self.store();
            let mut endpoints = BTreeMap::new();
            for endpoint in &config.endpoints {
                let hourly = store.rollups(&endpoint.name, HOUR, period_start(now, HOUR) - DAY)?;
                let daily = store.rollups(&endpoint.name, DAY, period_start(now, DAY) - 90 * DAY)?;
                endpoints.insert(endpoint.name.clone(), (hourly.into_iter().collect(), daily.into_iter().collect()));
            }
            *stored = Some(StoredRollups { endpoints });
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
            Ok(Pictures { generated_at: now, uptime_basis: probe::rollup::UPTIME_BASIS.to_string(), endpoints })
        })
    }
}

/// The monitor keeps the outbox: delivery reads and saves it through this.
impl OutboxHolder for Monitor {
    fn with_state<T>(&self, use_state: impl FnOnce(&mut MonitorState) -> Result<T>) -> Result<T> {
        let mut memory = self.memory.borrow_mut();
        if memory.is_none() {
            *memory = Some(self.store().load_state(crate::tick::now())?);
        }
        use_state(memory.as_mut().expect("loaded above"))
    }

    fn save(&self) {
        let saved = self.saved_counters.get();
        match self.with_state(|state| self.store().save_state(state, saved)) {
            Ok(counters) => self.saved_counters.set(Some(counters)),
            Err(error) => log::error("state_save_failed", json!({ "error": error.to_string() })),
        }
    }
}

/// The stored hours and days of `endpoint` with the ones still being summed.
fn with_open_periods(
    state: &MonitorState,
    endpoint: &str,
    mut hours: Periods,
    mut days: Periods,
) -> (Periods, Periods) {
    hours.extend(state.history.hours.of(endpoint));
    days.extend(state.history.days.of(endpoint));
    (hours, days)
}

/// The rows a report adds: the incidents it changed, the periods it closed or added to.
fn write_report(store: &Store, at_ms: i64, output: &TickOutput) -> Result<()> {
    for incident in &output.incidents {
        store.save_incident(incident)?;
    }
    for closed in &output.finished {
        store.add_rollup(closed)?;
    }
    if output.finished.iter().any(|closed| closed.period == HOUR) {
        store.prune(at_ms.div_euclid(1000))?;
    }
    Ok(())
}
