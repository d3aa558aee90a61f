//! Message bodies in each platform's shape, escaped for its markup and cut to its limits.
//! A probed server's words reach these messages (`cause`), so they are hostile: Slack's
//! `&`, `<`, `>` are escaped (no `<!channel>`, no disguised links), Discord's markdown and
//! mentions are neutralised and mentions switched off, and every text is capped.

use api::State;
use config::{AlertKind, AlertTarget};
use serde_json::{json, Value};

use super::alert::{cap, summary, Alert, MAX_CAUSE_CHARS};
use super::{chat, paging};

// Platform limits (Slack: header text 150, section text 3000, 50 blocks; Discord: content
// 2000, 10 embeds, title 256, description 4096, 6000 in all).
const SLACK_HEADER: usize = 150;
const SLACK_SECTION: usize = 3000;
const SLACK_SECTIONS: usize = 20;
const SLACK_TEXT: usize = 3000;
const DISCORD_CONTENT: usize = 2000;
const DISCORD_EMBEDS: usize = 10;
const DISCORD_TITLE: usize = 256;
const DISCORD_DESCRIPTION: usize = 500;

/// One request to a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Appended to the target's address: Opsgenie closes an alert at its own address.
    pub path: String,
    /// The `Authorization` header, for targets whose key travels in one.
    pub authorization: Option<String>,
    pub body: String,
}

/// Where a request goes: the target's address, and the request's own path after it.
pub fn address(base: &str, path: &str) -> String {
    if path.is_empty() {
        base.to_string()
    } else {
        format!("{}{path}", base.trim_end_matches('/'))
    }
}

/// Messages one request may carry: paging tools take one event per request.
pub fn batch_limit(kind: AlertKind) -> usize {
    match kind {
        AlertKind::Pagerduty | AlertKind::Opsgenie => 1,
        _ => 20,
    }
}

/// The request to `target` carrying `alerts` (oldest first), whose ids are `ids` (the
/// generic webhook carries them, so receivers can drop repeats). `key` is the value of the
/// target's key secret.
pub fn request(target: &AlertTarget, alerts: &[&Alert], ids: &[u64], key: Option<&str>) -> Request {
    let key = key.unwrap_or_default();
    let plain = |value: Value| Request { path: String::new(), authorization: None, body: value.to_string() };
    // The outbox never makes an empty batch; a paging event needs one message.
    let Some(first) = alerts.first().copied() else { return plain(json!({})) };
    match target.kind {
        AlertKind::Slack => plain(slack(alerts)),
        AlertKind::Discord => plain(discord(alerts)),
        AlertKind::Webhook => plain(webhook(alerts, ids)),
        AlertKind::Teams => plain(chat::teams(alerts)),
        AlertKind::Telegram => plain(chat::telegram(alerts, target.chat.as_deref().unwrap_or_default())),
        AlertKind::Ntfy => Request {
            authorization: (!key.is_empty()).then(|| format!("Bearer {key}")),
            ..plain(chat::ntfy(alerts, target.topic.as_deref().unwrap_or_default()))
        },
        AlertKind::Pagerduty => plain(paging::pagerduty(first, key)),
        AlertKind::Opsgenie => {
            let (path, body) = paging::opsgenie(first);
            Request { path, authorization: Some(format!("GenieKey {key}")), body: body.to_string() }
        }
    }
}

fn slack(alerts: &[&Alert]) -> Value {
    let mut blocks = vec![
        json!({ "type": "header", "text": { "type": "plain_text", "text": cap(&summary(alerts), SLACK_HEADER) } }),
    ];
    for alert in alerts.iter().take(SLACK_SECTIONS) {
        let text = format!(
            "*{}*\n{}",
            slack_escape(&alert.headline()),
            slack_escape(&alert.details(str::to_string).join("\n"))
        );
        blocks.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": cap(&text, SLACK_SECTION) } }));
    }
    if alerts.len() > SLACK_SECTIONS {
        let more = format!("…and {} more changes on the status page", alerts.len() - SLACK_SECTIONS);
        blocks.push(json!({ "type": "section", "text": { "type": "plain_text", "text": more } }));
    }
    let text: Vec<String> =
        alerts.iter().map(|a| format!("{}\n{}", a.headline(), a.details(str::to_string).join("\n"))).collect();
    json!({ "text": cap(&slack_escape(&text.join("\n\n")), SLACK_TEXT), "blocks": blocks })
}

fn discord(alerts: &[&Alert]) -> Value {
    let embeds: Vec<Value> = alerts
        .iter()
        .take(DISCORD_EMBEDS)
        .map(|alert| {
            json!({
                "title": cap(&alert.headline(), DISCORD_TITLE),
                "description": cap(&alert.details(discord_escape).join("\n"), DISCORD_DESCRIPTION),
                "color": colour(alert.to),
            })
        })
        .collect();
    // Names and regions come from the config; only causes come from servers.
    let mut content = summary(alerts);
    if alerts.len() > DISCORD_EMBEDS {
        content.push_str(&format!(" (…and {} more on the status page)", alerts.len() - DISCORD_EMBEDS));
    }
    json!({
        "content": cap(&content, DISCORD_CONTENT),
        "embeds": embeds,
        // Nobody is pinged by what a probed server wrote.
        "allowed_mentions": { "parse": [] },
    })
}

fn webhook(alerts: &[&Alert], ids: &[u64]) -> Value {
    let changes: Vec<Value> = alerts
        .iter()
        .zip(ids)
        .map(|(alert, id)| {
            json!({
                "id": id,
                "endpoint": alert.endpoint,
                "from": alert.from,
                "to": alert.to,
                "flapping": alert.flapping,
                "reminder": alert.reminder,
                "since": alert.since,
                "regions": alert.regions,
                "cause": cap(&alert.cause, MAX_CAUSE_CHARS),
                "status_page": alert.status_page,
                "runbook": alert.runbook,
            })
        })
        .collect();
    json!({ "type": "outpost.state_changes", "ids": ids, "changes": changes })
}

/// Slack mrkdwn: `&`, `<` and `>` are its only control characters.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Discord markdown, for a server's words: every formatting character is escaped, and `@`
/// cannot start a mention.
fn discord_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '[' | ']' | '(' | ')' | '#' | '-' => {
                out.push('\\');
                out.push(c);
            }
            '@' => out.push_str("@\u{200b}"),
            c => out.push(c),
        }
    }
    out
}

fn colour(state: State) -> u32 {
    match state {
        State::Up => 0x1f7a4d,
        State::Unknown => 0x6b6b6b,
        State::Degraded => 0xa37f00,
        State::Regional => 0xd26a00,
        State::Down => 0xc4320a,
    }
}
