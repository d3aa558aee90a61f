//! The public routes: read-only status for anyone (CORS open), the HTML status page,
//! `POST /api/probe` for whoever holds the token, and `POST /api/updates` for whoever holds
//! the updates token. One small function per route; every view
//! of the status is made from one monitor answer (`api::View`), read through `read_cache`.
//! Every response carries the same CORS headers and the caching `probe::serving` decides:
//! fresh answers are cached by Workers Cache in front of the Worker, so a crowd of readers
//! rarely runs it.
//!
//! When the monitor cannot answer (a platform limit reached, an error), a reader gets the
//! last status this isolate had, with its age: the page says so at the top, JSON carries
//! `Outpost-Stale-Seconds`, a badge shows it. A person never gets a JSON error page.

use api::paths::monitor;
use api::{IncidentList, MonitorMeta, RegionMeta, View};
use probe::formats::{self, badge::Shown, statuspage};
use probe::page;
use probe::serving::{cache_control, fresh_seconds, fresh_seconds_of, Answer, CACHE_TAG};
use serde_json::json;
use worker::*;

use crate::read_cache::{self, Read};
use crate::refusal::{Refusal, HISTORY_UNAVAILABLE, PROBE_UNAVAILABLE};
use crate::{auth, config_source, heartbeat, log, objects, posted, tick};

/// The public routes, as `not_found` lists them.
const ROUTES: &[&str] = &[
    "/",
    "/api/ping",
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
    "POST /api/updates",
    "POST /api/heartbeat/{name}",
    "POST /api/rooms",
    "GET /api/rooms/{room} (WebSocket)",
];

/// A response, how it may be cached, and for how long when fresh (`None`: by the interval).
struct Served {
    response: Response,
    answer: Answer,
    fresh_seconds: Option<u32>,
}

impl Served {
    fn fresh(response: Response) -> Served {
        Served { response, answer: Answer::Fresh, fresh_seconds: None }
    }

    fn uncacheable(response: Response) -> Served {
        Served { response, answer: Answer::Uncacheable, fresh_seconds: None }
    }

    /// Made from `view`: fresh for as long as what it says holds, or the last known one.
    fn of_view(response: Response, view: &Viewed) -> Served {
        let answer = if view.stale_seconds.is_some() { Answer::LastKnown } else { Answer::Fresh };
        Served { response, answer, fresh_seconds: Some(view.fresh_seconds) }
    }
}

/// The monitor's view, how long it holds, and its age when it is the last known one.
struct Viewed {
    view: View,
    fresh_seconds: u32,
    stale_seconds: Option<u64>,
}

pub async fn handle(request: Request, env: Env) -> Response {
    let path = request.path();
    let method = request.method();
    // A room's socket is answered as the room answers: no caching, no CORS (WebSockets
    // have none).
    if let (Method::Get, Some(id)) = (&method, path.strip_prefix("/api/rooms/")) {
        if !id.contains('/') {
            return crate::rooms::connect(request, &env, id).await.unwrap_or_else(|error| {
                log::error("room_connect_failed", json!({ "error": error.to_string() }));
                Refusal::Unavailable(PROBE_UNAVAILABLE).response()
            });
        }
    }
    let served = match route(request, &env, &path).await {
        Ok(served) => served,
        Err(error) => {
            log::error(
                "request_failed",
                json!({ "path": path, "method": method.to_string(), "error": error.to_string() }),
            );
            Served::uncacheable(Refusal::Unavailable(PROBE_UNAVAILABLE).response())
        }
    };
    let interval = config_source::load(&env).interval_seconds;
    with_common_headers(served, fresh_seconds(interval))
}

async fn route(request: Request, env: &Env, path: &str) -> Result<Served> {
    let env = env.clone();
    match (request.method(), path) {
        (Method::Options, _) => Ok(Served::fresh(Response::empty()?)),
        (Method::Get, "/") => status_page(&env).await,
        (Method::Get, "/api/status") => view_json(&env, |view| serde_json::to_string(&view.status)).await,
        (Method::Get, "/api/incidents") => {
            view_json(&env, |view| serde_json::to_string(&IncidentList { incidents: view.incidents.clone() })).await
        }
        (Method::Get, "/api/pictures") => pictures(&env).await,
        (Method::Get, "/api/alerts") => monitor_json(&env, monitor::ALERTS).await,
        // It asks every object, uncached: only for whoever holds the token.
        (Method::Get, "/api/meta") => match authorized(&request, &env) {
            Ok(()) => meta(&env).await.map(Served::uncacheable),
            Err(refused) => Ok(Served::uncacheable(refused)),
        },
        // The Worker answers, whatever the monitor does: for uptime checks of the probe itself.
        (Method::Get, "/api/ping") => Ok(Served::uncacheable(json_response(200, "{\"ok\":true}")?)),
        (Method::Get, p) if p.starts_with("/api/history/") => {
            monitor_json(&env, &monitor::history(&p["/api/history/".len()..])).await
        }
        (Method::Post, "/api/probe") => probe_now(&request, &env).await.map(Served::uncacheable),
        (Method::Post, "/api/updates") => {
            match auth::bearer(&request, &env, posted::TOKEN_SECRET, Refusal::UpdatesOff) {
                Ok(()) => posted::receive(request, &env).await.map(Served::uncacheable),
                Err(refused) => Ok(Served::uncacheable(refused)),
            }
        }
        (Method::Post, p) if p.starts_with("/api/heartbeat/") => {
            heartbeat::receive(&request, &env, &p["/api/heartbeat/".len()..]).await.map(Served::uncacheable)
        }
        (Method::Post, "/api/rooms") => crate::rooms::create(request, &env).await.map(Served::uncacheable),
        (Method::Get, p) if p.starts_with("/api/rooms/") && p.ends_with("/meta") => match authorized(&request, &env) {
            Ok(()) => crate::rooms::meta(&env, &p["/api/rooms/".len()..p.len() - "/meta".len()])
                .await
                .map(Served::uncacheable),
            Err(refused) => Ok(Served::uncacheable(refused)),
        },
        (Method::Post, p) if p.starts_with("/__test/") && config_source::is_local(&env) => {
            test_route(&env, p).await.map(Served::uncacheable)
        }
        (Method::Get, "/api/v2/summary.json" | "/api/v2/status.json" | "/api/v2/incidents.json") => {
            statuspage(&env, path).await
        }
        (Method::Get, "/feed.atom") => feed(&request, &env).await,
        (Method::Get, p) if p.starts_with("/badge") => badge(&env, p).await,
        (Method::Get | Method::Post, _) => Ok(Served::fresh(not_found()?)),
        _ => Ok(Served::uncacheable(Refusal::MethodNotAllowed.response())),
    }
}

/// A read of the monitor, held for `holds_ms` of its body: its answer, or the last good one
/// when it cannot answer now.
async fn read(env: &Env, path: &str, holds_ms: &dyn Fn(&str) -> u64) -> Result<Read> {
    let read = read_cache::read(env, path, holds_ms).await.map_err(Error::RustError)?;
    if let Some(stale) = &read.stale {
        log::warn("monitor_unreachable", json!({ "path": path, "error": stale.error, "served_age_ms": stale.age_ms }));
    }
    Ok(read)
}

/// The monitor's view every status route is made from, held for as long as what it says
/// allows (`probe::serving::fresh_seconds_of`).
async fn view(env: &Env) -> Result<Viewed> {
    let interval = config_source::load(env).interval_seconds;
    let holds = move |body: &str| -> u64 {
        let fresh = serde_json::from_str::<View>(body)
            .map_or(fresh_seconds(interval), |view| fresh_seconds_of(&view.status, interval));
        u64::from(fresh) * 1000
    };
    let read = read(env, View::PATH, &holds).await?;
    if read.status >= 400 {
        return Err(Error::RustError(format!("the monitor answered its view with HTTP {}", read.status)));
    }
    let view: View = serde_json::from_str(&read.body)?;
    // What is left of the isolate's copy: a cache in front keeps it no longer than that.
    let fresh_seconds = u32::try_from(read.holds_ms / 1000).unwrap_or(u32::MAX);
    Ok(Viewed { view, fresh_seconds, stale_seconds: read.stale.map(|s| s.age_ms / 1000) })
}

/// Part of the view as JSON; from the last known view, it says how old it is.
async fn view_json(env: &Env, part: impl Fn(&View) -> serde_json::Result<String>) -> Result<Served> {
    let viewed = view(env).await?;
    view_part(&viewed, &part(&viewed.view)?)
}

fn view_part(viewed: &Viewed, json: &str) -> Result<Served> {
    let mut response = json_response(200, json)?;
    if let Some(age) = viewed.stale_seconds {
        response.headers_mut().set("Outpost-Stale-Seconds", &age.to_string())?;
    }
    Ok(Served::of_view(response, viewed))
}

/// `GET /api/pictures`, when the monitor could draw them.
async fn pictures(env: &Env) -> Result<Served> {
    let viewed = view(env).await?;
    match &viewed.view.pictures {
        Some(pictures) => view_part(&viewed, &serde_json::to_string(pictures)?),
        None => Ok(Served::uncacheable(Refusal::Unavailable(HISTORY_UNAVAILABLE).response())),
    }
}

/// The monitor's JSON for `path` (history, alerts), held for half an interval; from the last
/// good answer, it says how old it is.
async fn monitor_json(env: &Env, path: &str) -> Result<Served> {
    let interval = config_source::load(env).interval_seconds;
    let read = read(env, path, &|_| u64::from(fresh_seconds(interval)) * 1000).await?;
    let mut response = json_response(read.status, &read.body)?;
    if let Some(stale) = &read.stale {
        response.headers_mut().set("Outpost-Stale-Seconds", &(stale.age_ms / 1000).to_string())?;
    }
    let answer = if read.stale.is_some() { Answer::LastKnown } else { Answer::Fresh };
    let fresh_seconds = Some(u32::try_from(read.holds_ms / 1000).unwrap_or(u32::MAX));
    Ok(Served { response, answer, fresh_seconds })
}

fn json_response(status: u16, body: &str) -> Result<Response> {
    let mut response = Response::ok(body)?.with_status(status);
    response.headers_mut().set("Content-Type", "application/json")?;
    Ok(response)
}

/// Atlassian Statuspage v2 shapes, for tools that already read them.
async fn statuspage(env: &Env, path: &str) -> Result<Served> {
    let config = config_source::load(env);
    let viewed = view(env).await?;
    let (report, incidents) = (&viewed.view.status, &viewed.view.incidents);
    let body = match path {
        "/api/v2/summary.json" => statuspage::summary(&config, report, incidents),
        "/api/v2/incidents.json" => statuspage::incidents(&config, report, incidents),
        _ => statuspage::status(&config, report),
    };
    Ok(Served::of_view(Response::from_json(&body)?, &viewed))
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
    let viewed = view(env).await;
    let (label, shown) = match &viewed {
        Ok(viewed) if stem.is_empty() => (viewed.view.status.title.clone(), Shown::of_page(&viewed.view.status)),
        Ok(viewed) => {
            let report = &viewed.view.status;
            match report.endpoints.iter().find(|e| e.name == stem) {
                Some(endpoint) => (endpoint.name.clone(), Shown::of_endpoint(endpoint, report.stale_since.is_some())),
                None => return Ok(Served::fresh(not_found()?)),
            }
        }
        Err(error) => {
            log::warn("badge_unavailable", json!({ "error": error.to_string() }));
            let label = if stem.is_empty() { "status" } else { stem };
            (label.to_string(), Shown::Unavailable)
        }
    };
    let response = if svg {
        let mut response = Response::ok(formats::badge::svg(&label, shown))?;
        response.headers_mut().set("Content-Type", "image/svg+xml")?;
        response
    } else {
        Response::from_json(&formats::badge::shields(&label, shown))?
    };
    Ok(match &viewed {
        Ok(viewed) => Served::of_view(response, viewed),
        Err(_) => Served { response, answer: Answer::LastKnown, fresh_seconds: None },
    })
}

async fn feed(request: &Request, env: &Env) -> Result<Served> {
    let config = config_source::load(env);
    let viewed = view(env).await?;
    let self_url = request.url()?.to_string();
    let (report, incidents) = (&viewed.view.status, &viewed.view.incidents);
    let mut response =
        Response::ok(formats::atom::feed(&config, &report.posted, incidents, report.generated_at, &self_url))?;
    response.headers_mut().set("Content-Type", "application/atom+xml; charset=utf-8")?;
    Ok(Served::of_view(response, &viewed))
}

/// The HTML page, for people: from the current status, or the last one this isolate had
/// (said at the top, with its age), or a page saying the status is unavailable. Always HTML.
async fn status_page(env: &Env) -> Result<Served> {
    let config = config_source::load(env);
    let site = config.site_url.as_deref();
    let viewed = view(env).await;
    let (html, status) = match &viewed {
        // The pictures are a bonus: without them the page still says what is up and down.
        Ok(Viewed { view, stale_seconds: None, .. }) => {
            (page::render(&view.status, &view.incidents, view.pictures.as_ref(), site), 200)
        }
        Ok(Viewed { view, stale_seconds: Some(age), .. }) => {
            (page::render_last_known(&view.status, &view.incidents, view.pictures.as_ref(), site, *age), 200)
        }
        Err(error) => {
            log::error("status_unavailable", json!({ "error": error.to_string() }));
            // 503 lets a cache in front serve its own last copy instead (`stale-if-error`).
            (page::unavailable(), 503)
        }
    };
    let mut response = Response::from_html(html)?.with_status(status);
    // The page needs no script: forbid it outright.
    response.headers_mut().set(
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    )?;
    Ok(match &viewed {
        Ok(viewed) => Served::of_view(response, viewed),
        Err(_) => Served::uncacheable(response),
    })
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

/// Whether the request holds the bearer token, the Worker secret `PROBE_TOKEN`; without it
/// set, the routes that need it are closed.
fn authorized(request: &Request, env: &Env) -> std::result::Result<(), Response> {
    auth::bearer(request, env, "PROBE_TOKEN", Refusal::RouteOff)
}

/// Runs a round now, for whoever holds the token.
async fn probe_now(request: &Request, env: &Env) -> Result<Response> {
    if let Err(refused) = authorized(request, env) {
        return Ok(refused);
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
        "/__test/damage-state" => objects::post(&objects::monitor(env)?, monitor::DAMAGE, &()).await,
        "/__test/limit/on" | "/__test/limit/off" => {
            objects::post(&objects::monitor(env)?, &path["/__test".len()..], &()).await
        }
        p => match p.strip_prefix("/__test/stop/") {
            Some(region) => objects::post(&objects::region(env, region)?, api::paths::region::STOP, &()).await,
            None => not_found(),
        },
    };
    read_cache::invalidate();
    answer
}

fn not_found() -> Result<Response> {
    Ok(Refusal::NoRoute { routes: ROUTES }.response())
}

fn with_common_headers(served: Served, interval_fresh_seconds: u32) -> Response {
    let mut response = served.response;
    let headers = response.headers_mut();
    let _ = headers.set("Access-Control-Allow-Origin", "*");
    // The site posts status updates from another origin, with the token in `Authorization`.
    let _ = headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    let _ = headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
    let _ = headers.set("Access-Control-Max-Age", "86400");
    let _ = headers.set("Access-Control-Expose-Headers", "Outpost-Stale-Seconds");
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    let fresh = served.fresh_seconds.unwrap_or(interval_fresh_seconds);
    let _ = headers.set("Cache-Control", &cache_control(served.answer, fresh));
    if served.answer == Answer::Fresh {
        let _ = headers.set("Cache-Tag", CACHE_TAG);
    }
    response
}
