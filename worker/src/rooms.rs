//! The live rooms' routes: `POST /api/rooms` opens a room on an incident and answers its id
//! and secret; `GET /api/rooms/{id}` with `Upgrade: websocket` joins it (the secret follows
//! in the first message, never in the URL); `GET /api/rooms/{id}/meta` shows an object's
//! meter to whoever holds the probe's token.

use room::capability;
use serde_json::json;
use worker::*;

use crate::live_room::{META, OPEN};
use crate::log;

fn stub(env: &Env, id: &str) -> Result<Stub> {
    env.durable_object("ROOM")?.get_by_name(id)
}

/// 16 bytes from the platform's cryptographic random source, as hex.
fn random_hex() -> Result<String> {
    use js_sys::{Function, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    let js = |error: JsValue| Error::RustError(format!("no random source: {error:?}"));
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).map_err(js)?;
    let fill: Function = Reflect::get(&crypto, &"getRandomValues".into()).map_err(js)?.dyn_into().map_err(js)?;
    let array = Uint8Array::new_with_length(16);
    fill.call1(&crypto, &array).map_err(js)?;
    let mut bytes = [0u8; 16];
    array.copy_to(&mut bytes);
    Ok(capability::from_random(&bytes))
}

/// `POST /api/rooms` with the incident in the saved format as the body.
pub async fn create(mut request: Request, env: &Env) -> Result<Response> {
    if !may_open(&request, env).await {
        let mut refused =
            text(429, "too many live rooms were opened from this address in the last minute: try again in a minute")?;
        refused.headers_mut().set("Retry-After", "60")?;
        return Ok(refused);
    }
    let too_large = || {
        let limit = room::limits::MESSAGE_BYTES / 1024;
        text(413, &format!("the incident is over the live room's {limit} KB: shorten the longest template fields"))
    };
    let declared = request.headers().get("Content-Length")?.and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|length| length > room::limits::MESSAGE_BYTES) {
        return too_large();
    }
    let incident = request.text().await?;
    if incident.len() > room::limits::MESSAGE_BYTES {
        return too_large();
    }
    let (id, secret) = (random_hex()?, random_hex()?);
    let body = serde_json::to_string(&json!({ "incident": incident, "secret": secret }))?;
    let open = Request::new_with_init(
        &format!("https://room{OPEN}"),
        RequestInit::new().with_method(Method::Post).with_body(Some(body.into())),
    )?;
    let mut answer = stub(env, &id)?.fetch_with_request(open).await?;
    match answer.status_code() {
        201 => {
            log::info("room_opened", json!({ "room": id }));
            let mut response = Response::from_json(&json!({
                "room": id,
                "secret": secret,
                "fragment": capability::fragment(&id, &secret),
            }))?
            .with_status(201);
            response.headers_mut().set("Cache-Control", "no-store")?;
            Ok(response)
        }
        status => text(status, &answer.text().await?),
    }
}

/// Whether the address may open another room this minute (`room::limits::OPENINGS_PER_MINUTE`,
/// by the `ROOM_OPENINGS` binding of `wrangler.toml`). A deployment without the binding opens
/// rooms unlimited, and says so in its log.
async fn may_open(request: &Request, env: &Env) -> bool {
    let Ok(limiter) = env.rate_limiter("ROOM_OPENINGS") else {
        log::warn("room_openings_unlimited", json!({ "reason": "no ROOM_OPENINGS binding" }));
        return true;
    };
    let address = request.headers().get("CF-Connecting-IP").ok().flatten();
    match limiter.limit(room::limits::opener_key(address.as_deref())).await {
        Ok(outcome) => outcome.success,
        Err(error) => {
            // The limiter itself failed: opening a room matters more than counting it.
            log::warn("room_openings_unlimited", json!({ "reason": error.to_string() }));
            true
        }
    }
}

/// `GET /api/rooms/{id}`: a WebSocket to the room, or why not.
pub async fn connect(request: Request, env: &Env, id: &str) -> Result<Response> {
    if !capability::is_well_formed(id) {
        return text(404, "no such room");
    }
    let upgrade = request.headers().get("Upgrade")?.unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return text(426, "a room is joined with a WebSocket");
    }
    stub(env, id)?.fetch_with_request(request).await
}

/// `GET /api/rooms/{id}/meta`: the object's meter, connections and version.
pub async fn meta(env: &Env, id: &str) -> Result<Response> {
    if !capability::is_well_formed(id) {
        return text(404, "no such room");
    }
    stub(env, id)?.fetch_with_request(Request::new(&format!("https://room{META}"), Method::Get)?).await
}

fn text(status: u16, body: &str) -> Result<Response> {
    let mut response = Response::ok(body)?.with_status(status);
    response.headers_mut().set("Cache-Control", "no-store")?;
    Ok(response)
}
