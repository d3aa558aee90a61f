//! One `[[heartbeat]]`, checked: a job that reports in (`POST /api/heartbeat/<name>` with its
//! token) instead of being probed. It becomes an endpoint whose transport is
//! [`Transport::Heartbeat`], so the detector, the page, history and alerts treat a missed beat
//! as they treat an endpoint that is down. A mistake leaves out this heartbeat only.

use toml::Spanned;

use crate::endpoint::{endpoint_name, runbook_link};
use crate::errors::Errors;
use crate::raw::RawHeartbeat;
use crate::secrets::is_secret_name;
use crate::transport::Transport;
use crate::{Endpoint, Platform, DEFAULT_MAX_BODY_BYTES, DEFAULT_SLOW_MS};

/// The shortest and longest expected period: a beat a minute at most often (the probe
/// evaluates at its own cadence), and a week at the longest.
pub const MIN_PERIOD_SECONDS: u32 = 60;
/// Local runs (the tests, `cargo xtask dev`) step rounds by hand a second apart: a period of
/// seconds lets them see a beat missed without waiting minutes.
pub const MIN_PERIOD_SECONDS_LOCAL: u32 = 2;
pub const MAX_PERIOD_SECONDS: u32 = 7 * 86_400;
/// The longest grace after a missed period.
pub const MAX_GRACE_SECONDS: u32 = 86_400;
/// The grace when none is written: a job that runs a little late is not an outage.
pub const DEFAULT_GRACE_SECONDS: u32 = 60;
/// The most heartbeats a config may have: each is evaluated on every report.
pub const MAX_HEARTBEATS: usize = 50;

/// The heartbeat as an endpoint, or `None` with every mistake in `errors`.
pub(crate) fn validate(
    spanned: Spanned<RawHeartbeat>,
    earlier: &[Endpoint],
    count: usize,
    platform: Platform,
    errors: &mut Errors,
) -> Option<Endpoint> {
    let table_span = spanned.span();
    let raw = spanned.into_inner();
    let before = errors.list.len();
    if count >= MAX_HEARTBEATS {
        errors.add(table_span.clone(), format!("at most {MAX_HEARTBEATS} heartbeats: this one is left out"));
        return None;
    }
    let name = endpoint_name(&raw.name, earlier, errors);
    let period_seconds = *raw.period_seconds.get_ref();
    let shortest = if platform.local { MIN_PERIOD_SECONDS_LOCAL } else { MIN_PERIOD_SECONDS };
    if !(shortest..=MAX_PERIOD_SECONDS).contains(&period_seconds) {
        errors.add(
            raw.period_seconds.span(),
            format!(
                "heartbeat {name:?}: period_seconds = {period_seconds} is out of range: {shortest} to {MAX_PERIOD_SECONDS} (a week)"
            ),
        );
    }
    let grace_seconds = raw.grace_seconds.as_ref().map_or(DEFAULT_GRACE_SECONDS, |g| *g.get_ref());
    if let Some(grace) = raw.grace_seconds.as_ref().filter(|_| grace_seconds > MAX_GRACE_SECONDS) {
        errors.add(grace.span(), format!("heartbeat {name:?}: grace_seconds is at most {MAX_GRACE_SECONDS} (a day)"));
    }
    let token = match raw.token.get_ref().trim().strip_prefix("secret:") {
        // The probe's own tokens would open its other routes to whoever runs the job.
        Some(secret @ ("PROBE_TOKEN" | "UPDATES_TOKEN")) => {
            errors.add(
                raw.token.span(),
                format!(
                    "heartbeat {name:?}: {secret} opens other routes of the probe; give the job a secret of its own"
                ),
            );
            String::new()
        }
        Some(secret) if is_secret_name(secret) => secret.to_string(),
        _ => {
            errors.add(
                raw.token.span(),
                format!(
                    "heartbeat {name:?}: token must name a Worker secret, such as token = \"secret:BACKUP_BEAT_TOKEN\" (never the token itself: this file is public)"
                ),
            );
            String::new()
        }
    };
    if let Some(runbook) = &raw.runbook {
        runbook_link(runbook, &table_span, errors);
    }
    (errors.list.len() == before).then(|| Endpoint {
        url: format!("heartbeat://{name}"),
        name,
        method: "POST".to_string(),
        expect_status: Vec::new(),
        assertions: Vec::new(),
        slow_ms: DEFAULT_SLOW_MS,
        timeout_ms: 0,
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        headers: Vec::new(),
        runbook: raw.runbook,
        hosts: Default::default(),
        transport: Transport::Heartbeat { period_seconds, grace_seconds, token },
        follow_redirects: false,
        line: errors.line(table_span),
    })
}
