//! The public routes: read-only status for anyone (CORS open, short caching), the HTML
//! status page, and `POST /api/probe` for whoever holds the token. One small function per
//! route; the monitor object answers the questions.

use api::{DetectedIncident, IncidentList, StatusReport};
use probe::formats::{self, statuspage};
use probe::page;
use worker::*;

use crate::{config_source, tick};

pub async fn handle(request: Request, env: Env) -> Result<Response> {
    let path = request.path();
    let response = match (request.method(), path.as_str()) {
        (Method::Options, _) => Response::empty(),
        (Method::Get, "/") => status_page(&env).await,
        (Method::Get, "/api/status") => ask_monitor(&env, "/status").await,
        (Method::Get, "/api/incidents") => ask_monitor(&env, "/incidents").await,
        (Method::Get, p) if p.starts_with("/api/history/") => {
            ask_monitor(&env, &format!("/history/{}", &p["/api/history/".len()..])).await
        }
        (Method::Post, "/api/probe") => probe_now(&request, &env).await,
        (Method::Get, "/api/v2/summary.json" | "/api/v2/status.json" | "/api/v2/incidents.json") => {
            statuspage(&env, &path).await
        }
        (Method::Get, "/feed.atom") => feed(&request, &env).await,
        (Method::Get, p) if p.starts_with("/badge") => badge(&env, p).await,
        (Method::Get | Method::Post, _) => not_found(),
        _ => Response::error("method not allowed", 405),
    }?;
    Ok(with_common_headers(response, &path))
}

/// The monitor's status report and recent incidents, which every view is made from.
async fn status_and_incidents(env: &Env) -> Result<(StatusReport, Vec<DetectedIncident>)> {
    let report: StatusReport = ask_monitor(env, "/status").await?.json().await?;
    let incidents: IncidentList = ask_monitor(env, "/incidents").await?.json().await?;
    Ok((report, incidents.incidents))
}

/// Atlassian Statuspage v2 shapes, for tools that already read them.
async fn statuspage(env: &Env, path: &str) -> Result<Response> {
    let config = config_source::load(env);
    let (report, incidents) = status_and_incidents(env).await?;
    let body = match path {
        "/api/v2/summary.json" => statuspage::summary(&config, &report, &incidents),
        "/api/v2/incidents.json" => statuspage::incidents(&config, &report, &incidents),
        _ => statuspage::status(&config, &report),
    };
    Response::from_json(&body)
}

/// `/badge.svg`, `/badge.json` for the whole page; `/badge/{endpoint}.svg|.json` for one.
async fn badge(env: &Env, path: &str) -> Result<Response> {
    let (report, _) = status_and_incidents(env).await?;
    let name = path.strip_prefix("/badge/").or_else(|| path.strip_prefix("/badge")).unwrap_or_default();
    let (stem, svg) = match (name.strip_suffix(".svg"), name.strip_suffix(".json")) {
        (Some(stem), _) => (stem, true),
        (None, Some(stem)) => (stem, false),
        _ => return not_found(),
    };
    let (label, state, maintenance) = if stem.is_empty() {
        (report.title.clone(), formats::overall(&report.endpoints), false)
    } else {
        match report.endpoints.iter().find(|e| e.name == stem) {
            Some(endpoint) => (endpoint.name.clone(), endpoint.state, endpoint.maintenance.is_some()),
            None => return not_found(),
        }
    };
    if svg {
        let mut response = Response::ok(formats::badge::svg(&label, state, maintenance))?;
        response.headers_mut().set("Content-Type", "image/svg+xml")?;
        Ok(response)
    } else {
        Response::from_json(&formats::badge::shields(&label, state, maintenance))
    }
}

async fn feed(request: &Request, env: &Env) -> Result<Response> {
    let config = config_source::load(env);
    let (report, incidents) = status_and_incidents(env).await?;
    let self_url = request.url()?.to_string();
    let mut response = Response::ok(formats::atom::feed(&config, &incidents, report.generated_at, &self_url))?;
    response.headers_mut().set("Content-Type", "application/atom+xml; charset=utf-8")?;
    Ok(response)
}

async fn status_page(env: &Env) -> Result<Response> {
    let config = config_source::load(env);
    let (report, incidents) = status_and_incidents(env).await?;
    let html = page::render(&report, &incidents, config.site_url.as_deref());
    let mut response = Response::from_html(html)?;
    // The page needs no script: forbid it outright.
    response.headers_mut().set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )?;
    Ok(response)
}

async fn ask_monitor(env: &Env, path: &str) -> Result<Response> {
    let monitor = env.durable_object("MONITOR")?.get_by_name("monitor")?;
    let response = monitor.fetch_with_str(&format!("https://monitor{path}")).await?;
    // Rebuild the response: one from another object has immutable headers.
    let status = response.status_code();
    let mut response = response;
    let body = response.text().await?;
    let mut copy = Response::ok(body)?.with_status(status);
    copy.headers_mut().set("Content-Type", "application/json")?;
    Ok(copy)
}

/// Runs a tick now. The bearer token is the Worker secret `PROBE_TOKEN`; without it set,
/// the route is closed.
async fn probe_now(request: &Request, env: &Env) -> Result<Response> {
    let Ok(expected) = env.secret("PROBE_TOKEN").map(|s| s.to_string()) else {
        return Response::error("probing on request is off: set the PROBE_TOKEN secret to enable it", 403);
    };
    let given = request.headers().get("Authorization")?.unwrap_or_default();
    let token = given.strip_prefix("Bearer ").unwrap_or("");
    if expected.is_empty() || !same_secret(token.as_bytes(), expected.as_bytes()) {
        return Response::error("a valid bearer token is required", 401);
    }
    let mut answer = tick::run(env).await?;
    let body = answer.text().await?;
    let mut response = Response::ok(body)?;
    response.headers_mut().set("Content-Type", "application/json")?;
    Ok(response)
}

/// Compares in time that depends only on the length, so the token cannot be guessed byte
/// by byte from response times.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn not_found() -> Result<Response> {
    let body = serde_json::json!({ "error": "not found", "routes": [
        "/", "/api/status", "/api/history/{endpoint}", "/api/incidents", "/api/v2/summary.json", "/api/v2/status.json",
        "/api/v2/incidents.json", "/badge.svg", "/badge.json", "/badge/{endpoint}.svg", "/badge/{endpoint}.json", "/feed.atom",
        "POST /api/probe"
    ] });
    Ok(Response::from_json(&body)?.with_status(404))
}

fn with_common_headers(mut response: Response, path: &str) -> Response {
    let headers = response.headers_mut();
    let _ = headers.set("Access-Control-Allow-Origin", "*");
    let _ = headers.set("Access-Control-Allow-Methods", "GET, OPTIONS");
    let _ = headers.set("Access-Control-Allow-Headers", "Content-Type");
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    // Status changes every minute: cache briefly so a crowd of readers costs one lookup.
    let cache = if path == "/api/probe" { "no-store" } else { "public, max-age=30" };
    let _ = headers.set("Cache-Control", cache);
    response
}
