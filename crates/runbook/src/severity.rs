//! Severity levels and escalation rules, read from the runbook's own tables.
//!
//! A severity table is any table whose key column holds levels (`SEV1`, `P2`, `S3`, or words
//! such as `Critical` under a "Severity"/"Priority"/"Level" header). An escalation table is
//! keyed by the same levels and has an "after" column and a "to" column.

use crate::duration::{parse_deadline, Deadline};
use document::model::{Block, Inline, Table};
use document::text::plain_text;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SeverityLevel {
    /// As written in the table: `SEV1`, `P2`, `Critical`.
    pub key: String,
    pub definition: String,
    /// The response-time cell as written, and parsed.
    pub response_text: String,
    pub response: Deadline,
    pub examples: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EscalationRule {
    pub level: String,
    pub after_text: String,
    pub after: Deadline,
    pub to: String,
}

/// The severity picker's levels (most severe first, as tables list them) and escalation rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Severities {
    pub levels: Vec<SeverityLevel>,
    pub escalation: Vec<EscalationRule>,
}

impl Severities {
    pub fn level(&self, key: &str) -> Option<&SeverityLevel> {
        self.levels.iter().find(|l| same_level(&l.key, key))
    }

    pub fn escalation_for(&self, key: &str) -> Option<&EscalationRule> {
        self.escalation.iter().find(|r| same_level(&r.level, key))
    }

    /// What the picker says before a level is chosen: the levels' shared stem when they are
    /// numbered (`SEV…` for SEV1–SEV4, `P…` for P1–P4), so it reads alone on a phone where
    /// the "Severity" label is hidden; `Choose…` for named levels.
    pub fn placeholder(&self) -> String {
        let stem = |key: &str| -> (String, bool) {
            let letters: String = key.chars().take_while(|c| c.is_alphabetic()).collect();
            let numbered =
                key[letters.len()..].trim_start_matches([' ', '-']).starts_with(|c: char| c.is_ascii_digit());
            (letters, numbered)
        };
        let stems: Vec<(String, bool)> = self.levels.iter().map(|l| stem(&l.key)).collect();
        match stems.first() {
            Some((first, _))
                if !first.is_empty()
                    && stems.iter().all(|(letters, numbered)| *numbered && letters.eq_ignore_ascii_case(first)) =>
            {
                format!("{first}…")
            }
            _ => "Choose…".into(),
        }
    }
}

/// Compares level names ignoring case, spaces and dashes: `Sev 1` = `SEV1` = `sev-1`.
pub fn same_level(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

fn normalise(level: &str) -> String {
    level.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect()
}

pub fn find_severities(blocks: &[Block]) -> Severities {
    let tables: Vec<&Table> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    let mut severities = Severities::default();
    for table in &tables {
        let header: Vec<String> = table.header.iter().map(|c| plain_text(c).to_lowercase()).collect();
        let Some(key_column) = key_column(table, &header) else {
            continue;
        };
        if let Some(rules) = escalation_rules(table, &header, key_column) {
            if severities.escalation.is_empty() {
                severities.escalation = rules;
            }
        } else if severities.levels.is_empty() {
            severities.levels = severity_levels(table, &header, key_column);
        }
    }
    // A runbook with only an escalation table still gets a picker with its levels.
    if severities.levels.is_empty() {
        severities.levels = severities
            .escalation
            .iter()
            .map(|rule| SeverityLevel {
                key: rule.level.clone(),
                definition: String::new(),
                response_text: String::new(),
                response: Deadline::Unclocked(String::new()),
                examples: String::new(),
            })
            .collect();
    }
    severities
}

/// The column whose cells name severity levels in at least half the rows (and two or more).
fn key_column(table: &Table, header: &[String]) -> Option<usize> {
    if table.rows.len() < 2 {
        return None;
    }
    (0..header.len()).find(|&column| {
        let named_levels =
            matches!(header[column].as_str(), "severity" | "priority" | "level" | "sev" | "severity level");
        let matching = table.rows.iter().filter(|row| is_level(&cell(row, column), named_levels)).count();
        matching >= 2 && matching * 2 >= table.rows.len()
    })
}

fn is_level(text: &str, header_names_levels: bool) -> bool {
    let compact = normalise(text);
    let coded = ["SEV", "S", "P"].iter().any(|prefix| {
        compact
            .strip_prefix(prefix)
            .is_some_and(|digits| !digits.is_empty() && digits.len() <= 2 && digits.chars().all(|c| c.is_ascii_digit()))
    });
    let worded = header_names_levels
        && matches!(
            compact.as_str(),
            "CRITICAL"
                | "HIGH"
                | "MEDIUM"
                | "MODERATE"
                | "LOW"
                | "MAJOR"
                | "MINOR"
                | "INFO"
                | "INFORMATIONAL"
                | "EMERGENCY"
                | "URGENT"
        );
    coded || worded
}

fn escalation_rules(table: &Table, header: &[String], key_column: usize) -> Option<Vec<EscalationRule>> {
    let after = find_column(header, &["escalate after", "after", "within", "when", "escalat", "time"], key_column)?;
    let to = find_column(header, &["escalate to", "to", "who", "contact", "notify", "page", "owner"], key_column)?;
    let is_escalation = header.iter().any(|h| h.contains("escalat") || h == "after" || h == "to");
    if !is_escalation || after == to {
        return None;
    }
    Some(
        table
            .rows
            .iter()
            .filter(|row| !cell(row, key_column).is_empty())
            .map(|row| {
                let after_text = cell(row, after);
                EscalationRule {
                    level: cell(row, key_column),
                    after: parse_deadline(&after_text),
                    after_text,
                    to: cell(row, to),
                }
            })
            .collect(),
    )
}

fn severity_levels(table: &Table, header: &[String], key_column: usize) -> Vec<SeverityLevel> {
    let definition = find_column(header, &["definition", "description", "impact", "meaning", "criteria"], key_column)
        .or_else(|| (0..header.len()).find(|&c| c != key_column));
    let response = find_column(header, &["response", "sla", "acknowledge", "ack"], key_column);
    let examples = find_column(header, &["example"], key_column);
    table
        .rows
        .iter()
        .filter(|row| is_level(&cell(row, key_column), true))
        .map(|row| {
            let response_text = response.map(|c| cell(row, c)).unwrap_or_default();
            SeverityLevel {
                key: cell(row, key_column),
                definition: definition.map(|c| cell(row, c)).unwrap_or_default(),
                response: parse_deadline(&response_text),
                response_text,
                examples: examples.map(|c| cell(row, c)).unwrap_or_default(),
            }
        })
        .collect()
}

/// The first column (other than the key) whose header equals, then contains, a keyword.
fn find_column(header: &[String], keywords: &[&str], key_column: usize) -> Option<usize> {
    let candidates = || (0..header.len()).filter(move |&c| c != key_column);
    keywords.iter().find_map(|k| candidates().find(|&c| header[c] == *k)).or_else(|| {
        keywords.iter().find_map(|k| candidates().find(|&c| header[c].split_whitespace().any(|w| w.starts_with(k))))
    })
}

fn cell(row: &[Vec<Inline>], column: usize) -> String {
    row.get(column).map(|c| plain_text(c).trim().to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(keys: &[&str]) -> Severities {
        let level = |key: &&str| SeverityLevel {
            key: key.to_string(),
            definition: String::new(),
            response_text: String::new(),
            response: Deadline::Immediate,
            examples: String::new(),
        };
        Severities { levels: keys.iter().map(level).collect(), escalation: Vec::new() }
    }

    #[test]
    fn numbered_levels_name_their_stem_and_named_levels_ask_to_choose() {
        assert_eq!(levels(&["Sev 1", "sev-2", "SEV3"]).placeholder(), "Sev…");
        assert_eq!(levels(&["Critical", "Crisis"]).placeholder(), "Choose…", "a shared start is not a stem");
        assert_eq!(levels(&["P1", "SEV2"]).placeholder(), "Choose…");
        assert_eq!(levels(&["1", "2"]).placeholder(), "Choose…");
        assert_eq!(levels(&[]).placeholder(), "Choose…");
    }
}
