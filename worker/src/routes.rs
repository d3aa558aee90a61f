//! The public routes: read-only status for anyone (CORS open, short caching), the HTML
//! status page, and `POST /api/probe` for whoever holds the token. One small function per
//! route; the monitor object answers the questions, through `read_cache` so a crowd of
//! readers costs one monitor request per interval. Every response, errors included, carries
//! the same CORS and cache headers, and an error says what is wrong in JSON.

use api::{DetectedIncident, IncidentList, Pictures, StatusReport};
use probe::formats::{self, statuspage};
use probe::page;
use serde_json::json;
use worker::*;

use crate::read_cache;
use crate::{config_source, log, objects, tick};

pub async fn handle(request: Request, env: Env) -> Response {
    let path = request.path();
    let method = request.method();
    let response = match route(request, &env, &path).await {
        Ok(response) => response,
        Err(error) => {
            log::error(
                "request_failed",
                json!({ "path": path, "method": method.to_string(), "error": error.to_string() }),
            );
            error_response(503, "the probe could not answer this request; try again shortly", Some(&error.to_string()))
        }
    };
    with_common_headers(response, &path)
}

async fn route(request: Request, env: &Env, path: &str) -> Result<Response> {
    let env = env.clone();
    match (request.method(), path) {
        (Method::Options, _) => Response::empty(),
        (Method::Get, "/") => status_page(&env).await,
        (Method::Get, "/api/status") => monitor_json(&env, "/status").await,
        (Method::Get, "/api/incidents") => monitor_json(&env, "/incidents").await,
        (Method::Get, "/api/pictures") => monitor_json(&env, "/pictures").await,
        (Method::Get, "/api/alerts") => monitor_json(&env, "/alerts").await,
        (Method::Get, "/api/meta") => {
            let (status, body) = read_cache::ask_monitor(&env, "/meta").await?;
            json_response(status, &body)
        }
        (Method::Get, p) if p.starts_with("/api/history/") => {
            monitor_json(&env, &format!("/history/{}", &p["/api/history/".len()..])).await
        }
        (Method::Post, "/api/probe") => probe_now(&request, &env).await,
        (Method::Post, p) if p.starts_with("/__test/stop/") && config_source::is_local(&env) => {
            stop_rounds(&env, &p["/__test/stop/".len()..]).await
        }
        (Method::Post, "/__test/damage-state") if config_source::is_local(&env) => {
            let answer = objects::post(&objects::monitor(&env)?, "/damage", &()).await;
            read_cache::invalidate().await;
            answer
        }
        (Method::Get, "/api/v2/summary.json" | "/api/v2/status.json" | "/api/v2/incidents.json") => {
            statuspage(&env, path).await
        }
        (Method::Get, "/feed.atom") => feed(&request, &env).await,
        (Method::Get, p) if p.starts_with("/badge") => badge(&env, p).await,
        (Method::Get | Method::Post, _) => not_found(),
        _ => Ok(error_response(405, "method not allowed: the API is read-only but for POST /api/probe", None)),
    }
}

/// The monitor's JSON for `path`, shared between readers (`read_cache`).
async fn monitor_json(env: &Env, path: &str) -> Result<Response> {
    let interval = config_source::load(env).interval_seconds;
    let (status, body) = read_cache::read(env, path, interval).await.map_err(Error::RustError)?;
    json_response(status, &body)
}

/// The monitor's answer, parsed: a failure to answer is an error, not a default.
async fn monitor_value<T: serde::de::DeserializeOwned>(env: &Env, path: &str) -> Result<T> {
    let interval = config_source::load(env).interval_seconds;
    let (status, body) = read_cache::read(env, path, interval).await.map_err(Error::RustError)?;
    if status >= 400 {
        return Err(Error::RustError(format!("the monitor answered {path} with HTTP {status}")));
    }
    Ok(serde_json::from_str(&body)?)
}

fn json_response(status: u16, body: &str) -> Result<Response> {
    let mut response = Response::ok(body)?.with_status(status);
    response.headers_mut().set("Content-Type", "application/json")?;
    Ok(response)
}

fn error_response(status: u16, error: &str, detail: Option<&str>) -> Response {
    let body = json!({ "error": error, "detail": detail });
    Response::from_json(&body)
        .map(|r| r.with_status(status))
        .unwrap_or_else(|_| Response::empty().unwrap().with_status(status))
}

/// The monitor's status report and recent incidents, which every view is made from.
async fn status_and_incidents(env: &Env) -> Result<(StatusReport, Vec<DetectedIncident>)> {
    let report: StatusReport = monitor_value(env, "/status").await?;
    let incidents: IncidentList = monitor_value(env, "/incidents").await?;
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
    use formats::badge::Shown;
    let (label, shown) = if stem.is_empty() {
        (report.title.clone(), Shown::of_page(&report))
    } else {
        match report.endpoints.iter().find(|e| e.name == stem) {
            Some(endpoint) => (endpoint.name.clone(), Shown::of_endpoint(endpoint, report.stale_since.is_some())),
            None => return not_found(),
        }
    };
    if svg {
        let mut response = Response::ok(formats::badge::svg(&label, shown))?;
        response.headers_mut().set("Content-Type", "image/svg+xml")?;
        Ok(response)
    } else {
        Response::from_json(&formats::badge::shields(&label, shown))
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
    // The pictures are a bonus: without them the page still says what is up and down.
    let pictures: Option<Pictures> = match monitor_value(env, "/pictures").await {
        Ok(pictures) => Some(pictures),
        Err(error) => {
            log::warn("pictures_unavailable", json!({ "error": error.to_string() }));
            None
        }
    };
    let html = page::render(&report, &incidents, pictures.as_ref(), config.site_url.as_deref());
    let mut response = Response::from_html(html)?;
    // The page needs no script: forbid it outright.
    response.headers_mut().set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )?;
    Ok(response)
}

/// Runs a tick now. The bearer token is the Worker secret `PROBE_TOKEN`; without it set,
/// the route is closed.
async fn probe_now(request: &Request, env: &Env) -> Result<Response> {
    let Ok(expected) = env.secret("PROBE_TOKEN").map(|s| s.to_string()) else {
        return Ok(error_response(403, "probing on request is off: set the PROBE_TOKEN secret to enable it", None));
    };
    let given = request.headers().get("Authorization")?.unwrap_or_default();
    let token = given.strip_prefix("Bearer ").unwrap_or("");
    if expected.is_empty() || !same_secret(token.as_bytes(), expected.as_bytes()) {
        return Ok(error_response(401, "a valid bearer token is required", None));
    }
    let mut answer = tick::run(env).await?;
    let status = answer.status_code();
    json_response(status, &answer.text().await?)
}

/// Local runs only: stops a region's rounds (deletes its alarm), as a crash or an exhausted
/// plan would, so the tests can see the cron's watchdog notice and re-arm it.
async fn stop_rounds(env: &Env, region: &str) -> Result<Response> {
    objects::post(&objects::region(env, region)?, "/stop", &()).await
}

/// Compares in time that depends only on the length, so the token cannot be guessed byte
/// by byte from response times.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn not_found() -> Result<Response> {
    let body = serde_json::json!({ "error": "not found", "routes": [
        "/", "/api/status", "/api/pictures", "/api/history/{endpoint}", "/api/incidents", "/api/alerts", "/api/meta", "/api/v2/summary.json", "/api/v2/status.json",
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
    let cache = if path == "/api/probe" || path == "/api/meta" { "no-store" } else { "public, max-age=30" };
    let _ = headers.set("Cache-Control", cache);
    response
}
