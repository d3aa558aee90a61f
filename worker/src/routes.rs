//! The public routes: read-only status for anyone (CORS open), the HTML status page, and
//! `POST /api/probe` for whoever holds the token. One small function per route; the monitor
//! object answers the questions, through `read_cache`. Every response carries the same CORS
//! headers and the caching `probe::serving` decides: fresh answers are cached by Workers
//! Cache in front of the Worker, so a crowd of readers rarely runs it.
//!
//! When the monitor cannot answer (a platform limit reached, an error), a reader gets the
//! last status this isolate had, with its age: the page says so at the top, JSON carries
//! `Outpost-Stale-Seconds`, a badge shows it. A person never gets a JSON error page.

use api::{DetectedIncident, IncidentList, MonitorMeta, Pictures, RegionMeta, StatusReport};
use probe::formats::{self, badge::Shown, statuspage};
use probe::page;
use probe::serving::{cache_control, Answer, CACHE_TAG};
use serde_json::json;
use worker::*;

use crate::read_cache::{self, Read};
use crate::{config_source, log, objects, tick};

/// The public routes, as `not_found` lists them.
const ROUTES: &[&str] = &[
    "/",
    "/api/status",
    "/api/pictures",
    "/api/history/{endpoint}",
    "/api/incidents",
    "/api/alerts",
    "/api/meta",
    "/api/v2/summary.json",
    "/api/v2/status.json",
    "/api/v2/incidents.json",
    "/badge.svg",
    "/badge.json",
    "/badge/{endpoint}.svg",
    "/badge/{endpoint}.json",
    "/feed.atom",
    "POST /api/probe",
];

/// A response and how it may be cached.
struct Served {
    response: Response,
    answer: Answer,
}

impl Served {
    fn fresh(response: Response) -> Served {
        Served { response, answer: Answer::Fresh }
    }

    fn uncacheable(response: Response) -> Served {
        Served { response, answer: Answer::Uncacheable }
    }

    /// Fresh, or made from the last known status, as the reads it came from were.
    fn from_reads(response: Response, stale: bool) -> Served {
        Served { response, answer: if stale { Answer::LastKnown } else { Answer::Fresh } }
    }
}

pub async fn handle(request: Request, env: Env) -> Response {
    let path = request.path();
    let method = request.method();
    let served = match route(request, &env, &path).await {
        Ok(served) => served,
        Err(error) => {
            log::error(
                "request_failed",
                json!({ "path": path, "method": method.to_string(), "error": error.to_string() }),
            );
            Served::uncacheable(error_response(503, "the probe could not answer this request; try again shortly"))
        }
    };
    let interval = config_source::load(&env).interval_seconds;
    with_common_headers(served, interval)
}

async fn route(request: Request, env: &Env, path: &str) -> Result<Served> {
    let env = env.clone();
    match (request.method(), path) {
        (Method::Options, _) => Ok(Served::fresh(Response::empty()?)),
        (Method::Get, "/") => status_page(&env).await,
        (Method::Get, "/api/status") => monitor_json(&env, "/status").await,
        (Method::Get, "/api/incidents") => monitor_json(&env, "/incidents").await,
        (Method::Get, "/api/pictures") => monitor_json(&env, "/pictures").await,
        (Method::Get, "/api/alerts") => monitor_json(&env, "/alerts").await,
        (Method::Get, "/api/meta") => meta(&env).await.map(Served::uncacheable),
        (Method::Get, p) if p.starts_with("/api/history/") => {
            monitor_json(&env, &format!("/history/{}", &p["/api/history/".len()..])).await
        }
        (Method::Post, "/api/probe") => probe_now(&request, &env).await.map(Served::uncacheable),
        (Method::Post, p) if p.starts_with("/__test/") && config_source::is_local(&env) => {
            test_route(&env, p).await.map(Served::uncacheable)
        }
        (Method::Get, "/api/v2/summary.json" | "/api/v2/status.json" | "/api/v2/incidents.json") => {
            statuspage(&env, path).await
        }
        (Method::Get, "/feed.atom") => feed(&request, &env).await,
        (Method::Get, p) if p.starts_with("/badge") => badge(&env, p).await,
        (Method::Get | Method::Post, _) => Ok(Served::fresh(not_found()?)),
        _ => Ok(Served::uncacheable(error_response(
            405,
            "method not allowed: the API is read-only but for POST /api/probe",
        ))),
    }
}

/// A read of the monitor: its answer, or the last good one when it cannot answer now.
async fn read(env: &Env, path: &str) -> Result<Read> {
    let interval = config_source::load(env).interval_seconds;
    let read = read_cache::read(env, path, interval).await.map_err(Error::RustError)?;
    if let Some(stale) = &read.stale {
        log::warn("monitor_unreachable", json!({ "path": path, "error": stale.error, "served_age_ms": stale.age_ms }));
    }
    Ok(read)
}

/// The monitor's JSON for `path`; from the last good answer, it says how old it is.
async fn monitor_json(env: &Env, path: &str) -> Result<Served> {
    let read = read(env, path).await?;
    let mut response = Response::ok(read.body.as_str())?.with_status(read.status);
    response.headers_mut().set("Content-Type", "application/json")?;
    if let Some(stale) = &read.stale {
        response.headers_mut().set("Outpost-Stale-Seconds", &(stale.age_ms / 1000).to_string())?;
    }
    Ok(Served::from_reads(response, read.stale.is_some()))
}

/// The monitor's answer, parsed, and whether it is the last known one.
async fn monitor_value<T: serde::de::DeserializeOwned>(env: &Env, path: &str) -> Result<(T, Option<u64>)> {
    let read = read(env, path).await?;
    if read.status >= 400 {
        return Err(Error::RustError(format!("the monitor answered {path} with HTTP {}", read.status)));
    }
    Ok((serde_json::from_str(&read.body)?, read.stale.map(|s| s.age_ms / 1000)))
}

fn json_response(status: u16, body: &str) -> Result<Response> {
    let mut response = Response::ok(body)?.with_status(status);
    response.headers_mut().set("Content-Type", "application/json")?;
    Ok(response)
}

fn error_response(status: u16, error: &str) -> Response {
    let body = json!({ "error": error });
    Response::from_json(&body)
        .map(|r| r.with_status(status))
        .unwrap_or_else(|_| Response::empty().unwrap().with_status(status))
}

/// The status report and recent incidents every view is made from, and the age of the
/// older of the two when either is the last known one.
async fn status_and_incidents(env: &Env) -> Result<(StatusReport, Vec<DetectedIncident>, Option<u64>)> {
    let (report, report_age): (StatusReport, _) = monitor_value(env, "/status").await?;
    let (incidents, incidents_age): (IncidentList, _) = monitor_value(env, "/incidents").await?;
    Ok((report, incidents.incidents, report_age.max(incidents_age)))
}

/// Atlassian Statuspage v2 shapes, for tools that already read them.
async fn statuspage(env: &Env, path: &str) -> Result<Served> {
    let config = config_source::load(env);
    let (report, incidents, age) = status_and_incidents(env).await?;
    let body = match path {
        "/api/v2/summary.json" => statuspage::summary(&config, &report, &incidents),
        "/api/v2/incidents.json" => statuspage::incidents(&config, &report, &incidents),
        _ => statuspage::status(&config, &report),
    };
    Ok(Served::from_reads(Response::from_json(&body)?, age.is_some()))
}

/// `/badge.svg`, `/badge.json` for the whole page; `/badge/{endpoint}.svg|.json` for one. When
/// the monitor cannot answer and nothing is known, the badge says "unavailable" (an image
/// tag shows an image, never an error page).
async fn badge(env: &Env, path: &str) -> Result<Served> {
    let name = path.strip_prefix("/badge/").or_else(|| path.strip_prefix("/badge")).unwrap_or_default();
    let (stem, svg) = match (name.strip_suffix(".svg"), name.strip_suffix(".json")) {
        (Some(stem), _) => (stem, true),
        (None, Some(stem)) => (stem, false),
        _ => return Ok(Served::fresh(not_found()?)),
    };
    let (label, shown, stale) = match status_and_incidents(env).await {
        Ok((report, _, age)) if stem.is_empty() => (report.title.clone(), Shown::of_page(&report), age.is_some()),
        Ok((report, _, age)) => match report.endpoints.iter().find(|e| e.name == stem) {
            Some(endpoint) => {
                (endpoint.name.clone(), Shown::of_endpoint(endpoint, report.stale_since.is_some()), age.is_some())
            }
            None => return Ok(Served::fresh(not_found()?)),
        },
        Err(error) => {
            log::warn("badge_unavailable", json!({ "error": error.to_string() }));
            let label = if stem.is_empty() { "status" } else { stem };
            (label.to_string(), Shown::Unavailable, true)
        }
    };
    let response = if svg {
        let mut response = Response::ok(formats::badge::svg(&label, shown))?;
        response.headers_mut().set("Content-Type", "image/svg+xml")?;
        response
    } else {
        Response::from_json(&formats::badge::shields(&label, shown))?
    };
    Ok(Served::from_reads(response, stale))
}

async fn feed(request: &Request, env: &Env) -> Result<Served> {
    let config = config_source::load(env);
    let (report, incidents, age) = status_and_incidents(env).await?;
    let self_url = request.url()?.to_string();
    let mut response = Response::ok(formats::atom::feed(&config, &incidents, report.generated_at, &self_url))?;
    response.headers_mut().set("Content-Type", "application/atom+xml; charset=utf-8")?;
    Ok(Served::from_reads(response, age.is_some()))
}

/// The HTML page, for people: from the current status, or the last one this isolate had
/// (said at the top, with its age), or a page saying the status is unavailable. Always HTML.
async fn status_page(env: &Env) -> Result<Served> {
    let config = config_source::load(env);
    let (html, stale, status) = match status_and_incidents(env).await {
        Ok((report, incidents, age)) => {
            // The pictures are a bonus: without them the page still says what is up and down.
            let pictures: Option<Pictures> = match monitor_value(env, "/pictures").await {
                Ok((pictures, _)) => Some(pictures),
                Err(error) => {
                    log::warn("pictures_unavailable", json!({ "error": error.to_string() }));
                    None
                }
            };
            let site = config.site_url.as_deref();
            match age {
                None => (page::render(&report, &incidents, pictures.as_ref(), site), false, 200),
                Some(age) => (page::render_last_known(&report, &incidents, pictures.as_ref(), site, age), true, 200),
            }
        }
        Err(error) => {
            log::error("status_unavailable", json!({ "error": error.to_string() }));
            // 503 lets a cache in front serve its own last copy instead (`stale-if-error`).
            (page::unavailable(), true, 503)
        }
    };
    let mut response = Response::from_html(html)?.with_status(status);
    // The page needs no script: forbid it outright.
    response.headers_mut().set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )?;
    Ok(Served::from_reads(response, stale))
}

/// `GET /api/meta`: what the objects did and what it cost, by their own meters.
async fn meta(env: &Env) -> Result<Response> {
    let config = config_source::load(env);
    let (status, body) = read_cache::ask_monitor(env, MonitorMeta::PATH).await?;
    let monitor: MonitorMeta = if status < 400 { serde_json::from_str(&body)? } else { MonitorMeta::default() };
    let mut regions = serde_json::Map::new();
    for region in &config.regions {
        let stub = objects::region(env, region)?;
        let mut answer = stub.fetch_with_str(&format!("https://region{}", RegionMeta::PATH)).await?;
        let meta: RegionMeta = answer.json().await.unwrap_or_default();
        regions.insert(region.clone(), serde_json::to_value(meta)?);
    }
    // The cost model validation uses, beside the meters it is held to.
    let model = json!({
        "monitor_rows_per_report": config::cadence::MONITOR_ROWS_PER_REPORT,
        "region_rows_per_run": config::cadence::REGION_ROWS_PER_RUN,
    });
    let body =
        json!({ "monitor_reads": monitor.monitor_reads, "monitor": monitor, "regions": regions, "model": model });
    json_response(200, &body.to_string())
}

/// Runs a round now. The bearer token is the Worker secret `PROBE_TOKEN`; without it set,
/// the route is closed.
async fn probe_now(request: &Request, env: &Env) -> Result<Response> {
    let Ok(expected) = env.secret("PROBE_TOKEN").map(|s| s.to_string()) else {
        return Ok(error_response(403, "probing on request is off: set the PROBE_TOKEN secret to enable it"));
    };
    let given = request.headers().get("Authorization")?.unwrap_or_default();
    let token = given.strip_prefix("Bearer ").unwrap_or("");
    if expected.is_empty() || !same_secret(token.as_bytes(), expected.as_bytes()) {
        return Ok(error_response(401, "a valid bearer token is required"));
    }
    let mut answer = tick::run(env).await?;
    let status = answer.status_code();
    json_response(status, &answer.text().await?)
}

/// Local runs only: stop a region's rounds (`/__test/stop/{region}`), as a crash or an
/// exhausted plan would; damage the monitor's saved state (`/__test/damage-state`); make the
/// monitor refuse reads as a reached limit would (`/__test/limit/on|off`).
async fn test_route(env: &Env, path: &str) -> Result<Response> {
    let answer = match path {
        "/__test/damage-state" => objects::post(&objects::monitor(env)?, "/damage", &()).await,
        "/__test/limit/on" | "/__test/limit/off" => {
            objects::post(&objects::monitor(env)?, &path["/__test".len()..], &()).await
        }
        p => match p.strip_prefix("/__test/stop/") {
            Some(region) => objects::post(&objects::region(env, region)?, "/stop", &()).await,
            None => not_found(),
        },
    };
    read_cache::invalidate();
    answer
}

/// Compares in time that depends only on the length, so the token cannot be guessed byte
/// by byte from response times.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn not_found() -> Result<Response> {
    let body = json!({ "error": "not found", "routes": ROUTES });
    Ok(Response::from_json(&body)?.with_status(404))
}

fn with_common_headers(served: Served, interval_seconds: u32) -> Response {
    let mut response = served.response;
    let headers = response.headers_mut();
    let _ = headers.set("Access-Control-Allow-Origin", "*");
    let _ = headers.set("Access-Control-Allow-Methods", "GET, OPTIONS");
    let _ = headers.set("Access-Control-Allow-Headers", "Content-Type");
    let _ = headers.set("Access-Control-Expose-Headers", "Outpost-Stale-Seconds");
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    let _ = headers.set("Cache-Control", &cache_control(served.answer, interval_seconds));
    if served.answer == Answer::Fresh {
        let _ = headers.set("Cache-Tag", CACHE_TAG);
    }
    response
}
