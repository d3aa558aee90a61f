//! Structured log lines: one JSON object per event (`event`, `level`, and fields such as
//! `endpoint`, `region`, `alert_id`), so Workers observability can query them.

use serde_json::{Map, Value};

pub fn info(event: &str, fields: Value) {
    worker::console_log!("{}", line("info", event, fields));
}

pub fn warn(event: &str, fields: Value) {
    worker::console_warn!("{}", line("warn", event, fields));
}

pub fn error(event: &str, fields: Value) {
    worker::console_error!("{}", line("error", event, fields));
}

fn line(level: &str, event: &str, fields: Value) -> String {
    let mut object = Map::new();
    object.insert("level".into(), level.into());
    object.insert("event".into(), event.into());
    if let Value::Object(fields) = fields {
        object.extend(fields);
    }
    Value::Object(object).to_string()
}
