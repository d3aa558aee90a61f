//! One Durable Object per region, placed there by a location hint. It probes on its own
//! alarm (`probe::schedule`): a round every interval, a recheck of an endpoint that just
//! failed, probes the monitor asks for now. It reports each to the monitor. The cron's
//! watchdog arms it, and re-arms it when its alarm is gone.

use std::cell::Cell;

use api::paths;
use api::{Arm, Armed, ProbeAsk, ProbeReport, RegionMeta, Report, Soon};
use probe::schedule::{Due, RegionPlan};
use serde::Deserialize;
use serde_json::json;
use worker::*;

use crate::meter::Meter;
use crate::refusal::Refusal;
use crate::{config_source, log, objects, probing};

#[durable_object]
pub struct RegionProbe {
    state: State,
    env: Env,
    /// A round is running in this instance: its alarm reads as unset until the round sets
    /// the next, which is not a stop.
    in_round: Cell<bool>,
    /// Alarms that probed something, since the object started.
    probe_runs: Cell<u64>,
    meter: Meter,
}

#[derive(Deserialize)]
struct PlanRow {
    value: String,
}

impl DurableObject for RegionProbe {
    fn new(state: State, env: Env) -> Self {
        let region =
            RegionProbe { state, env, in_round: Cell::new(false), probe_runs: Cell::new(0), meter: Meter::default() };
        let create = "CREATE TABLE IF NOT EXISTS plan (key TEXT PRIMARY KEY, value TEXT NOT NULL)";
        if let Err(error) = region.meter.write(&region.state.storage().sql(), create, Vec::new()) {
            log::error("storage_create_failed", json!({ "error": error.to_string() }));
        }
        region
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        match request.path().as_str() {
            RegionMeta::PATH => {
                Response::from_json(&RegionMeta { probe_runs: self.probe_runs.get(), meter: self.meter.counts() })
            }
            Arm::PATH => {
                let arm: Arm = request.json().await?;
                Response::from_json(&self.arm(&arm.region).await?)
            }
            Soon::PATH => {
                let soon: Soon = request.json().await?;
                let mut plan = self.plan().await?;
                plan.ask(&soon.endpoints);
                self.keep(&plan).await?;
                Response::ok("asked")
            }
            // Local runs only (the route is not served otherwise): stop the rounds, as a
            // failure would, so the tests can see the watchdog notice.
            paths::region::STOP => {
                self.state.storage().delete_alarm().await?;
                Response::ok("stopped")
            }
            // `POST /api/probe`: every endpoint now, answered directly.
            _ => {
                let ask: ProbeAsk = request.json().await?;
                if let Some(fault) = test_fault(&self.env, &ask.region) {
                    return fault.await;
                }
                let config = config_source::load(&self.env);
                let probed = config.endpoints.iter().filter(|e| e.is_probed());
                let reports = probing::probe_all(probed, &ask.region, &self.env).await;
                Response::from_json(&reports)
            }
        }
    }

    async fn alarm(&self) -> Result<Response> {
        self.in_round.set(true);
        let result = self.round().await;
        self.in_round.set(false);
        if let Err(error) = result {
            // Logged, not thrown: a thrown alarm is retried at once, and the next one is set.
            log::error("region_alarm_failed", json!({ "error": error.to_string() }));
        }
        Response::ok("done")
    }
}

impl RegionProbe {
    /// The plan, in SQL so the platform's meter counts its rows (one written per save). A
    /// plan saved by an earlier version with the key-value API is read once, so an upgrade
    /// keeps the region's turn and its alarm going.
    async fn plan(&self) -> Result<RegionPlan> {
        let rows: Vec<PlanRow> =
            self.meter.read(&self.state.storage().sql(), "SELECT value FROM plan WHERE key = 'plan'", Vec::new())?;
        if let Some(row) = rows.first() {
            return Ok(serde_json::from_str(&row.value).unwrap_or_default());
        }
        Ok(self.state.storage().get::<RegionPlan>("plan").await.ok().flatten().unwrap_or_default())
    }

    /// Saves the plan and sets the alarm for what it says comes next.
    async fn keep(&self, plan: &RegionPlan) -> Result<()> {
        let storage = self.state.storage();
        self.meter.write(
            &storage.sql(),
            "INSERT INTO plan (key, value) VALUES ('plan', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            vec![serde_json::to_string(plan)?.into()],
        )?;
        let now = Date::now().as_millis() as i64;
        storage.set_alarm((plan.next_alarm_ms(now) - now).max(0)).await?;
        self.meter.alarm_set();
        Ok(())
    }

    /// A region the config no longer lists stops for good: its alarm and plan are deleted,
    /// so it costs nothing more.
    async fn retire(&self, region: &str) -> Result<()> {
        let storage = self.state.storage();
        storage.delete_alarm().await?;
        self.meter.write(&storage.sql(), "DELETE FROM plan", Vec::new())?;
        log::warn("region_retired", json!({ "region": region, "why": "not in the config's regions" }));
        Ok(())
    }

    async fn arm(&self, region: &str) -> Result<Armed> {
        let mut plan = self.plan().await?;
        let armed = self.in_round.get() || self.state.storage().get_alarm().await?.is_some();
        let answer = Armed { rearmed: !armed, last_round_ms: plan.last_round_ms };
        if plan.region != region || !armed {
            let config = config_source::load(&self.env);
            let index = config.regions.iter().position(|r| r == region).unwrap_or(0);
            let now = Date::now().as_millis() as i64;
            plan.arm(region, index, config.regions.len(), now, interval_ms(&config));
            self.keep(&plan).await?;
        }
        Ok(answer)
    }

    async fn round(&self) -> Result<()> {
        let mut plan = self.plan().await?;
        if plan.region.is_empty() {
            return Ok(()); // never armed: it does not know where it is
        }
        let config = config_source::load(&self.env);
        if !config.regions.contains(&plan.region) {
            return self.retire(&plan.region).await;
        }
        let started = Date::now().as_millis() as i64;
        let taken = plan.soon.clone();
        let due = plan.take_due(started);
        let endpoints: Vec<&config::Endpoint> = match &due {
            // Heartbeats report in: the monitor evaluates them, never a region.
            Due::Round => config.endpoints.iter().filter(|e| e.is_probed()).collect(),
            Due::Some(names) => config.endpoints.iter().filter(|e| e.is_probed() && names.contains(&e.name)).collect(),
            Due::Nothing => Vec::new(),
        };
        // The plan is kept once per round, after it (two rows written: the plan and the alarm).
        // A round cut short by the runtime is run again: alarms are retried.
        let round = due == Due::Round;
        let probed = !endpoints.is_empty();
        let reports = probing::probe_all(endpoints.into_iter(), &plan.region, &self.env).await;
        if probed {
            self.probe_runs.set(self.probe_runs.get() + 1);
        }
        let results: Vec<(String, bool)> =
            reports.iter().map(|r| (r.endpoint.clone(), r.outcome.is_failure())).collect();
        let recheck_ms = i64::from(config.thresholds.recheck_seconds) * 1000;
        plan.done(round, started, &results, interval_ms(&config), recheck_ms);
        // Asks that arrived while the probes ran were saved to the plan meanwhile: keep them.
        plan.keep_asks_of(&self.plan().await?, &taken);
        self.keep(&plan).await?;
        // A round reports even with nothing probed when heartbeats are configured: the
        // monitor evaluates them at each report.
        let heartbeats = round && config.endpoints.iter().any(|e| !e.is_probed());
        if !(probed || heartbeats) || test_fault(&self.env, &plan.region).is_some() {
            return Ok(()); // nothing to report, or a silent region's reports never arrive
        }
        self.report(&plan.region, started, reports).await
    }

    async fn report(&self, region: &str, at_ms: i64, reports: Vec<ProbeReport>) -> Result<()> {
        let report = Report { region: region.to_string(), at_ms, reports };
        let answer = objects::post(&objects::monitor(&self.env)?, Report::PATH, &report).await?;
        if answer.status_code() >= 400 {
            log::warn("report_refused", json!({ "region": region, "status": answer.status_code() }));
        }
        Ok(())
    }
}

fn interval_ms(config: &config::Config) -> i64 {
    i64::from(config.interval_seconds) * 1000
}

/// Faults the worker tests inject, never set in a deployment: `OUTPOST_TEST_FAULTS` =
/// `silent:apac` (the region fails to answer) or `slow:apac` (it answers after its deadline).
fn test_fault(env: &Env, region: &str) -> Option<impl std::future::Future<Output = Result<Response>>> {
    let faults = env.var("OUTPOST_TEST_FAULTS").ok()?.to_string();
    let fault = faults.split(',').find_map(|f| f.trim().strip_suffix(region)?.strip_suffix(':').map(str::to_string))?;
    Some(async move {
        if fault == "slow" {
            Delay::from(std::time::Duration::from_secs(120)).await;
        }
        Ok(Refusal::TestFault(fault).response())
    })
}
