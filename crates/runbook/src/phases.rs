//! Phases: the numbered stages of a response, some with a time window such as
//! `### 1. Detection & Triage (0-5 minutes)`, so the clock can say where the team should be.

use document::model::HeadingRef;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Phase {
    /// "Detection & Triage": the heading without its number and window.
    pub title: String,
    /// The heading as written.
    pub heading: String,
    pub anchor: String,
    /// Index of the phase heading in [`crate::Runbook::headings`].
    pub heading_index: usize,
    pub window: Option<Window>,
}

/// Seconds since the incident started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Window {
    pub start: u64,
    /// `None` for an open-ended window ("30+ minutes").
    pub end: Option<u64>,
}

/// Headings with a time window, and their numbered siblings (same level, same parent), in
/// document order. A runbook without any time window has no phases.
pub fn find_phases(headings: &[HeadingRef]) -> Vec<Phase> {
    let Some(first) = headings.iter().position(|h| time_window(&h.text).is_some()) else {
        return Vec::new();
    };
    let level = headings[first].level;
    let parent = headings[..first].iter().rposition(|h| h.level < level);
    let siblings_end = headings[first..].iter().position(|h| h.level < level).map_or(headings.len(), |i| first + i);
    let siblings_start = parent.map_or(0, |p| p + 1);
    let mut phases = Vec::new();
    for (index, heading) in headings.iter().enumerate().take(siblings_end).skip(siblings_start) {
        if heading.level != level {
            continue;
        }
        let window = time_window(&heading.text);
        let numbered = leading_number(&heading.text).is_some();
        if window.is_some() || numbered {
            phases.push(Phase {
                title: bare_title(&heading.text),
                heading: heading.text.clone(),
                anchor: heading.anchor.clone(),
                heading_index: index,
                window,
            });
        }
    }
    phases
}

/// The phase the team should be in `elapsed` seconds after the start: the one whose window
/// holds it; past every window, the first phase after the last windowed one (its window is
/// taken to start where the previous one ended).
pub fn phase_at(phases: &[Phase], elapsed: u64) -> Option<usize> {
    let mut current = None;
    for (index, phase) in phases.iter().enumerate() {
        match phase.window {
            Some(window) if window.start <= elapsed => {
                current = Some(index);
                if window.end.is_none_or(|end| elapsed < end) {
                    return current;
                }
            }
            Some(_) => return current.or(Some(index)),
            None => {
                let previous_end = index.checked_sub(1).and_then(|i| phases[i].window).and_then(|w| w.end);
                if previous_end.is_some_and(|end| elapsed >= end) {
                    return Some(index);
                }
            }
        }
    }
    current
}

/// `(0-5 minutes)`, `(5–10 min)`, `(30+ minutes)`, `(first 15 minutes)`, `(1-2 hours)`.
pub fn time_window(heading: &str) -> Option<Window> {
    let inner = heading.trim().strip_suffix(')')?;
    let inner = &inner[inner.rfind('(')? + 1..];
    let lower = inner.to_lowercase();
    let (numbers, unit) = lower.trim().rsplit_once(' ')?;
    let unit = match unit {
        "s" | "sec" | "secs" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        _ => return None,
    };
    let numbers = numbers.trim().strip_prefix("first ").unwrap_or(numbers.trim());
    let number = |text: &str| text.trim().parse::<u64>().ok();
    // Checked: a heading may say "(18446744073709551615 hours)".
    let seconds = |text: &str| number(text)?.checked_mul(unit);
    let window = if let Some(start) = numbers.strip_suffix('+') {
        Window { start: seconds(start)?, end: None }
    } else if let Some((start, end)) = numbers.split_once(['-', '–', '—']) {
        Window { start: seconds(start)?, end: Some(seconds(end)?) }
    } else {
        Window { start: 0, end: Some(seconds(numbers)?) }
    };
    (window.end.is_none_or(|end| end > window.start)).then_some(window)
}

fn leading_number(text: &str) -> Option<&str> {
    let digits = text.trim_start().split(['.', ')']).next()?;
    let rest = &text.trim_start()[digits.len()..];
    (!digits.is_empty()
        && digits.len() <= 3
        && digits.chars().all(|c| c.is_ascii_digit())
        && rest.starts_with(['.', ')']))
    .then_some(digits)
}

/// "1. Detection & Triage (0-5 minutes)" → "Detection & Triage".
pub(crate) fn bare_title(text: &str) -> String {
    let mut title = text.trim();
    if let Some(digits) = leading_number(title) {
        title = title[digits.len() + 1..].trim_start();
    }
    if time_window(title).is_some() {
        if let Some(open) = title.rfind('(') {
            title = title[..open].trim_end();
        }
    }
    title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_windows_parse_in_their_common_spellings() {
        let w = |start, end| Some(Window { start, end });
        assert_eq!(time_window("1. Detection & Triage (0-5 minutes)"), w(0, Some(300)));
        assert_eq!(time_window("Communicate (5–10 min)"), w(300, Some(600)));
        assert_eq!(time_window("Recover (30+ minutes)"), w(1800, None));
        assert_eq!(time_window("Triage (first 15 minutes)"), w(0, Some(900)));
        assert_eq!(time_window("Stabilise (1-2 hours)"), w(3600, Some(7200)));
        assert_eq!(time_window("Complete Service Outage (SEV1)"), None);
        assert_eq!(time_window("Backwards (10-5 minutes)"), None);
    }

    #[test]
    fn titles_lose_their_number_and_window() {
        assert_eq!(bare_title("1. Detection & Triage (0-5 minutes)"), "Detection & Triage");
        assert_eq!(bare_title("4) Mitigation"), "Mitigation");
        assert_eq!(bare_title("Post-Incident"), "Post-Incident");
    }
}
