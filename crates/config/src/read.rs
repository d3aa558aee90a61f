//! Reading `outpost.toml` section by section and table by table, so one mistake costs only
//! its own part: a mistyped key in one `[[endpoint]]` drops that endpoint, not the file.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::raw::{LineIndex, RawConfig};
use crate::ConfigError;

const SECTIONS: &str =
    "[site], [variables], [probe], [[endpoint]], [[heartbeat]], [[alert]], [[maintenance]] or [deploy]";

/// What could be read, and an error with its line for every part that could not.
pub(crate) fn read(text: &str, lines: &LineIndex) -> (RawConfig, Vec<ConfigError>) {
    let mut errors = Vec::new();
    let (document, syntax_errors) = DeTable::parse_recoverable(text);
    for error in &syntax_errors {
        errors.push(error_at(error, lines));
    }
    let mut raw = RawConfig::default();
    for (key, value) in document.into_inner() {
        let name: &str = key.get_ref();
        let line = lines.line(key.span().start);
        match name {
            "site" => raw.site = one(value, lines, &mut errors).unwrap_or_default(),
            "variables" => raw.variables = variables(value, lines, &mut errors),
            "probe" => raw.probe = one(value, lines, &mut errors),
            "endpoint" => raw.endpoints = many(value, "endpoint", lines, &mut errors),
            "heartbeat" => raw.heartbeats = many(value, "heartbeat", lines, &mut errors),
            "alert" => raw.alerts = many(value, "alert", lines, &mut errors),
            "maintenance" => raw.maintenance = many(value, "maintenance", lines, &mut errors),
            "deploy" => raw.deploy = one(value, lines, &mut errors),
            // A key the syntax error already covers needs no second message.
            _ if errors.iter().any(|e| e.line == line) => {}
            other => errors
                .push(ConfigError { line, message: format!("unknown section {other:?}: the sections are {SECTIONS}") }),
        }
    }
    (raw, errors)
}

/// One table, such as `[site]`.
fn one<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    lines: &LineIndex,
    errors: &mut Vec<ConfigError>,
) -> Option<T> {
    let span = value.span();
    T::deserialize(ValueDeserializer::from(value))
        .map_err(|error| errors.push(error_near(&error, span.start, lines)))
        .ok()
}

/// An array of tables, such as every `[[endpoint]]`: each is read on its own.
fn many<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    name: &str,
    lines: &LineIndex,
    errors: &mut Vec<ConfigError>,
) -> Vec<Spanned<T>> {
    let start = value.span().start;
    match value.into_inner() {
        DeValue::Array(items) => items.into_iter().filter_map(|item| one::<Spanned<T>>(item, lines, errors)).collect(),
        _ => {
            errors.push(ConfigError {
                line: lines.line(start),
                message: format!("{name} is a list of tables: write each as [[{name}]] followed by its keys"),
            });
            Vec::new()
        }
    }
}

/// `[variables]`: each is a string; one that is not is reported and left out.
fn variables(
    value: Spanned<DeValue<'_>>,
    lines: &LineIndex,
    errors: &mut Vec<ConfigError>,
) -> std::collections::BTreeMap<String, Spanned<String>> {
    let start = value.span().start;
    let DeValue::Table(table) = value.into_inner() else {
        errors.push(ConfigError {
            line: lines.line(start),
            message: "[variables] is a table of NAME = \"value\" lines".into(),
        });
        return Default::default();
    };
    let mut variables = std::collections::BTreeMap::new();
    for (name, value) in table {
        let line = lines.line(value.span().start);
        match Spanned::<String>::deserialize(ValueDeserializer::from(value)) {
            Ok(text) => {
                variables.insert(name.get_ref().to_string(), text);
            }
            Err(_) => errors.push(ConfigError {
                line,
                message: format!(
                    "variable {} must be a string, such as {} = \"api.example.com\"",
                    name.get_ref(),
                    name.get_ref()
                ),
            }),
        }
    }
    variables
}

fn error_at(error: &toml::de::Error, lines: &LineIndex) -> ConfigError {
    error_near(error, 0, lines)
}

/// The error at its own span when it has one, else at `fallback` (the table it is in).
fn error_near(error: &toml::de::Error, fallback: usize, lines: &LineIndex) -> ConfigError {
    let line = lines.line(error.span().map_or(fallback, |span| span.start));
    ConfigError { line, message: error.message().trim().to_string() }
}
