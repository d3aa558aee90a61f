//! One tick: every region probes, the monitor decides. Run by the cron every minute, and by
//! `POST /api/probe`.

use api::{Ingest, ProbeAsk, ProbeReport};
use futures_util::future::join_all;
use worker::*;

use crate::config_source;

pub fn now() -> i64 {
    (Date::now().as_millis() / 1000) as i64
}

/// Probes from every region and hands the reports to the monitor; returns its answer (the
/// status JSON).
pub async fn run(env: &Env) -> Result<Response> {
    let config = config_source::load(env);
    let at = now();
    let regions = env.durable_object("REGION")?;
    let asks = config.regions.iter().map(|region| {
        let regions = &regions;
        async move {
            // One object per region, named and placed by its location hint.
            let stub = regions.get_by_name_with_location_hint(region, region)?;
            let body = serde_json::to_string(&ProbeAsk { region: region.clone() })?;
            let request = Request::new_with_init(
                &format!("https://region{}", ProbeAsk::PATH),
                RequestInit::new().with_method(Method::Post).with_body(Some(body.into())),
            )?;
            let reports: Vec<ProbeReport> = stub.fetch_with_request(request).await?.json().await?;
            Ok::<_, Error>((region.clone(), reports))
        }
    });
    let mut reports = Vec::new();
    for (region, result) in config.regions.iter().zip(join_all(asks).await) {
        match result {
            Ok(report) => reports.push(report),
            // A region that fails to report is left out: it neither passes nor fails.
            Err(error) => console_error!("region {region} did not report: {error}"),
        }
    }
    let monitor = env.durable_object("MONITOR")?.get_by_name("monitor")?;
    let body = serde_json::to_string(&Ingest { at, reports })?;
    let request = Request::new_with_init(
        &format!("https://monitor{}", Ingest::PATH),
        RequestInit::new().with_method(Method::Post).with_body(Some(body.into())),
    )?;
    monitor.fetch_with_request(request).await
}
