//! What the worker accepts as a status update, and which posted incidents the views carry.
//! Limits apply here, where an update enters, before anything is saved: a refused update says
//! why and changes nothing, so the person posting still has the text to fix and send again.

use api::{PostedIncident, PostedUpdate, UpdatePost, UpdateStatus};

/// The most characters a message may have: a status update, not a post-mortem.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The most characters of an incident's title.
pub const MAX_TITLE_CHARS: usize = 160;
/// The most characters of an incident's name (`2026-12-04-api`, or the cockpit's id).
pub const MAX_KEY_CHARS: usize = 64;
/// The most characters of a severity (`SEV1`).
pub const MAX_SEVERITY_CHARS: usize = 32;
/// The most updates one incident holds; past it, open a new one.
pub const MAX_UPDATES: usize = 40;
/// The most bytes `POST /api/updates` reads: far above the largest update that can pass.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// How many posted incidents storage keeps; older ones are deleted as new ones come.
pub const KEPT_INCIDENTS: usize = 100;
/// How many the views carry, at most, and how long a resolved one stays on them.
pub const SHOWN_INCIDENTS: usize = 10;
/// The latest updates of each incident the views carry (all are kept in storage).
pub const SHOWN_UPDATES: usize = 10;
pub const SHOWN_RESOLVED_SECONDS: i64 = 7 * 86_400;
/// The most bytes of text the views carry: every reader of `/api/status` gets them. One
/// incident's shown updates always fit (10 × 2,000 characters of at most 4 bytes, and a title).
pub const SHOWN_TEXT_BYTES: usize = 96 * 1024;

/// `post` applied to the incident it names (`existing`, if it was posted before), at `now` by
/// the worker's clock. `endpoints` are the config's endpoint names. The error says what to fix.
pub fn apply(
    existing: Option<PostedIncident>,
    post: UpdatePost,
    endpoints: &[&str],
    now: i64,
) -> Result<PostedIncident, String> {
    let key = post.incident.trim();
    check_key(key)?;
    let text = clean_text(&post.text);
    if text.trim().is_empty() {
        return Err("the update has no text".into());
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(format!("the text has {chars} characters; an update holds at most {MAX_TEXT_CHARS}"));
    }
    let title = clean_line(&post.title);
    let title_chars = title.chars().count();
    if title_chars > MAX_TITLE_CHARS {
        return Err(format!("the title has {title_chars} characters; at most {MAX_TITLE_CHARS}"));
    }
    let severity = post.severity.as_deref().map(clean_line).filter(|s| !s.is_empty());
    if severity.as_ref().is_some_and(|s| s.chars().count() > MAX_SEVERITY_CHARS) {
        return Err(format!("the severity is longer than {MAX_SEVERITY_CHARS} characters"));
    }
    let mut named = Vec::new();
    for endpoint in &post.endpoints {
        if !endpoints.contains(&endpoint.as_str()) {
            return Err(format!(
                "no endpoint is named {:?}; the config has: {}",
                short(endpoint),
                endpoints.join(", ")
            ));
        }
        if !named.contains(endpoint) {
            named.push(endpoint.clone());
        }
    }
    let mut incident = match existing {
        Some(incident) => incident,
        None => PostedIncident {
            key: key.to_string(),
            title: String::new(),
            status: post.status,
            severity: None,
            endpoints: Vec::new(),
            started_at: now,
            updated_at: now,
            resolved_at: None,
            updates: Vec::new(),
        },
    };
    // The same update again (a retry after a lost answer, a second tab resolving) adds nothing;
    // one that also changes the title, severity or endpoints is a new update.
    let same_details = (title.is_empty() || title == incident.title)
        && (severity.is_none() || severity == incident.severity)
        && (named.is_empty() || named == incident.endpoints);
    if same_details && incident.latest().is_some_and(|latest| latest.status == post.status && latest.text == text) {
        return Ok(incident);
    }
    // The last place is kept for the resolution, so an incident can always be closed.
    let room = if post.status == UpdateStatus::Resolved { MAX_UPDATES } else { MAX_UPDATES - 1 };
    if incident.updates.len() >= room {
        return Err(format!(
            "the incident {key} holds {} updates already; resolve it, or post under a new name",
            incident.updates.len()
        ));
    }
    // The clock only goes forward within an incident, whatever the worker's clock did.
    let at = now.max(incident.updated_at);
    if !title.is_empty() {
        incident.title = title;
    }
    if incident.title.is_empty() {
        incident.title = first_line_title(&text);
    }
    if severity.is_some() {
        incident.severity = severity;
    }
    if !named.is_empty() {
        incident.endpoints = named;
    }
    incident.status = post.status;
    incident.updated_at = at;
    incident.resolved_at = (post.status == UpdateStatus::Resolved).then_some(at);
    let number = incident.updates.last().map_or(1, |u| u.number + 1);
    incident.updates.push(PostedUpdate { number, at, status: post.status, text });
    Ok(incident)
}

/// The posted incidents the views carry, from the most recently updated ones storage gave
/// (newest first): every open one first, then those resolved within a week, each with its
/// latest [`SHOWN_UPDATES`] updates, at most [`SHOWN_INCIDENTS`], within [`SHOWN_TEXT_BYTES`].
/// Storage keeps every update; the views carry what a reader needs now.
pub fn shown(recent: Vec<PostedIncident>, now: i64) -> Vec<PostedIncident> {
    let (open, resolved): (Vec<_>, Vec<_>) = recent.into_iter().partition(PostedIncident::is_open);
    let recently_resolved =
        resolved.into_iter().filter(|i| i.resolved_at.is_some_and(|at| now - at <= SHOWN_RESOLVED_SECONDS));
    let mut bytes = 0;
    let mut shown = Vec::new();
    for mut incident in open.into_iter().chain(recently_resolved) {
        let skip = incident.updates.len().saturating_sub(SHOWN_UPDATES);
        incident.updates.drain(..skip);
        let size = incident.updates.iter().map(|u| u.text.len()).sum::<usize>() + incident.title.len();
        if shown.len() == SHOWN_INCIDENTS || bytes + size > SHOWN_TEXT_BYTES {
            break;
        }
        bytes += size;
        shown.push(incident);
    }
    shown
}

/// Statuspage's impact of a severity: `SEV1`/`P1`/`critical` → critical, 2 → major,
/// 3 → minor, anything else → none.
pub fn impact(severity: Option<&str>) -> &'static str {
    let Some(severity) = severity else { return "none" };
    let lower = severity.to_lowercase();
    match lower.chars().find(char::is_ascii_digit) {
        Some('0' | '1') => "critical",
        Some('2') => "major",
        Some('3') => "minor",
        Some(_) => "none",
        None if lower.contains("critical") => "critical",
        None if lower.contains("major") || lower.contains("high") => "major",
        None if lower.contains("minor") || lower.contains("low") => "minor",
        None => "none",
    }
}

fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("the update names no incident (\"incident\": a name such as 2026-12-04-api)".into());
    }
    if key.chars().count() > MAX_KEY_CHARS {
        return Err(format!("the incident's name is longer than {MAX_KEY_CHARS} characters"));
    }
    if !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(format!("the incident's name {:?} may hold only letters, digits, '.', '_' and '-'", short(key)));
    }
    Ok(())
}

/// Line breaks as `\n`, tabs kept, every other control character dropped, and what could
/// deceive or break a reader ([`hidden`]): plain text.
fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|c| (!c.is_control() || *c == '\n' || *c == '\t') && !hidden(*c))
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// One line: controls and line breaks become spaces, [`hidden`] characters are dropped,
/// trimmed.
fn clean_line(text: &str) -> String {
    text.chars()
        .filter(|c| !hidden(*c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069), which could reverse
/// the words shown after them wherever the text is quoted (right-to-left text needs none of
/// them; the marks U+200E/200F stay), and U+FFFE/U+FFFF, which XML forbids.
fn hidden(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FFFE}' | '\u{FFFF}')
}

/// A title from the text when none was given: its first line, `INCIDENT:` and the like
/// dropped, cut to the title's length on a character boundary.
fn first_line_title(text: &str) -> String {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("Incident");
    let line = match line.split_once(':') {
        Some((label, rest)) if label.len() <= 12 && !rest.trim().is_empty() => rest.trim(),
        _ => line,
    };
    line.chars().take(MAX_TITLE_CHARS).collect()
}

/// A value quoted back in an error, cut short on a character boundary.
fn short(text: &str) -> String {
    text.chars().take(40).collect()
}
