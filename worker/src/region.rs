//! One Durable Object per region, placed there by a location hint: it probes every endpoint
//! from where it runs and reports back.

use serde::Deserialize;
use worker::*;

use crate::{config, probing};

#[durable_object]
pub struct RegionProbe {
    env: Env,
}

#[derive(Deserialize)]
pub struct ProbeAsk {
    pub region: String,
}

impl DurableObject for RegionProbe {
    fn new(_state: State, env: Env) -> Self {
        RegionProbe { env }
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        let ask: ProbeAsk = request.json().await?;
        let config = config::load(&self.env);
        let reports = probing::probe_all(&config, &ask.region, &self.env).await;
        Response::from_json(&reports)
    }
}
