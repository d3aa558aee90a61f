//! Probing one endpoint from one region: its own timeout, a bounded read of the body, then
//! the body is cancelled so the connection is freed. Never fetches a URL a request supplied:
//! only the configured endpoints.

use std::time::Duration;

use api::{Outcome, ProbeReport};
use config::budget::MAX_REDIRECTS;
use config::limits::FREE_CONNECTIONS;
use config::transport::{same_origin, Transport};
use config::{Endpoint, HeaderValue};
use futures_util::future::{select, Either};
use futures_util::{pin_mut, StreamExt};
use probe::classify::{classify, FetchFailure, Observation, Response as Observed};
use worker::{
    AbortController, Date, Delay, Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response, Url,
};

/// The header naming the probing region, so the team's servers can log who probed.
pub const REGION_HEADER: &str = "X-Outpost-Region";

/// These endpoints, at most six at a time (the platform's open-connection limit).
pub async fn probe_all<'a>(endpoints: impl Iterator<Item = &'a Endpoint>, region: &str, env: &Env) -> Vec<ProbeReport> {
    futures_util::stream::iter(endpoints)
        .map(|endpoint| probe_one(endpoint, region, env))
        .buffer_unordered(FREE_CONNECTIONS)
        .collect()
        .await
}

async fn probe_one(endpoint: &Endpoint, region: &str, env: &Env) -> ProbeReport {
    if let Transport::Dns { name, record_type, expect, query_url } = &endpoint.transport {
        return dns(endpoint, region, env, (name, record_type, expect, query_url)).await;
    }
    let observation = match &endpoint.transport {
        Transport::Fetch => match headers_for(endpoint, region, env) {
            Ok(headers) => Ok(observe(endpoint, &headers).await),
            Err(message) => Err(message),
        },
        Transport::Http1 { host, port, path } => match headers_for(endpoint, region, env) {
            Ok(headers) => Ok(crate::socket::http1(endpoint, host, *port, path, &headers).await),
            Err(message) => Err(message),
        },
        Transport::Tcp { host, port } => Ok(crate::socket::connect_only(endpoint, host, *port).await),
        // Never given to a region (`Endpoint::is_probed`); said plainly if one ever is.
        Transport::Heartbeat { .. } => Err("a heartbeat reports in; regions do not probe it".to_string()),
        Transport::Dns { .. } => Err("a DNS check is asked of the resolver".to_string()),
    };
    let (outcome, latency_ms) = match observation {
        Ok(observation) => (classify(endpoint, &observation), observation.elapsed_ms),
        // The probe could not be sent (a secret is missing): nothing is known of the endpoint.
        Err(reason) => (Outcome::Unknown { reason }, 0),
    };
    ProbeReport { endpoint: endpoint.name.clone(), outcome, latency_ms }
}

/// Enough of a resolver's answer for any record set a check asks about.
const DNS_ANSWER_BYTES: u32 = 64 * 1024;

/// A `dns://` check: its query fetched from the DNS-over-HTTPS resolver like any URL (the
/// endpoint's timeout, a bounded read), judged by `probe::dns`.
async fn dns(endpoint: &Endpoint, region: &str, env: &Env, check: (&str, &str, &[String], &str)) -> ProbeReport {
    let (name, record_type, expect, query_url) = check;
    // A GET of the resolver's JSON, read far enough for any real answer to parse.
    let asked = Endpoint {
        url: query_url.to_string(),
        method: "GET".to_string(),
        follow_redirects: false,
        max_body_bytes: endpoint.max_body_bytes.max(DNS_ANSWER_BYTES),
        ..endpoint.clone()
    };
    let (outcome, latency_ms) = match headers_for(&asked, region, env) {
        Ok(mut headers) => {
            headers.push(("Accept".to_string(), "application/dns-json".to_string()));
            let observation = observe(&asked, &headers).await;
            (probe::dns::judge(name, record_type, expect, &observation), observation.elapsed_ms)
        }
        Err(reason) => (Outcome::Unknown { reason }, 0),
    };
    ProbeReport { endpoint: endpoint.name.clone(), outcome, latency_ms }
}

/// How many of [`headers_for`]'s headers are the probe's own (sent on every hop).
const BASE_HEADERS: usize = 2;

/// The headers every probe sends: the region's name, a user agent, and the endpoint's own
/// (secrets read from the Worker's environment, never stored).
fn headers_for(endpoint: &Endpoint, region: &str, env: &Env) -> Result<Vec<(String, String)>, String> {
    let mut headers = vec![
        (REGION_HEADER.to_string(), region.to_string()),
        ("User-Agent".to_string(), format!("Outpost-Probe/{} (region {region})", env!("CARGO_PKG_VERSION"))),
    ];
    for (name, value) in &endpoint.headers {
        let value = match value {
            HeaderValue::Plain(text) => text.clone(),
            HeaderValue::Secret(secret) => env
                .secret(secret)
                .map(|s| s.to_string())
                .map_err(|_| format!("the Worker secret {secret} is not set (wrangler secret put {secret})"))?,
        };
        headers.push((name.clone(), value));
    }
    Ok(headers)
}

fn build_request(endpoint: &Endpoint, url: &str, headers: &[(String, String)]) -> worker::Result<Request> {
    let header_map = Headers::new();
    for (name, value) in headers {
        header_map.set(name, value)?;
    }
    let mut init = RequestInit::new();
    // Redirects are followed here, counted (each is a subrequest), not by the runtime.
    init.with_method(Method::from(endpoint.method.clone()))
        .with_headers(header_map)
        .with_redirect(RequestRedirect::Manual);
    Request::new_with_init(url, &init)
}

/// One probe within the endpoint's timeout: the request, and up to [`MAX_REDIRECTS`]
/// redirects when the endpoint follows them.
async fn observe(endpoint: &Endpoint, headers: &[(String, String)]) -> Observation {
    let started = Date::now().as_millis();
    let controller = AbortController::default();
    let signal = controller.signal();
    let limit = endpoint.max_body_bytes as usize;
    let work = async {
        let mut url = endpoint.url.clone();
        let mut hops = 0;
        loop {
            // The endpoint's own headers (secrets among them) never leave its origin.
            let headers = if same_origin(&endpoint.url, &url) { headers } else { &headers[..BASE_HEADERS] };
            let request = build_request(endpoint, &url, headers)?;
            let mut response = Fetch::Request(request).send_with_signal(&signal).await?;
            let observed = read(&mut response, limit).await?;
            let next = observed.location.as_deref().filter(|_| (300..400).contains(&observed.status));
            match next {
                Some(location) if endpoint.follow_redirects && hops < MAX_REDIRECTS => {
                    url = Url::parse(&url)?.join(location)?.to_string();
                    hops += 1;
                }
                _ => return Ok::<_, worker::Error>(observed),
            }
        }
    };
    let timeout = Delay::from(Duration::from_millis(u64::from(endpoint.timeout_ms)));
    pin_mut!(work);
    let result = match select(work, timeout).await {
        Either::Left((Ok(response), _)) => Ok(response),
        Either::Left((Err(error), _)) => Err(FetchFailure::Error(error.to_string())),
        Either::Right(((), _)) => {
            // Stop the request: a hanging endpoint must not hold a connection.
            controller.abort();
            Err(FetchFailure::TimedOut)
        }
    };
    let elapsed_ms = Date::now().as_millis().saturating_sub(started).min(u64::from(u32::MAX)) as u32;
    Observation { elapsed_ms, result }
}

/// Reads at most `limit` bytes of the body, then cancels the rest.
async fn read(response: &mut Response, limit: usize) -> worker::Result<Observed> {
    let status = response.status_code();
    let location = response.headers().get("location").ok().flatten();
    let mut body = Vec::new();
    let mut truncated = false;
    if let Ok(mut stream) = response.stream() {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            let room = limit.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        // Dropping the stream cancels what is left of the body.
    }
    Ok(Observed { status, location, body, truncated })
}
