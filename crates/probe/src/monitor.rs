//! One tick of the monitor: the regions' results in, declared states, detected incidents
//! and finished rollups out. The worker stores [`MonitorState`] as one row per tick and the
//! outputs as rows of their own; everything here is pure and runs natively in tests.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::alerts::{Alert, Outbox};
use api::outage::OutageLink;
use api::Outcome;
use api::State;
use config::{Config, Endpoint};

use crate::consensus::{observe, Tracker, Transition};
use crate::rollup::{period_start, EndpointTick, Rollup, DAY, HOUR};
use api::{DetectedIncident, EndpointStatus, ProbeReport, RegionResult, StatusReport};

/// What the monitor remembers between ticks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitorState {
    pub trackers: BTreeMap<String, Tracker>,
    pub latest: BTreeMap<String, Vec<RegionResult>>,
    pub open_incidents: BTreeMap<String, DetectedIncident>,
    pub next_incident_id: i64,
    /// The hour and day being summed up, and their rollups so far.
    pub hour_start: i64,
    pub hour: BTreeMap<String, Rollup>,
    pub day_start: i64,
    pub day: BTreeMap<String, Rollup>,
    /// `(hour start, probes, failed probes)` of the last day's finished hours, per endpoint:
    /// the 24-hour uptime without reading history on every status request. (State saved
    /// before probes were counted has `recent_hours` instead, which is dropped.)
    #[serde(default)]
    pub recent_probes: BTreeMap<String, Vec<(i64, u32, u32)>>,
    /// Alert messages not delivered yet.
    #[serde(default)]
    pub outbox: Outbox,
    /// Ticks so far: alert retries are counted in ticks.
    #[serde(default)]
    pub tick_count: u64,
    /// Per endpoint, the configured regions that gave no known result in the last tick.
    #[serde(default)]
    pub no_data: BTreeMap<String, Vec<String>>,
    /// The time of the last tick applied: a tick at or before it is refused.
    #[serde(default)]
    pub last_tick_at: Option<i64>,
}

/// A tick the monitor will not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleTick {
    pub at: i64,
    pub last: i64,
}

impl std::fmt::Display for StaleTick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the tick at {} is not after the last one applied ({}): ignored", self.at, self.last)
    }
}

/// Everything a tick produced that must be stored or announced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TickOutput {
    /// The tick record (kept 48 hours).
    pub record: Vec<EndpointTick>,
    /// `(endpoint, transition)` for every declared change of state.
    pub transitions: Vec<(String, Transition)>,
    /// Incidents opened, updated or closed this tick.
    pub incidents: Vec<DetectedIncident>,
    /// `(endpoint, period length, period start, rollup)` for hours and days that ended.
    pub finished: Vec<(String, i64, i64, Rollup)>,
}

impl MonitorState {
    /// Applies one tick: `reports` are `(region, that region's reports)`; a region that did
    /// not answer is absent. Ticks apply in time order, once each: one that is not later
    /// than the last applied (a duplicate, or a late one overtaken) changes nothing.
    pub fn tick(
        &mut self,
        config: &Config,
        at: i64,
        reports: &[(String, Vec<ProbeReport>)],
    ) -> Result<TickOutput, StaleTick> {
        if let Some(last) = self.last_tick_at.filter(|last| at <= *last) {
            return Err(StaleTick { at, last });
        }
        self.last_tick_at = Some(at);
        let mut output = TickOutput::default();
        self.tick_count += 1;
        self.roll_periods(at, &mut output);
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
            let tracker = self.trackers.entry(endpoint.name.clone()).or_insert_with(|| Tracker::new(at));
            let observed = observe(&results, config.thresholds.quorum);
            if let Some(transition) = tracker.step(observed, at, &config.thresholds) {
                let alert = alert_for(config, endpoint, &transition, at, &results);
                self.outbox.announce(config, &alert, at);
                output.transitions.push((endpoint.name.clone(), transition));
            }
            let (state, since) = (tracker.state, tracker.since);
            self.track_incident(&endpoint.name, state, since, &results, &mut output);
            let tick = EndpointTick {
                endpoint: endpoint.name.clone(),
                state,
                regions: results
                    .iter()
                    .filter(|r| r.outcome.is_known())
                    .map(|r| (r.region.clone(), r.latency_ms, r.outcome.is_healthy()))
                    .collect(),
            };
            self.hour.entry(endpoint.name.clone()).or_default().add(&tick);
            self.day.entry(endpoint.name.clone()).or_default().add(&tick);
            output.record.push(tick);
            let answered = |region: &String| results.iter().any(|r| &r.region == region && r.outcome.is_known());
            let silent: Vec<String> = config.regions.iter().filter(|r| !answered(r)).cloned().collect();
            self.no_data.insert(endpoint.name.clone(), silent);
            if !results.is_empty() {
                self.latest.insert(endpoint.name.clone(), results);
            }
        }
        // Endpoints removed from the config stop being reported, and their outages end.
        let names: Vec<&String> = config.endpoints.iter().map(|e| &e.name).collect();
        self.trackers.retain(|name, _| names.contains(&name));
        self.latest.retain(|name, _| names.contains(&name));
        self.no_data.retain(|name, _| names.contains(&name));
        self.recent_probes.retain(|name, _| names.contains(&name));
        let removed: Vec<String> = self.open_incidents.keys().filter(|n| !names.contains(n)).cloned().collect();
        for name in removed {
            if let Some(mut incident) = self.open_incidents.remove(&name) {
                incident.ended_at = Some(at);
                incident.cause = format!("{} (endpoint removed from the config)", incident.cause);
                output.incidents.push(incident);
            }
        }
        Ok(output)
    }

    /// Closes the hour and the day when `at` has moved past them.
    fn roll_periods(&mut self, at: i64, output: &mut TickOutput) {
        let hour = period_start(at, HOUR);
        if hour != self.hour_start {
            for (endpoint, rollup) in std::mem::take(&mut self.hour) {
                let recent = self.recent_probes.entry(endpoint.clone()).or_default();
                recent.push((self.hour_start, rollup.probes, rollup.failed));
                recent.retain(|(start, _, _)| *start >= hour - DAY);
                output.finished.push((endpoint, HOUR, self.hour_start, rollup));
            }
            self.hour_start = hour;
        }
        let day = period_start(at, DAY);
        if day != self.day_start {
            for (endpoint, rollup) in std::mem::take(&mut self.day) {
                output.finished.push((endpoint, DAY, self.day_start, rollup));
            }
            self.day_start = day;
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

    /// Percent of probes that succeeded over the last day's hours and the current one.
    pub fn uptime_24h(&self, endpoint: &str) -> Option<f64> {
        let current = self.hour.get(endpoint).map_or((0, 0), |r| (r.probes, r.failed));
        let (probes, failed) = self
            .recent_probes
            .get(endpoint)
            .into_iter()
            .flatten()
            .fold(current, |(p, f), (_, probes, failed)| (p + probes, f + failed));
        (probes > 0).then(|| 100.0 * f64::from(probes - failed.min(probes)) / f64::from(probes))
    }

    /// `GET /api/status` from what the monitor holds.
    pub fn status(&self, config: &Config, now: i64) -> StatusReport {
        let stale_after = 3 * i64::from(config.interval_seconds);
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
                    let tracker = self.trackers.get(&endpoint.name);
                    EndpointStatus {
                        name: endpoint.name.clone(),
                        state: tracker.map_or(State::Up, |t| t.state),
                        since: tracker.map_or(now, |t| t.since),
                        declared_at: tracker.map(|t| if t.declared_at == 0 { t.since } else { t.declared_at }),
                        runbook: endpoint.runbook.clone(),
                        hosts: endpoint.hosts.clone(),
                        regions: self.latest.get(&endpoint.name).cloned().unwrap_or_default(),
                        no_data: self.no_data.get(&endpoint.name).cloned().unwrap_or_default(),
                        uptime_24h: self.uptime_24h(&endpoint.name),
                        maintenance: config.maintenance_of(&endpoint.name, now).cloned(),
                    }
                })
                .collect(),
        }
    }
}

/// The message for a declared change: which regions fail and why, and where to look.
fn alert_for(
    config: &Config,
    endpoint: &Endpoint,
    transition: &Transition,
    at: i64,
    results: &[RegionResult],
) -> Alert {
    let failing: Vec<&RegionResult> = results.iter().filter(|r| r.outcome.is_failure()).collect();
    let slow: Vec<&RegionResult> = results.iter().filter(|r| r.outcome == Outcome::Slow).collect();
    let (regions, cause) = match transition.to {
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
    let outage = OutageLink::from_results(&endpoint.name, transition.to, transition.since, at, results);
    let runbook = match (&config.site_url, &endpoint.runbook) {
        (Some(site), Some(link)) => Some(api::site::outage_url(site, link, &endpoint.hosts, outage.as_ref())),
        (None, Some(link)) => Some(link.clone()),
        _ => None,
    };
    Alert {
        endpoint: endpoint.name.clone(),
        from: transition.from,
        to: transition.to,
        since: transition.since,
        regions,
        cause,
        status_page: config.probe_api.as_ref().map(|api| format!("{}/", api.trim_end_matches('/'))),
        runbook,
    }
}
