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
        let config = config_source::load(&self.env);
        let reports = probing::probe_all(&config, &ask.region, &self.env).await;
        Response::from_json(&reports)
    }
}
