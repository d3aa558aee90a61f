//! The edge probe: a Cloudflare Worker. One Durable Object per region probes every endpoint
//! on its own alarm and reports to the monitor object, which turns the reports into states,
//! incidents and history, and serves them. The minute cron is the regions' watchdog. A live
//! room (`live_room.rs`) is one more object per incident a team works together. All decisions
//! are in `crates/probe` and `crates/room`; this crate does the I/O.

mod alerts;
mod auth;
mod config_source;
mod heartbeat;
mod live_room;
mod log;
mod meter;
mod monitor;
mod objects;
mod posted;
mod probing;
mod read_cache;
mod refusal;
mod region;
mod rooms;
mod routes;
mod socket;
mod storage;
mod tick;

use worker::*;

pub use live_room::RoomObject;
pub use monitor::Monitor;
pub use region::RegionProbe;

/// A panic is logged with its message and place, not lost in a trap.
#[event(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        log::error("panic", serde_json::json!({ "message": info.to_string() }));
    }));
}

#[event(fetch)]
async fn fetch(request: Request, env: Env, _context: Context) -> Result<Response> {
    Ok(routes::handle(request, env).await)
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _context: ScheduleContext) {
    if let Err(error) = tick::watchdog(&env).await {
        log::error("watchdog_failed", serde_json::json!({ "error": error.to_string() }));
    }
}
