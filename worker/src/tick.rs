//! The cron's watchdog, and the round on demand.
//!
//! Regions probe on their own alarms. Every minute the cron asks each region's object to make
//! sure its alarm is set: one whose rounds stopped is re-armed, and logged.
//!
//! `POST /api/probe` runs one round from every region at once. Regions are asked with a
//! deadline: the monitor decides with those that answered in time, and a region that did not
//! is "no data", neither healthy nor failing.

use std::time::Duration;

use api::{Arm, Armed, Ingest, ProbeAsk, ProbeReport};
use config::budget::region_worst_case_ms;
use futures_util::future::{join_all, select, Either};
use futures_util::pin_mut;
use serde_json::json;
use worker::*;

use crate::{config_source, log, objects};

/// Time a region gets beyond its own worst case (every endpoint hanging until its timeout).
const REGION_MARGIN_MS: u64 = 5_000;

pub fn now() -> i64 {
    (Date::now().as_millis() / 1000) as i64
}

/// Arms every region's alarm; a region whose alarm was gone is logged as stopped.
pub async fn watchdog(env: &Env) -> Result<()> {
    let config = config_source::load(env);
    let now_ms = Date::now().as_millis() as i64;
    let interval_ms = i64::from(config.interval_seconds) * 1000;
    for region in &config.regions {
        let arm = Arm { region: region.clone() };
        let armed: Armed = match objects::post(&objects::region(env, region)?, Arm::PATH, &arm).await {
            Ok(mut answer) => answer.json().await?,
            Err(error) => {
                log::error("region_unreachable", json!({ "region": region, "error": error.to_string() }));
                continue;
            }
        };
        // While a region's alarm handler runs, its alarm reads as unset (the platform's
        // documented behaviour). The region knows it is in a round and says "armed"; should
        // that instance be gone, a missing alarm still means stopped rounds only when the last
        // round is older than an interval.
        let late = |intervals: i64| armed.last_round_ms.is_some_and(|last| now_ms - last > intervals * interval_ms);
        if armed.rearmed && late(1) || late(3) {
            log::warn(
                "region_rearmed",
                json!({ "region": region, "last_round_ms": armed.last_round_ms, "alarm_was_set": !armed.rearmed }),
            );
        }
    }
    Ok(())
}

/// Probes from every region now and hands the reports to the monitor; returns its answer
/// (the status JSON, or why it refused the round).
pub async fn run(env: &Env) -> Result<Response> {
    let config = config_source::load(env);
    let at_ms = Date::now().as_millis() as i64;
    let deadline_ms = region_worst_case_ms(config.endpoints.iter().filter(|e| e.is_probed()).map(|e| e.timeout_ms))
        + REGION_MARGIN_MS;
    let asks = config.regions.iter().map(|region| {
        async move {
            // One object per region, named and placed by its location hint.
            let stub = objects::region(env, region)?;
            let probe_ask = ProbeAsk { region: region.clone() };
            let ask =
                async { objects::post(&stub, ProbeAsk::PATH, &probe_ask).await?.json::<Vec<ProbeReport>>().await };
            let timeout = Delay::from(Duration::from_millis(deadline_ms));
            pin_mut!(ask);
            match select(ask, timeout).await {
                Either::Left((reports, _)) => reports,
                Either::Right(_) => Err(Error::RustError(format!("no answer within {deadline_ms} ms"))),
            }
        }
    });
    let mut reports = Vec::new();
    for (region, result) in config.regions.iter().zip(join_all(asks).await) {
        match result {
            Ok(report) => reports.push((region.clone(), report)),
            // Left out: it neither passes nor fails, and the status says "no data" for it.
            Err(error) => log::warn("region_silent", json!({ "region": region, "error": error.to_string() })),
        }
    }
    let answer = objects::post(&objects::monitor(env)?, Ingest::PATH, &Ingest { at_ms, reports }).await;
    crate::read_cache::invalidate();
    answer
}
