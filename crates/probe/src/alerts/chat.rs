//! Chat and push formats that take several changes in one message, all as plain text, so a
//! server's words cannot format anything or mention anyone (Telegram and ntfy still make a
//! written address clickable):
//!
//! - Microsoft Teams (Workflows webhook): an Adaptive Card whose text is all `TextRun`s
//!   (no Markdown, unlike `TextBlock`), 28 KB a message.
//! - Telegram `sendMessage` without `parse_mode`: 4,096 characters, counted in UTF-16.
//! - ntfy JSON publishing: the message at most 4,096 bytes (longer becomes an attachment),
//!   at most three actions.

use api::State;
use serde_json::{json, Value};

use super::alert::{cap, cap_bytes, cap_utf16, summary, Alert};
use super::paging::is_absolute;

const TEAMS_ALERTS: usize = 10;
const TEAMS_LINE: usize = 600;
const TEAMS_ACTIONS: usize = 5;
const TELEGRAM_TEXT: usize = 4096;
const NTFY_TITLE: usize = 250;
const NTFY_MESSAGE_BYTES: usize = 4096;

/// Each change's headline and lines, a blank line between changes. Telegram and the ntfy
/// apps turn `@name` in plain text into a mention: a server's `@` is kept from starting one.
fn plain_text(alerts: &[&Alert]) -> String {
    let unmention = |cause: &str| cause.replace('@', "@\u{200b}");
    let blocks: Vec<String> =
        alerts.iter().map(|a| format!("{}\n{}", a.headline(), a.details(unmention).join("\n"))).collect();
    blocks.join("\n\n")
}

/// The worst state among the changes, for a colour, a priority or a tag.
fn worst(alerts: &[&Alert]) -> State {
    alerts.iter().map(|a| a.to).max().unwrap_or(State::Up)
}

pub fn teams(alerts: &[&Alert]) -> Value {
    let run = |text: &str, extra: Value| {
        let mut inline = json!({ "type": "TextRun", "text": cap(text, TEAMS_LINE) });
        if let (Some(inline), Value::Object(extra)) = (inline.as_object_mut(), extra) {
            inline.extend(extra);
        }
        json!({ "type": "RichTextBlock", "inlines": [inline] })
    };
    let mut body = vec![run(&summary(alerts), json!({ "weight": "Bolder", "size": "Medium" }))];
    for alert in alerts.iter().take(TEAMS_ALERTS) {
        let colour = match alert.to {
            State::Up => "Good",
            State::Down => "Attention",
            State::Unknown => "Default",
            _ => "Warning",
        };
        let mut headline = run(&alert.headline(), json!({ "weight": "Bolder", "color": colour }));
        headline["separator"] = json!(true);
        body.push(headline);
        for line in alert.details(str::to_string) {
            let mut detail = run(&line, json!({}));
            detail["spacing"] = json!("None");
            body.push(detail);
        }
    }
    if alerts.len() > TEAMS_ALERTS {
        body.push(run(&format!("…and {} more changes on the status page", alerts.len() - TEAMS_ALERTS), json!({})));
    }
    let mut actions: Vec<Value> = Vec::new();
    let links = alerts.iter().filter_map(|a| a.runbook.as_deref().map(|r| (format!("Runbook: {}", a.endpoint), r)));
    for (title, url) in links.filter(|(_, url)| is_absolute(url)).take(TEAMS_ACTIONS - 1) {
        actions.push(json!({ "type": "Action.OpenUrl", "title": cap(&title, 80), "url": url }));
    }
    if let Some(page) = alerts.iter().find_map(|a| a.status_page.as_deref()).filter(|p| is_absolute(p)) {
        actions.push(json!({ "type": "Action.OpenUrl", "title": "Status page", "url": page }));
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": actions,
            },
        }],
    })
}

pub fn telegram(alerts: &[&Alert], chat: &str) -> Value {
    json!({
        "chat_id": chat,
        "text": cap_utf16(&plain_text(alerts), TELEGRAM_TEXT),
        "link_preview_options": { "is_disabled": true },
    })
}

pub fn ntfy(alerts: &[&Alert], topic: &str) -> Value {
    let state = worst(alerts);
    let (priority, tag) = match state {
        State::Down => (5, "rotating_light"),
        State::Regional => (4, "warning"),
        State::Degraded => (3, "hourglass"),
        State::Unknown => (3, "grey_question"),
        State::Up => (3, "white_check_mark"),
    };
    let mut actions: Vec<Value> = Vec::new();
    if let Some(runbook) = alerts.iter().rev().find_map(|a| a.runbook.as_deref()).filter(|r| is_absolute(r)) {
        actions.push(json!({ "action": "view", "label": "Runbook", "url": runbook }));
    }
    let page = alerts.iter().find_map(|a| a.status_page.as_deref()).filter(|p| is_absolute(p));
    if let Some(page) = page {
        actions.push(json!({ "action": "view", "label": "Status page", "url": page }));
    }
    let mut message = json!({
        "topic": topic,
        "title": cap(&summary(alerts), NTFY_TITLE),
        "message": cap_bytes(&plain_text(alerts), NTFY_MESSAGE_BYTES),
        "priority": priority,
        "tags": [tag],
        "actions": actions,
    });
    if let Some(page) = page {
        message["click"] = json!(page);
    }
    message
}
