//! Durations as runbooks write them in severity and escalation tables.

/// A response time or escalation delay from a table cell.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Deadline {
    /// "Immediate", "Immediately", "Now": due at once.
    Immediate,
    /// A fixed delay in seconds: "< 30 min", "2 hours", "1h 30m".
    After(u64),
    /// A phrase the clock cannot count ("Next business day", "Next standup"): shown as written.
    Unclocked(String),
}

impl Deadline {
    pub fn seconds(&self) -> Option<u64> {
        match self {
            Deadline::Immediate => Some(0),
            Deadline::After(seconds) => Some(*seconds),
            Deadline::Unclocked(_) => None,
        }
    }
}

/// Parses a table cell such as `Immediate`, `< 30 min`, `30 minutes`, `2 hours`, `1.5h`,
/// `within 15 minutes`, `15-30 min` (a range counts from its lower end: escalate early).
/// Anything else is [`Deadline::Unclocked`], kept as written.
pub fn parse_deadline(text: &str) -> Deadline {
    let cleaned = text.trim();
    let lower = cleaned.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric() && c != '.').filter(|w| !w.is_empty()).collect();
    if matches!(words.as_slice(), ["immediate" | "immediately" | "now" | "asap" | "instant" | "instantly"]) {
        return Deadline::Immediate;
    }
    match sum_of_quantities(&lower) {
        Some(seconds) => Deadline::After(seconds),
        None => Deadline::Unclocked(cleaned.to_string()),
    }
}

/// Adds up "N unit" pairs ("1 hour 30 minutes", "1h30m"). Only fillers such as "<", "within"
/// and "up to" may surround them; any other word means the text is not a plain duration.
fn sum_of_quantities(lower: &str) -> Option<u64> {
    let mut total = 0.0f64;
    let mut found = false;
    let mut pending: Option<f64> = None;
    for token in tokens(lower) {
        match token {
            Token::Number(n) => {
                // In "15-30 min" the second number only closes the range.
                if pending.is_none() {
                    pending = Some(n);
                }
            }
            Token::Word(word) => {
                if let Some(unit) = unit_seconds(word) {
                    total += pending.take()? * unit;
                    found = true;
                } else if !is_filler(word) {
                    return None;
                }
            }
        }
    }
    (found && pending.is_none() && total.is_finite()).then(|| total.round() as u64)
}

enum Token<'a> {
    Number(f64),
    Word(&'a str),
}

fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| !c.is_alphanumeric());
        let first = rest.chars().next()?;
        let end = if first.is_ascii_digit() {
            rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len())
        } else {
            rest.find(|c: char| !c.is_alphabetic()).unwrap_or(rest.len())
        };
        let (token, tail) = rest.split_at(end.max(first.len_utf8()));
        rest = tail;
        Some(match token.parse::<f64>() {
            Ok(n) if first.is_ascii_digit() => Token::Number(n),
            _ => Token::Word(token),
        })
    })
}

fn unit_seconds(word: &str) -> Option<f64> {
    Some(match word {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        _ => return None,
    })
}

fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "within" | "in" | "under" | "up" | "to" | "after" | "less" | "than" | "max" | "at" | "most" | "and" | "or"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_phrases_parse_to_deadlines() {
        let cases = [
            ("Immediate", Deadline::Immediate),
            ("Immediately", Deadline::Immediate),
            ("< 30 min", Deadline::After(1800)),
            ("30 minutes", Deadline::After(1800)),
            ("< 2 hours", Deadline::After(7200)),
            ("2 hours", Deadline::After(7200)),
            ("1.5h", Deadline::After(5400)),
            ("1 hour 30 minutes", Deadline::After(5400)),
            ("1h30m", Deadline::After(5400)),
            ("within 15 minutes", Deadline::After(900)),
            ("15-30 min", Deadline::After(900)),
            ("1 day", Deadline::After(86_400)),
            ("Next business day", Deadline::Unclocked("Next business day".into())),
            ("Next standup", Deadline::Unclocked("Next standup".into())),
            ("30", Deadline::Unclocked("30".into())),
            ("", Deadline::Unclocked(String::new())),
            ("2 hours or when paged twice", Deadline::Unclocked("2 hours or when paged twice".into())),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_deadline(text), expected, "{text:?}");
        }
    }
}
