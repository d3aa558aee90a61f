//! `[[alert]]` as written to a target the worker can deliver to: a known kind, its address
//! and credentials as Worker secrets (never in the file, which is in the repository), the
//! fields its service needs (Telegram's chat, ntfy's topic), and a stable id.

use toml::Spanned;

use crate::errors::Errors;
use crate::limits::MAX_ALERT_TARGETS;
use crate::raw::RawAlert;
use crate::secrets::is_secret_name;
use crate::{AlertKind, AlertTarget, AlertUrl, Endpoint};

const KINDS: &str =
    "\"slack\", \"discord\", \"teams\", \"telegram\", \"pagerduty\", \"opsgenie\", \"ntfy\" or \"webhook\"";

/// A stable id per target, so a queued message always goes where it was meant to, even when
/// the list is reordered: `kind:SECRET` unless the target names its own `id`.
pub(crate) fn alerts(raw: Vec<Spanned<RawAlert>>, endpoints: &[Endpoint], errors: &mut Errors) -> Vec<AlertTarget> {
    let mut alerts: Vec<AlertTarget> = Vec::new();
    for spanned in raw {
        let span = spanned.span();
        let alert = spanned.into_inner();
        let Some(kind) = AlertKind::ALL.into_iter().find(|k| k.name() == alert.kind.get_ref()) else {
            errors.add(alert.kind.span(), format!("unknown alert kind {:?}: use {KINDS}", alert.kind.get_ref()));
            continue;
        };
        let Some(target) = target(kind, &alert, errors) else { continue };
        if let Some(name) = alert.endpoints.iter().find(|name| !endpoints.iter().any(|e| &e.name == *name)) {
            errors.add(span.clone(), format!("alert names the endpoint {name:?}, which is not configured"));
        }
        let max_age_minutes = match alert.max_age_minutes {
            Some(minutes) if !(1..=7 * 24 * 60).contains(&minutes) => {
                errors.add(span.clone(), "max_age_minutes must be between 1 and 10080 (a week)".into());
                24 * 60
            }
            Some(minutes) => minutes,
            None => 24 * 60,
        };
        let remind_minutes = remind_minutes(kind, alert.remind_minutes.as_ref(), errors);
        let id = alert.id.clone().unwrap_or_else(|| format!("{}:{}", kind.name(), target.naming));
        if alerts.len() == MAX_ALERT_TARGETS {
            errors.add(
                span.clone(),
                format!("at most {MAX_ALERT_TARGETS} alert targets: each waits in the monitor's saved state until delivered (send one webhook to a relay to reach more)"),
            );
            continue;
        }
        if alerts.iter().any(|a| a.id == id) {
            errors.add(
                span.clone(),
                format!("two alert targets have the id {id:?}: give one of them its own id = \"…\""),
            );
            continue;
        }
        alerts.push(AlertTarget {
            id,
            kind,
            url: target.url,
            key_secret: target.key_secret,
            chat: target.chat,
            topic: target.topic,
            endpoints: alert.endpoints,
            max_age_minutes,
            remind_minutes,
            line: errors.line(span),
        });
    }
    alerts
}

/// Reminders while trouble lasts: from every 10 minutes to once a day. Paging tools
/// re-notify by their own escalation policies, so they take none.
fn remind_minutes(kind: AlertKind, written: Option<&Spanned<u32>>, errors: &mut Errors) -> Option<u32> {
    let minutes = written?;
    if matches!(kind, AlertKind::Pagerduty | AlertKind::Opsgenie) {
        errors.add(
            minutes.span(),
            format!(
                "`remind_minutes` does not apply to a {} alert: it re-notifies by its own escalation policy",
                kind.name()
            ),
        );
        return None;
    }
    if !(10..=1440).contains(minutes.get_ref()) {
        errors.add(minutes.span(), "remind_minutes must be between 10 and 1440 (a day)".into());
        return None;
    }
    Some(*minutes.get_ref())
}

struct Target {
    url: AlertUrl,
    key_secret: Option<String>,
    chat: Option<String>,
    topic: Option<String>,
    /// What names the target in its default id: a secret's name, or the ntfy topic.
    naming: String,
}

/// The kind's address, key and fields, or `None` (with the errors said) when one is missing
/// or does not belong to the kind.
fn target(kind: AlertKind, alert: &RawAlert, errors: &mut Errors) -> Option<Target> {
    let mut ok = true;
    let wants_key = matches!(kind, AlertKind::Pagerduty | AlertKind::Opsgenie | AlertKind::Ntfy);
    for (field, given, belongs) in [
        ("key", &alert.key, wants_key),
        ("chat", &alert.chat, kind == AlertKind::Telegram),
        ("topic", &alert.topic, kind == AlertKind::Ntfy),
    ] {
        if let (Some(value), false) = (given, belongs) {
            errors.add(value.span(), format!("`{field}` does not apply to a {} alert", kind.name()));
            ok = false;
        }
    }
    let url = match (&alert.url, kind.default_url()) {
        (None, Some(default)) => Some(AlertUrl::Public(default.to_string())),
        (None, None) => {
            errors.add(alert.kind.span(), format!("a {} alert needs url = \"secret:NAME\" (its webhook address, stored with `wrangler secret put NAME`)", kind.name()));
            None
        }
        (Some(url), default) => address(kind, url, default.is_some(), errors),
    };
    let key_secret = match (&alert.key, kind) {
        (Some(key), _) => secret(key, "key", errors),
        (None, AlertKind::Pagerduty | AlertKind::Opsgenie) => {
            let what = if kind == AlertKind::Pagerduty {
                "the integration's routing key"
            } else {
                "the integration's API key"
            };
            errors.add(
                alert.kind.span(),
                format!(
                    "a {} alert needs key = \"secret:NAME\": {what}, stored with `wrangler secret put NAME`",
                    kind.name()
                ),
            );
            None
        }
        (None, _) => Some(String::new()),
    };
    let chat = match (&alert.chat, kind) {
        (Some(chat), AlertKind::Telegram) => telegram_chat(chat, errors),
        (None, AlertKind::Telegram) => {
            errors.add(
                alert.kind.span(),
                "a telegram alert needs chat = \"-1001234567890\" (the chat's id) or chat = \"@channel\"".into(),
            );
            None
        }
        _ => Some(String::new()),
    };
    let topic = match (&alert.topic, kind) {
        (Some(topic), AlertKind::Ntfy) => ntfy_topic(topic, errors),
        (None, AlertKind::Ntfy) => {
            errors.add(
                alert.kind.span(),
                "an ntfy alert needs topic = \"…\": 1 to 64 letters, digits, '-' or '_'".into(),
            );
            None
        }
        _ => Some(String::new()),
    };
    let (url, key_secret, chat, topic) = (url?, key_secret?, chat?, topic?);
    if !ok {
        return None;
    }
    let naming = match (&url, key_secret.as_str()) {
        (AlertUrl::Secret(name), _) => name.clone(),
        // The id is published (`GET /api/alerts`); on ntfy.sh a topic is read by whoever
        // knows it, so the id names it by a hash.
        (AlertUrl::Public(_), "") => format!("topic-{:016x}", fnv1a(topic.as_bytes())),
        (AlertUrl::Public(_), key) => key.to_string(),
    };
    let some = |s: String| (!s.is_empty()).then_some(s);
    Some(Target { url, key_secret: some(key_secret), chat: some(chat), topic: some(topic), naming })
}

/// `secret:NAME`, or for a service with a public address, that address over HTTPS.
fn address(kind: AlertKind, url: &Spanned<String>, public: bool, errors: &mut Errors) -> Option<AlertUrl> {
    let text = url.get_ref();
    if let Some(name) = text.strip_prefix("secret:") {
        return secret(url, "url", errors).map(|_| AlertUrl::Secret(name.to_string()));
    }
    if !public {
        errors.add(
            url.span(),
            format!(
                "a {} URL is a secret: store it with `wrangler secret put {}` and write url = \"secret:{}\"",
                kind.name(),
                example_secret(kind),
                example_secret(kind)
            ),
        );
        return None;
    }
    let host = text.strip_prefix("https://").map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    if host.is_none_or(str::is_empty) || text.len() > 2048 || text.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        errors.add(
            url.span(),
            format!(
                "{text:?} is not an https:// address (leave url out for {})",
                kind.default_url().unwrap_or("the default")
            ),
        );
        return None;
    }
    // A key goes only to its own service: another address must be a secret too.
    let hosts: &[&str] = match kind {
        AlertKind::Pagerduty => &["events.pagerduty.com", "events.eu.pagerduty.com"],
        AlertKind::Opsgenie => &["api.opsgenie.com", "api.eu.opsgenie.com", "api.atlassian.com"],
        _ => &[],
    };
    let host = host.unwrap_or_default();
    if !hosts.is_empty() && !hosts.contains(&host) {
        errors.add(
            url.span(),
            format!(
                "{host} is not {}'s ({}): its key goes only there; for another address, write url = \"secret:NAME\"",
                kind.name(),
                hosts.join(", ")
            ),
        );
        return None;
    }
    Some(AlertUrl::Public(text.clone()))
}

fn example_secret(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::Discord => "DISCORD_WEBHOOK_URL",
        AlertKind::Teams => "TEAMS_WEBHOOK_URL",
        AlertKind::Telegram => "TELEGRAM_URL",
        AlertKind::Webhook => "WEBHOOK_URL",
        _ => "SLACK_WEBHOOK_URL",
    }
}

/// The name in `secret:NAME`.
fn secret(value: &Spanned<String>, field: &str, errors: &mut Errors) -> Option<String> {
    match value.get_ref().strip_prefix("secret:").filter(|name| is_secret_name(name)) {
        Some(name) => Some(name.to_string()),
        None => {
            errors.add(value.span(), format!("{field} must name a Worker secret, such as {field} = \"secret:ALERT_KEY\" (store it with `wrangler secret put ALERT_KEY`)"));
            None
        }
    }
}

/// A numeric chat id (negative for groups and channels) or a public `@channelusername`.
fn telegram_chat(chat: &Spanned<String>, errors: &mut Errors) -> Option<String> {
    let text = chat.get_ref().trim();
    let numeric = text.strip_prefix('-').unwrap_or(text);
    let is_id = (1..=20).contains(&numeric.len()) && numeric.bytes().all(|b| b.is_ascii_digit());
    let is_channel = text.strip_prefix('@').is_some_and(|name| {
        (5..=32).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    if is_id || is_channel {
        Some(text.to_string())
    } else {
        errors.add(
            chat.span(),
            format!("chat {text:?} is neither a chat id (such as \"-1001234567890\") nor a channel (\"@name\")"),
        );
        None
    }
}

/// ntfy's topic names: `[-_A-Za-z0-9]{1,64}`.
fn ntfy_topic(topic: &Spanned<String>, errors: &mut Errors) -> Option<String> {
    let text = topic.get_ref();
    if (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Some(text.clone())
    } else {
        errors.add(topic.span(), format!("topic {text:?} must be 1 to 64 letters, digits, '-' or '_' (ntfy's rule)"));
        None
    }
}

/// FNV-1a, 64 bits: a stable name that does not give its input away at a glance.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x100_0000_01b3))
}
