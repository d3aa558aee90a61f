//! `POST /api/heartbeat/<name>`: a job reporting in, with the token in its `[[heartbeat]]`'s
//! secret. The monitor records the beat (`probe::heartbeat`); whether one was missed is
//! decided at every report, as for a probed endpoint.

use api::Beat;
use worker::{Env, Request, Response, Result};

use crate::refusal::Refusal;
use crate::{auth, config_source, objects};

pub async fn receive(request: &Request, env: &Env, name: &str) -> Result<Response> {
    let config = config_source::load(env);
    let Some((_, _, secret)) = config.endpoints.iter().find(|e| e.name == name).and_then(|e| e.heartbeat()) else {
        return Ok(Refusal::NoSuchHeartbeat.response());
    };
    if let Err(refused) = auth::bearer(request, env, secret, Refusal::SecretNotSet(secret.to_string())) {
        return Ok(refused);
    }
    let mut answer = objects::post(&objects::monitor(env)?, Beat::PATH, &Beat { name: name.to_string() }).await?;
    // A new response: the object's own has immutable headers.
    let status = answer.status_code();
    let mut response = Response::ok(answer.text().await?)?.with_status(status);
    response.headers_mut().set("Content-Type", "application/json")?;
    Ok(response)
}
