//! Reaching the Durable Objects: one per region, named and placed by its location hint, and
//! the one monitor. Messages are `api` types posted as JSON to the path each one names.

use serde::Serialize;
use worker::{Env, Method, Request, RequestInit, Response, Result, Stub};

pub fn region(env: &Env, region: &str) -> Result<Stub> {
    env.durable_object("REGION")?.get_by_name_with_location_hint(region, region)
}

pub fn monitor(env: &Env) -> Result<Stub> {
    env.durable_object("MONITOR")?.get_by_name("monitor")
}

/// Posts `message` to `path` of the object behind `stub`.
pub async fn post(stub: &Stub, path: &str, message: &impl Serialize) -> Result<Response> {
    let body = serde_json::to_string(message)?;
    let request = Request::new_with_init(
        &format!("https://object{path}"),
        RequestInit::new().with_method(Method::Post).with_body(Some(body.into())),
    )?;
    stub.fetch_with_request(request).await
}
