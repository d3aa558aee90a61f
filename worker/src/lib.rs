//! The edge probe: a Cloudflare Worker. Every minute the cron asks one Durable Object per
//! region to probe every endpoint; the monitor object turns their reports into states,
//! incidents and history, and serves them. All decisions are in `crates/probe`; this crate
//! does the I/O.

mod alerts;
mod config_source;
mod monitor;
mod probing;
mod region;
mod routes;
mod socket;
mod storage;
mod tick;

use worker::*;

pub use monitor::Monitor;
pub use region::RegionProbe;

#[event(fetch)]
async fn fetch(request: Request, env: Env, _context: Context) -> Result<Response> {
    routes::handle(request, env).await
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _context: ScheduleContext) {
    if let Err(error) = tick::run(&env).await {
        console_error!("tick failed: {error}");
    }
}
