//! Body assertions, written as a person checks a health endpoint by hand:
//! `contains "healthy"`, `not contains "error"`, and jq-like comparisons such as
//! `.status == "ok"`, `.checks.db != "down"`, `.latency_ms < 500`, or just `.version` (the
//! field exists and is not null or false).

use std::fmt;

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Assertion {
    Contains(String),
    NotContains(String),
    Json { path: Vec<Segment>, op: Option<(Op, Value)>, source: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        })
    }
}

pub fn parse(text: &str) -> Result<Assertion, String> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("not contains") {
        return quoted(rest).map(Assertion::NotContains);
    }
    if let Some(rest) = text.strip_prefix("contains") {
        return quoted(rest).map(Assertion::Contains);
    }
    if !text.starts_with('.') {
        return Err(
            "expected `contains \"text\"`, `not contains \"text\"` or a JSON path such as `.status == \"ok\"`".into()
        );
    }
    let operators = ["==", "!=", "<=", ">=", "<", ">"];
    let split = operators
        .iter()
        .filter_map(|op| text.find(op).map(|at| (at, *op)))
        .min_by_key(|(at, op)| (*at, usize::MAX - op.len()));
    let (path_text, op) = match split {
        Some((at, op)) => {
            let literal = text[at + op.len()..].trim();
            let value: Value = serde_json::from_str(literal).map_err(|_| {
                format!(
                    "{literal:?} is not a JSON value: quote strings (\"ok\"), or write a number, true, false or null"
                )
            })?;
            let op = match op {
                "==" => Op::Eq,
                "!=" => Op::Ne,
                "<=" => Op::Le,
                ">=" => Op::Ge,
                "<" => Op::Lt,
                _ => Op::Gt,
            };
            if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) && !value.is_number() {
                return Err(format!("{op} compares numbers; {literal} is not a number"));
            }
            (text[..at].trim(), Some((op, value)))
        }
        None => (text, None),
    };
    Ok(Assertion::Json { path: parse_path(path_text)?, op, source: text.to_string() })
}

fn quoted(rest: &str) -> Result<String, String> {
    let rest = rest.trim();
    serde_json::from_str::<String>(rest)
        .map_err(|_| format!("expected a quoted text after contains, such as contains \"healthy\", found {rest:?}"))
}

/// `.checks.db`, `.items[0].state`, `.` (the whole document).
fn parse_path(text: &str) -> Result<Vec<Segment>, String> {
    let mut segments = Vec::new();
    let mut rest = text.strip_prefix('.').ok_or("a JSON path starts with '.'")?;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']').ok_or("unclosed '[' in the path")?;
            let index = after[..close]
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("{:?} is not an array index", &after[..close]))?;
            segments.push(Segment::Index(index));
            rest = after[close + 1..].strip_prefix('.').unwrap_or(&after[close + 1..]);
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = &rest[..end];
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-') {
            return Err(format!("{key:?} is not a field name in the path {text:?}"));
        }
        segments.push(Segment::Key(key.to_string()));
        rest = rest[end..].strip_prefix('.').unwrap_or(&rest[end..]);
    }
    Ok(segments)
}
