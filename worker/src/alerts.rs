//! Delivering the monitor's outbox: for each target, what is due goes out in one request;
//! the answer decides (`probe::alerts::send_result`): delivered, retried later (as a 429's
//! `Retry-After` asks), or refused for good and recorded. A target that fails waits; the
//! others are not held up. Never awaits while holding the monitor's state.

use std::time::Duration;

use config::budget::DELIVERY_TIMEOUT_MS;
use config::limits::MAX_DELIVERIES_PER_TICK;
use config::{AlertTarget, AlertUrl, Config};
use futures_util::future::{select, Either};
use futures_util::pin_mut;
use probe::alerts::{address, retry_after_in_body, send_result, Request as AlertRequest, SendResult};
use probe::monitor::MonitorState;
use serde_json::json;
use worker::*;

use crate::log;

/// What holds the outbox (the monitor): its state, and a way to save it.
pub trait OutboxHolder {
    fn with_state<T>(&self, use_state: impl FnOnce(&mut MonitorState) -> Result<T>) -> Result<T>;
    fn save(&self);
}

pub async fn deliver(monitor: &impl OutboxHolder, env: &Env, config: &Config, now: i64) {
    let dropped = monitor.with_state(|state| Ok(state.outbox.expire(config, now))).unwrap_or_default();
    for pending in dropped {
        log::warn(
            "alert_dropped",
            json!({ "alert_id": pending.id, "target": pending.target, "endpoint": pending.alert.endpoint,
                    "attempts": pending.attempts, "last_error": pending.last_error }),
        );
    }
    // Targets take turns, one request each: a paging tool sending one event a request does
    // not hold the others up for a tick.
    let mut turns: Vec<(&AlertTarget, String, Option<String>)> = config
        .alerts
        .iter()
        .filter_map(|target| credentials(monitor, env, target).map(|(base, key)| (target, base, key)))
        .collect();
    let mut sent = 0;
    while !turns.is_empty() && sent < MAX_DELIVERIES_PER_TICK {
        let mut still = Vec::new();
        for (target, base, key) in turns {
            if sent >= MAX_DELIVERIES_PER_TICK {
                break;
            }
            let Ok(Some(batch)) = monitor.with_state(|s| Ok(s.outbox.batch_for(config, target, now))) else { continue };
            sent += 1;
            let request = batch.request(target, key.as_deref());
            let result = post(&address(&base, &request.path), &request, now).await;
            let _ = monitor.with_state(|s| {
                s.outbox.settle(config, &batch, &result, now);
                Ok(())
            });
            monitor.save();
            let fields = json!({ "target": batch.target, "alert_ids": batch.ids });
            match &result {
                SendResult::Delivered => {
                    log::info("alert_delivered", fields);
                    still.push((target, base, key));
                }
                SendResult::Retry { error, after_seconds } => log::warn(
                    "alert_retry",
                    json!({ "target": batch.target, "alert_ids": batch.ids, "error": error, "after_seconds": after_seconds }),
                ),
                SendResult::Rejected { error } => {
                    log::error(
                        "alert_rejected",
                        json!({ "target": batch.target, "alert_ids": batch.ids, "error": error }),
                    );
                    still.push((target, base, key));
                }
            }
        }
        turns = still;
    }
}

/// The target's address and key, from its secrets. A missing secret is logged (when a
/// message waits for it) and the target waits.
fn credentials(monitor: &impl OutboxHolder, env: &Env, target: &AlertTarget) -> Option<(String, Option<String>)> {
    // A value pasted with a newline would make an invalid header: trimmed.
    let secret = |name: &str| env.secret(name).map(|s| s.to_string().trim().to_string()).ok();
    let base = match &target.url {
        AlertUrl::Secret(name) => secret(name).ok_or(name),
        AlertUrl::Public(url) => Ok(url.clone()),
    };
    let key = match &target.key_secret {
        Some(name) => secret(name).map(Some).ok_or(name),
        None => Ok(None),
    };
    match (base, key) {
        (Ok(base), Ok(key)) => Some((base, key)),
        (Err(missing), _) | (_, Err(missing)) => {
            let waiting = monitor.with_state(|s| Ok(s.outbox.pending.iter().any(|p| p.target == target.id)));
            if waiting.unwrap_or(false) {
                log::error(
                    "alert_secret_missing",
                    json!({ "target": target.id, "secret": missing, "fix": format!("npx wrangler secret put {missing}") }),
                );
            }
            None
        }
    }
}

async fn post(url: &str, request: &AlertRequest, now: i64) -> SendResult {
    let request = (|| {
        let headers = Headers::new();
        headers.set("Content-Type", "application/json")?;
        if let Some(authorization) = &request.authorization {
            headers.set("Authorization", authorization)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_headers(headers).with_body(Some(request.body.as_str().into()));
        Request::new_with_init(url, &init)
    })();
    let request = match request {
        Ok(request) => request,
        Err(error) => return SendResult::Rejected { error: format!("the webhook URL is not usable: {error}") },
    };
    let controller = AbortController::default();
    let signal = controller.signal();
    let send = async move { Fetch::Request(request).send_with_signal(&signal).await };
    let timeout = Delay::from(Duration::from_millis(u64::from(DELIVERY_TIMEOUT_MS)));
    pin_mut!(send);
    match select(send, timeout).await {
        Either::Left((Ok(mut response), _)) => {
            let mut retry_after = response.headers().get("Retry-After").ok().flatten();
            let status = response.status_code();
            // Read (and so release) the body: an unread one holds a connection.
            let body = response.bytes().await.unwrap_or_default();
            if status == 429 && retry_after.is_none() {
                retry_after = retry_after_in_body(&String::from_utf8_lossy(&body));
            }
            send_result(Some(status), retry_after.as_deref(), "", now)
        }
        Either::Left((Err(error), _)) => send_result(None, None, &error.to_string(), now),
        Either::Right(_) => {
            controller.abort();
            send_result(None, None, "timed out", now)
        }
    }
}
