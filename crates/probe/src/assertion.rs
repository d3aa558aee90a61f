//! Checking a response body against the endpoint's assertions (the language itself, and its
//! parser, are in the `config` crate).

use config::assertion::{Assertion, Op, Segment};
use serde_json::Value;

/// The body, parsed as JSON at most once however many assertions need it.
pub struct Body<'a> {
    text: &'a str,
    json: Option<Result<Value, ()>>,
}

impl<'a> Body<'a> {
    pub fn new(text: &'a str) -> Body<'a> {
        Body { text, json: None }
    }

    fn json(&mut self) -> Result<&Value, ()> {
        let text = self.text;
        self.json.get_or_insert_with(|| serde_json::from_str(text).map_err(|_| ())).as_ref().map_err(|_| ())
    }
}

/// `Err` says what was wrong, in words for the status page: `.status is "degraded", expected == "ok"`.
pub fn check(assertion: &Assertion, body: &mut Body) -> Result<(), String> {
    match assertion {
        Assertion::Contains(needle) => {
            body.text.contains(needle.as_str()).then_some(()).ok_or_else(|| format!("body does not contain {needle:?}"))
        }
        Assertion::NotContains(needle) => {
            (!body.text.contains(needle.as_str())).then_some(()).ok_or_else(|| format!("body contains {needle:?}"))
        }
        Assertion::Json { path, op, source } => {
            let Ok(document) = body.json() else {
                return Err(format!("body is not JSON (needed for {source})"));
            };
            let found = path.iter().try_fold(document, |value, segment| match segment {
                Segment::Key(key) => value.get(key),
                Segment::Index(index) => value.get(index),
            });
            let path_text = source.split(['=', '!', '<', '>']).next().unwrap_or(source).trim();
            match (found, op) {
                (None, _) => Err(format!("{path_text} is missing")),
                (Some(value), None) => (!matches!(value, Value::Null | Value::Bool(false)))
                    .then_some(())
                    .ok_or_else(|| format!("{path_text} is {value}")),
                (Some(value), Some((op, expected))) => compare(value, *op, expected)
                    .then_some(())
                    .ok_or_else(|| format!("{path_text} is {value}, expected {op} {expected}")),
            }
        }
    }
}

fn compare(value: &Value, op: Op, expected: &Value) -> bool {
    match op {
        Op::Eq => value == expected,
        Op::Ne => value != expected,
        _ => match (value.as_f64(), expected.as_f64()) {
            (Some(a), Some(b)) => match op {
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                _ => a >= b,
            },
            _ => false,
        },
    }
}
