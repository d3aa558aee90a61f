//! One Durable Object per region, placed there by a location hint. It probes on its own
//! alarm (`probe::schedule`): a round every interval, a recheck of an endpoint that just
//! failed, probes the monitor asks for now. It reports each to the monitor. The cron's
//! watchdog arms it, and re-arms it when its alarm is gone.

use std::cell::Cell;

use api::{Arm, Armed, ProbeAsk, ProbeReport, Report, Soon};
use probe::schedule::{Due, RegionPlan};
use serde_json::json;
use worker::*;

use crate::{config_source, log, objects, probing};

const PLAN: &str = "plan";

#[durable_object]
pub struct RegionProbe {
    state: State,
    env: Env,
    /// A round is running in this instance: its alarm reads as unset until the round sets
    /// the next, which is not a stop.
    in_round: Cell<bool>,
}

impl DurableObject for RegionProbe {
    fn new(state: State, env: Env) -> Self {
        RegionProbe { state, env, in_round: Cell::new(false) }
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        match request.path().as_str() {
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
            "/stop" => {
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
                let reports = probing::probe_all(config.endpoints.iter(), &ask.region, &self.env).await;
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
    async fn plan(&self) -> Result<RegionPlan> {
        Ok(self.state.storage().get::<RegionPlan>(PLAN).await?.unwrap_or_default())
    }

    /// Saves the plan and sets the alarm for what it says comes next.
    async fn keep(&self, plan: &RegionPlan) -> Result<()> {
        let storage = self.state.storage();
        storage.put(PLAN, plan).await?;
        let now = Date::now().as_millis() as i64;
        storage.set_alarm((plan.next_alarm_ms(now) - now).max(0)).await
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
        let started = Date::now().as_millis() as i64;
        let due = plan.take_due(started);
        let endpoints: Vec<&config::Endpoint> = match &due {
            Due::Round => config.endpoints.iter().collect(),
            Due::Some(names) => config.endpoints.iter().filter(|e| names.contains(&e.name)).collect(),
            Due::Nothing => Vec::new(),
        };
        // The plan is kept once per round, after it (two rows written: the plan and the alarm).
        // A round cut short by the runtime is run again: alarms are retried.
        let round = due == Due::Round;
        let probed = !endpoints.is_empty();
        let reports = probing::probe_all(endpoints.into_iter(), &plan.region, &self.env).await;
        let results: Vec<(String, bool)> =
            reports.iter().map(|r| (r.endpoint.clone(), r.outcome.is_failure())).collect();
        let recheck_ms = i64::from(config.thresholds.recheck_seconds) * 1000;
        plan.done(round, started, &results, interval_ms(&config), recheck_ms);
        self.keep(&plan).await?;
        if !probed || test_fault(&self.env, &plan.region).is_some() {
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
        Response::error(format!("test fault: {fault} region"), 503)
    })
}
