//! The monitor's memory and what each region's report does to it: the regions' results in,
//! declared states (by the [`Detector`]), incidents and finished rollups out. The worker
//! stores [`MonitorState`] after every report and the outputs as rows of their own;
//! everything here is pure and runs natively in tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::alerts::{Alert, Outbox};
use api::outage::OutageLink;
use api::Outcome;
use api::State;
use config::{Config, Endpoint};

use crate::detect::{Change, Class, Detector, Verdict, Windows};
use crate::ledger::{Closed, Ledger, Probe, Spans};
use crate::rollup::Rollup;
use api::{Checking, DetectedIncident, EndpointStatus, ProbeReport, RegionResult, StatusReport};

/// The largest saved state, in bytes: SQLite refuses a row over 2 MB. The largest config the
/// free plan allows (45 endpoints, 6 regions, 8 alert targets), every endpoint answering the
/// largest hostile body and no alert delivered, stays under it (tested): text from outside is
/// capped where it enters (`crate::classify::bounded`), and the outbox holds at most
/// `alerts::MAX_PENDING` messages.
pub const MAX_SAVED_STATE_BYTES: usize = 1_500_000;
const _: () = assert!(MAX_SAVED_STATE_BYTES < 2 * 1024 * 1024, "under SQLite's row limit");

/// What the monitor remembers between reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitorState {
    /// Per endpoint: what is declared, and the regions' runs it is decided from.
    #[serde(default)]
    pub detectors: BTreeMap<String, Detector>,
    /// What the tick debounce had declared, in state saved before decisions were by time:
    /// read once, so an outage in progress is neither forgotten nor announced again.
    #[serde(default, rename = "trackers", skip_serializing)]
    legacy: BTreeMap<String, LegacyDeclared>,
    pub latest: BTreeMap<String, Vec<RegionResult>>,
    pub open_incidents: BTreeMap<String, DetectedIncident>,
    pub next_incident_id: i64,
    /// The hours and days being summed up, and what each region's latest probe stands for.
    #[serde(default)]
    pub history: Ledger,
    /// The one open hour and day of state saved before the ledger: read once, into it.
    #[serde(default, skip_serializing)]
    hour_start: i64,
    #[serde(default, skip_serializing)]
    hour: BTreeMap<String, Rollup>,
    #[serde(default, skip_serializing)]
    day_start: i64,
    #[serde(default, skip_serializing)]
    day: BTreeMap<String, Rollup>,
    #[serde(default, skip_serializing)]
    recent_probes: BTreeMap<String, Vec<(i64, u32, u32)>>,
    /// Alert messages not delivered yet.
    #[serde(default)]
    pub outbox: Outbox,
    /// When a region last reported (Unix seconds): a status older than three intervals is stale.
    #[serde(default)]
    pub last_tick_at: Option<i64>,
    /// The latest report applied from each region (Unix ms): one not later is refused.
    #[serde(default)]
    pub last_report_ms: BTreeMap<String, i64>,
    /// The heartbeats' beats: every report carries their results as if the region had probed
    /// them.
    #[serde(default)]
    pub beats: crate::heartbeat::Beats,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct LegacyDeclared {
    state: State,
    since: i64,
}

/// A report the monitor will not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not later than the last applied from its region (a duplicate, or overtaken).
    Stale { region: String, at_ms: i64, last_ms: i64 },
    /// From a region the config does not list (it was removed).
    UnknownRegion(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Stale { region, at_ms, last_ms } => write!(
                f,
                "the report from {region} at {at_ms} ms is not after the last one applied ({last_ms} ms): ignored"
            ),
            Refused::UnknownRegion(region) => write!(f, "{region:?} is not a configured region: report ignored"),
        }
    }
}

/// Everything reports produced that must be stored, announced or asked for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TickOutput {
    /// `(endpoint, change)` for every declared change (announced or not).
    pub transitions: Vec<(String, Change)>,
    /// Incidents opened, updated or closed.
    pub incidents: Vec<DetectedIncident>,
    /// Hours and days that closed, and what late reports add to ones closed before: each is
    /// added to its stored row.
    pub finished: Vec<Closed>,
    /// Endpoints a region just saw fail: the other regions should probe them now.
    pub ask: Vec<String>,
}

impl MonitorState {
    /// The state as saved. State saved by the tick debounce keeps what it had declared.
    pub fn from_json(text: &str) -> serde_json::Result<MonitorState> {
        let mut state: MonitorState = serde_json::from_str(text)?;
        for (endpoint, legacy) in std::mem::take(&mut state.legacy) {
            state.detectors.entry(endpoint).or_insert_with(|| seeded(legacy.state, legacy.since));
        }
        if state.hour_start != 0 && state.history == Ledger::default() {
            let mut history = Ledger::resumed(state.hour_start, state.day_start);
            history.hours.open.insert(state.hour_start, std::mem::take(&mut state.hour));
            history.days.open.insert(state.day_start, std::mem::take(&mut state.day));
            // Before time was weighed, each probe stands for one second of its hour.
            for (endpoint, hours) in std::mem::take(&mut state.recent_probes) {
                let weighed = hours.iter().map(|&(start, probes, failed)| {
                    let failed = failed.min(probes);
                    (start, u64::from(probes - failed) * 1000, u64::from(failed) * 1000)
                });
                history.recent.insert(endpoint, weighed.collect());
            }
            state.history = history;
        }
        Ok(state)
    }

    /// Carries on outages that storage still has open, into a state started afresh (the
    /// saved one could not be read): each stays open under its id, and its endpoint is taken
    /// as still in it, so that its recovery closes it and is announced.
    pub fn resume_open_incidents(&mut self, incidents: impl IntoIterator<Item = DetectedIncident>) {
        for incident in incidents.into_iter().filter(|i| i.ended_at.is_none()) {
            let endpoint = incident.endpoint.clone();
            self.detectors.entry(endpoint.clone()).or_insert_with(|| seeded(incident.worst, incident.started_at));
            self.next_incident_id = self.next_incident_id.max(incident.id);
            // Its recovery closes what paging tools opened, by the same episode key.
            self.outbox.episodes.entry(endpoint.clone()).or_insert(incident.started_at);
            self.open_incidents.entry(endpoint).or_insert(incident);
        }
    }

    /// Applies one region's report: results of probes started at `at_ms`, for every endpoint
    /// (a round) or some (a recheck, a probe asked for). Reports from a region apply in time
    /// order, once each.
    pub fn report(
        &mut self,
        config: &Config,
        region: &str,
        at_ms: i64,
        reports: &[ProbeReport],
    ) -> Result<TickOutput, Refused> {
        self.accept(config, region, at_ms)?;
        Ok(self.apply(config, &[(region.to_string(), reports.to_vec())], at_ms))
    }

    /// Every region's results of one round started at `at_ms` together (`POST /api/probe`):
    /// `reports` are `(region, that region's reports)`; a region that did not answer is
    /// absent. Refused only when every region's report is.
    pub fn tick(
        &mut self,
        config: &Config,
        at_ms: i64,
        reports: &[(String, Vec<ProbeReport>)],
    ) -> Result<TickOutput, Refused> {
        let mut accepted = Vec::new();
        let mut refused = None;
        for (region, list) in reports {
            match self.accept(config, region, at_ms) {
                Ok(()) => accepted.push((region.clone(), list.clone())),
                Err(why) => refused = Some(why),
            }
        }
        match refused {
            Some(why) if accepted.is_empty() => Err(why),
            _ => Ok(self.apply(config, &accepted, at_ms)),
        }
    }

    /// Whether a report from `region` at `at_ms` may apply; if so it is the region's latest.
    fn accept(&mut self, config: &Config, region: &str, at_ms: i64) -> Result<(), Refused> {
        if !config.regions.iter().any(|r| r == region) {
            return Err(Refused::UnknownRegion(region.to_string()));
        }
        if let Some(&last_ms) = self.last_report_ms.get(region).filter(|last| at_ms <= **last) {
            return Err(Refused::Stale { region: region.to_string(), at_ms, last_ms });
        }
        self.last_report_ms.insert(region.to_string(), at_ms);
        Ok(())
    }

    fn apply(&mut self, config: &Config, reports: &[(String, Vec<ProbeReport>)], at_ms: i64) -> TickOutput {
        // Heartbeats are judged once for every region at this moment, as if every region had
        // probed them together: a missed beat is "down" at once, never "regional" first.
        self.beats.watch(config, at_ms);
        let beats = self.beats.reports(config, at_ms);
        let mut with_beats: Vec<(String, Vec<ProbeReport>)> =
            reports.iter().map(|(region, list)| (region.clone(), [list.as_slice(), &beats].concat())).collect();
        if !beats.is_empty() {
            for region in config.regions.iter().filter(|r| !reports.iter().any(|(reporting, _)| reporting == *r)) {
                with_beats.push((region.clone(), beats.clone()));
            }
        }
        let reports = with_beats.as_slice();
        let at = at_ms.div_euclid(1000);
        self.last_tick_at = Some(self.last_tick_at.map_or(at, |last| last.max(at)));
        let mut output = TickOutput::default();
        let windows = Windows::of(config);
        let spans = Spans { span_cap_ms: windows.silent_ms, grace_ms: windows.silent_ms };
        for endpoint in &config.endpoints {
            let results: Vec<RegionResult> = reports
                .iter()
                .filter_map(|(region, list)| {
                    let report = list.iter().find(|r| r.endpoint == endpoint.name)?;
                    Some(RegionResult {
                        region: region.clone(),
                        outcome: report.outcome.clone(),
                        latency_ms: report.latency_ms,
                        at,
                    })
                })
                .collect();
            if results.is_empty() {
                continue;
            }
            let latest = self.latest.entry(endpoint.name.clone()).or_default();
            latest.retain(|old| !results.iter().any(|new| new.region == old.region));
            latest.extend(results.iter().cloned());
            latest.sort_by_key(|r| config.regions.iter().position(|name| *name == r.region));
            let latest = latest.clone();
            let detector = self.detectors.entry(endpoint.name.clone()).or_default();
            let classes: Vec<(&str, Class)> =
                results.iter().map(|r| (r.region.as_str(), Class::of(&r.outcome))).collect();
            if let Some(change) = detector.observe_all(&windows, &classes, at_ms) {
                if change.alert {
                    let alert = alert_for(config, endpoint, &change, at, &latest);
                    self.outbox.announce(config, &alert, at);
                }
                output.transitions.push((endpoint.name.clone(), change));
            }
            // The other regions are asked to probe new trouble now; a heartbeat has no probe.
            if let ([only], true) = (results.as_slice(), endpoint.is_probed()) {
                if detector.is_new_trouble(&only.region) {
                    output.ask.push(endpoint.name.clone());
                }
            }
            let verdict = detector.verdict();
            let since = detector.since_ms.div_euclid(1000);
            self.track_incident(&endpoint.name, verdict.state, since, &latest, &mut output);
            let vouched = latest.iter().any(|r| r.outcome.is_known() && at - r.at <= windows.silent_ms / 1000);
            let shown = shown_state(verdict.state, vouched);
            let probes: Vec<Probe> = results
                .iter()
                .map(|r| Probe {
                    region: &r.region,
                    latency_ms: r.latency_ms,
                    healthy: r.outcome.is_known().then(|| r.outcome.is_healthy()),
                })
                .collect();
            output.finished.extend(self.history.add(spans, &endpoint.name, at_ms, shown, &probes));
        }
        self.forget_removed(config, at, &mut output);
        self.remind(config, at);
        let latest_ms = self.last_report_ms.values().copied().max().unwrap_or(at_ms);
        output.finished.extend(self.history.close(spans, &config.regions, &self.last_report_ms, latest_ms));
        output
    }

    /// Trouble that lasts, said again to the targets that ask for reminders.
    fn remind(&mut self, config: &Config, at: i64) {
        for endpoint in &config.endpoints {
            let Some(detector) = self.detectors.get(&endpoint.name) else { continue };
            let verdict = detector.verdict();
            if verdict.flapping || matches!(verdict.state, State::Up | State::Unknown) {
                continue;
            }
            let targets = self.outbox.reminders_due(config, &endpoint.name, at);
            if targets.is_empty() {
                continue;
            }
            let change =
                Change { from: verdict, to: verdict, since_ms: detector.since_ms, at_ms: at * 1000, alert: true };
            let latest = self.latest.get(&endpoint.name).cloned().unwrap_or_default();
            let mut reminder = alert_for(config, endpoint, &change, at, &latest);
            reminder.from = detector.announced.unwrap_or(verdict.state);
            reminder.reminder = true;
            self.outbox.remind(config, &reminder, &targets, at);
        }
    }

    /// Endpoints removed from the config stop being reported, and their outages end.
    /// An endpoint removed (or renamed) in trouble that was announced gets a last message
    /// saying why its outage ends without a recovery.
    fn forget_removed(&mut self, config: &Config, at: i64, output: &mut TickOutput) {
        let names: Vec<&String> = config.endpoints.iter().map(|e| &e.name).collect();
        let (kept, gone): (BTreeMap<_, _>, BTreeMap<_, _>) =
            std::mem::take(&mut self.detectors).into_iter().partition(|(name, _)| names.contains(&name));
        self.detectors = kept;
        for (name, detector) in gone.into_iter().filter(|(_, d)| d.episode_open) {
            let alert = Alert {
                endpoint: name,
                from: detector.verdict().state,
                to: State::Unknown,
                flapping: false,
                since: at,
                regions: Vec::new(),
                cause: "removed from the config (renamed?): its outage is closed here, not recovered".to_string(),
                status_page: config.probe_api.as_ref().map(|api| format!("{}/", api.trim_end_matches('/'))),
                runbook: None,
                episode: None,
                reminder: false,
            };
            self.outbox.announce_removal(config, &alert, at);
        }
        self.latest.retain(|name, _| names.contains(&name));
        self.outbox.forget_told(config);
        self.history.retain(&names, &config.regions);
        self.last_report_ms.retain(|region, _| config.regions.contains(region));
        let removed: Vec<String> = self.open_incidents.keys().filter(|n| !names.contains(n)).cloned().collect();
        for name in removed {
            if let Some(mut incident) = self.open_incidents.remove(&name) {
                incident.ended_at = Some(at);
                incident.cause = format!("{} (endpoint removed from the config)", incident.cause);
                output.incidents.push(incident);
            }
        }
    }

    /// Outages (regional or down) become incidents: opened when declared, widened while they
    /// last, closed when the endpoint is declared up or degraded again.
    fn track_incident(
        &mut self,
        endpoint: &str,
        state: State,
        since: i64,
        results: &[RegionResult],
        output: &mut TickOutput,
    ) {
        let failing: Vec<&RegionResult> = results.iter().filter(|r| r.outcome.is_failure()).collect();
        match (state.is_outage(), self.open_incidents.remove(endpoint)) {
            (true, None) => {
                self.next_incident_id += 1;
                let incident = DetectedIncident {
                    id: self.next_incident_id,
                    endpoint: endpoint.to_string(),
                    started_at: since,
                    ended_at: None,
                    worst: state,
                    regions: failing.iter().map(|r| r.region.clone()).collect(),
                    cause: failing.first().map_or_else(|| "no answer".into(), |r| r.outcome.describe()),
                };
                output.incidents.push(incident.clone());
                self.open_incidents.insert(endpoint.to_string(), incident);
            }
            (true, Some(mut incident)) => {
                let mut changed = state > incident.worst;
                incident.worst = incident.worst.max(state);
                for result in &failing {
                    if !incident.regions.contains(&result.region) {
                        incident.regions.push(result.region.clone());
                        changed = true;
                    }
                }
                if changed {
                    output.incidents.push(incident.clone());
                }
                self.open_incidents.insert(endpoint.to_string(), incident);
            }
            (false, Some(mut incident)) => {
                incident.ended_at = Some(since);
                output.incidents.push(incident);
            }
            (false, None) => {}
        }
    }

    /// Uptime over the 24 hours before `now`.
    pub fn uptime_24h(&self, endpoint: &str, now: i64) -> Option<f64> {
        self.history.uptime_24h(endpoint, now)
    }

    /// `GET /api/status` from what the monitor holds.
    pub fn status(&self, config: &Config, now: i64) -> StatusReport {
        let stale_after = 3 * i64::from(config.interval_seconds);
        // A region's result is current when it is no more than three intervals older than the
        // latest report from any region: one region gone quiet is "no data", while a probe
        // that stopped altogether keeps its last known results, under the stale warning.
        let latest_report = self.last_tick_at.unwrap_or(now);
        let current = |r: &RegionResult| latest_report.saturating_sub(r.at) <= stale_after;
        let no_data = |endpoint: &str| -> Vec<String> {
            let latest = self.latest.get(endpoint);
            let heard = |region: &String| {
                latest.into_iter().flatten().any(|r| &r.region == region && r.outcome.is_known() && current(r))
            };
            config.regions.iter().filter(|r| !heard(r)).cloned().collect()
        };
        StatusReport {
            title: config.title.clone(),
            generated_at: now,
            checked_at: self.last_tick_at,
            stale_since: self.last_tick_at.filter(|last| now.saturating_sub(*last) > stale_after),
            regions: config.regions.clone(),
            endpoints: config
                .endpoints
                .iter()
                .map(|endpoint| {
                    let detector = self.detectors.get(&endpoint.name);
                    let verdict = detector.map_or(Verdict::UP, Detector::verdict);
                    let declared = detector.filter(|d| d.declared.is_some());
                    let no_data = no_data(&endpoint.name);
                    let vouched = no_data.len() < config.regions.len();
                    let state = shown_state(verdict.state, vouched);
                    let current: Vec<&RegionResult> =
                        self.latest.get(&endpoint.name).into_iter().flatten().filter(|r| current(r)).collect();
                    let checking = detector.and_then(Detector::confirming).filter(|_| vouched).map(|(worse, since)| {
                        let troubled = |r: &&&RegionResult| {
                            if worse == State::Degraded {
                                r.outcome == Outcome::Slow
                            } else {
                                r.outcome.is_failure()
                            }
                        };
                        Checking {
                            state: worse,
                            since: since.div_euclid(1000),
                            regions: current.iter().filter(troubled).map(|r| r.region.clone()).collect(),
                        }
                    });
                    EndpointStatus {
                        name: endpoint.name.clone(),
                        state,
                        flapping: verdict.flapping,
                        since: declared.map_or(now, |d| d.since_ms.div_euclid(1000)),
                        declared_at: declared.map(|d| d.declared_at_ms.div_euclid(1000)),
                        runbook: endpoint.runbook.clone(),
                        hosts: endpoint.hosts.clone(),
                        regions: current.into_iter().cloned().collect(),
                        no_data,
                        uptime_24h: self.uptime_24h(&endpoint.name, now),
                        maintenance: config.maintenance_of(&endpoint.name, now),
                        checking,
                    }
                })
                .collect(),
            // Posted updates live in their own table: the worker adds them.
            posted: Vec::new(),
        }
    }
}

/// The alerts not yet delivered, from saved state that no longer reads as a whole (a deploy
/// changed its shape, or the row was damaged): the first `"outbox":` value that reads as one.
pub fn outbox_of(saved: &str) -> Option<Outbox> {
    if let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str(saved) {
        return fields.remove("outbox").and_then(|outbox| serde_json::from_value(outbox).ok());
    }
    saved.match_indices("\"outbox\"").find_map(|(at, key)| {
        let value = saved[at + key.len()..].trim_start().strip_prefix(':')?;
        serde_json::Deserializer::from_str(value).into_iter::<Outbox>().next()?.ok()
    })
}

/// No evidence, no "up": with no region vouching for the endpoint now, up is unknown.
/// Trouble declared stays as declared (it is not a claim of health) until evidence says more.
fn shown_state(declared: State, vouched: bool) -> State {
    if declared == State::Up && !vouched {
        State::Unknown
    } else {
        declared
    }
}

/// What was declared of an endpoint (before decisions were by time, or by an incident still
/// open), as a detector.
fn seeded(state: State, since: i64) -> Detector {
    Detector {
        declared: Some(Verdict { state, flapping: false }),
        // Its trouble was announced: the recovery will be, and nothing more before it.
        episode_open: state != State::Up,
        since_ms: since * 1000,
        declared_at_ms: since * 1000,
        ..Detector::default()
    }
}

/// The message for a declared change: which regions fail and why, and where to look.
fn alert_for(config: &Config, endpoint: &Endpoint, change: &Change, at: i64, results: &[RegionResult]) -> Alert {
    let failing: Vec<&RegionResult> = results.iter().filter(|r| r.outcome.is_failure()).collect();
    let slow: Vec<&RegionResult> = results.iter().filter(|r| r.outcome == Outcome::Slow).collect();
    let to = change.to.state;
    let since = change.since_ms.div_euclid(1000);
    let (regions, cause) = match to {
        State::Up => (Vec::new(), "healthy again".to_string()),
        State::Degraded => {
            (slow.iter().map(|r| r.region.clone()).collect(), format!("slower than {} ms", endpoint.slow_ms))
        }
        _ => (
            failing.iter().map(|r| r.region.clone()).collect(),
            failing.first().map_or_else(|| "no answer".to_string(), |r| r.outcome.describe()),
        ),
    };
    // The runbook section with the hosts and the outage in the link: the site offers to start
    // the incident from it.
    let outage = OutageLink::from_results(&endpoint.name, to, since, at, results);
    let runbook = match (&config.site_url, &endpoint.runbook) {
        (Some(site), Some(link)) => Some(api::links::outage_url(site, link, &endpoint.hosts, outage.as_ref())),
        (None, Some(link)) => Some(link.clone()),
        _ => None,
    };
    Alert {
        endpoint: endpoint.name.clone(),
        from: change.from.state,
        to,
        flapping: change.to.flapping,
        since,
        regions,
        cause,
        status_page: config.probe_api.as_ref().map(|api| format!("{}/", api.trim_end_matches('/'))),
        runbook,
        episode: None,
        reminder: false,
    }
}
