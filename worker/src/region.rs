//! One Durable Object per region, placed there by a location hint: it probes every endpoint
//! from where it runs and reports back.

use api::ProbeAsk;
use worker::*;

use crate::{config_source, probing};

#[durable_object]
pub struct RegionProbe {
    env: Env,
}

impl DurableObject for RegionProbe {
    fn new(_state: State, env: Env) -> Self {
        RegionProbe { env }
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        let ask: ProbeAsk = request.json().await?;
        if let Some(fault) = test_fault(&self.env, &ask.region) {
            return fault.await;
        }
        let config = config_source::load(&self.env);
        let reports = probing::probe_all(&config, &ask.region, &self.env).await;
        Response::from_json(&reports)
    }
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
