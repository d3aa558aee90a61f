//! Delivering the monitor's outbox: each target's oldest message first, a failed one is
//! retried on a later tick (and holds the target's newer ones back, so they arrive in order).

use std::time::Duration;

use config::limits::MAX_DELIVERIES_PER_TICK;
use config::Config;
use futures_util::future::{select, Either};
use futures_util::pin_mut;
use probe::monitor::MonitorState;
use worker::*;

const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);

pub async fn deliver(env: &Env, config: &Config, state: &mut MonitorState, now: i64) {
    for dropped in state.outbox.expire(config, now) {
        console_warn!(
            "alert {} dropped undelivered after {} attempts: older than its target allows (last error: {})",
            dropped.id,
            dropped.attempts,
            dropped.last_error.as_deref().unwrap_or("none")
        );
    }
    let tick = state.tick_count;
    let mut sent = 0;
    for (index, target) in config.alerts.iter().enumerate() {
        let Ok(url) = env.secret(&target.url_secret).map(|s| s.to_string()) else {
            if state.outbox.next_for(index, tick).is_some() {
                console_error!(
                    "alert target {index}: the Worker secret {} is not set; messages wait",
                    target.url_secret
                );
            }
            continue;
        };
        while sent < MAX_DELIVERIES_PER_TICK {
            let Some(pending) = state.outbox.next_for(index, tick).cloned() else { break };
            sent += 1;
            match post(&url, &pending.body).await {
                Ok(()) => state.outbox.delivered(pending.id),
                Err(error) => {
                    console_warn!("alert {} not delivered (attempt {}): {error}", pending.id, pending.attempts + 1);
                    state.outbox.failed(pending.id, tick, &error);
                    break;
                }
            }
        }
    }
}

async fn post(url: &str, body: &str) -> std::result::Result<(), String> {
    let headers = Headers::new();
    headers.set("Content-Type", "application/json").map_err(|e| e.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.into()));
    let request = Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let send = async move { Fetch::Request(request).send_with_signal(&signal).await };
    let timeout = Delay::from(DELIVERY_TIMEOUT);
    pin_mut!(send);
    match select(send, timeout).await {
        Either::Left((Ok(response), _)) if (200..300).contains(&response.status_code()) => Ok(()),
        Either::Left((Ok(response), _)) => Err(format!("HTTP {}", response.status_code())),
        Either::Left((Err(error), _)) => Err(error.to_string()),
        Either::Right(_) => {
            controller.abort();
            Err("timed out".into())
        }
    }
}
