//! YAML front matter: the `---` block at the top of a runbook.
//!
//! Runbook front matter is a handful of scalar keys, a tag list and a map of variables, so this
//! reads the subset of YAML that such files use (plain and quoted scalars, flow and block
//! lists, one level of nested map, `|`/`>` block scalars) instead of shipping a full YAML
//! parser to every phone. Anything outside the subset is reported with its line and skipped;
//! the body always renders.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    pub tags: Vec<String>,
    /// `variables:` — host defaults such as `EC2_HOST: 10.0.0.5`.
    pub variables: Vec<(String, String)>,
    /// Keys Outpost does not use, kept in order (other tools' keys are not an error).
    pub other: Vec<(String, Value)>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Text(String),
    List(Vec<String>),
    Map(Vec<(String, String)>),
}

/// The front matter, the markdown body after it, and the body's first line number.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    pub body_first_line: u32,
}

/// Splits `source` into front matter and body. Never fails: problems become diagnostics.
pub fn split<'a>(file: &str, source: &'a str, diagnostics: &mut Vec<Diagnostic>) -> Split<'a> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let whole = Split { front_matter: FrontMatter::default(), body: source, body_first_line: 1 };
    let mut lines = source.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return whole,
    }
    let mut offset = source.split_inclusive('\n').next().map_or(0, str::len);
    let mut yaml_lines = Vec::new();
    for (index, line) in lines.enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        offset += line.len();
        if content.trim_end() == "---" || content.trim_end() == "..." {
            let front_matter = parse_yaml(file, &yaml_lines, diagnostics);
            return Split { front_matter, body: &source[offset..], body_first_line: index as u32 + 3 };
        }
        yaml_lines.push((index as u32 + 2, content));
    }
    diagnostics.push(Diagnostic::warning(
        file,
        1,
        "front matter starts with `---` but has no closing `---`; the whole file is shown as markdown",
    ));
    whole
}

fn parse_yaml(file: &str, lines: &[(u32, &str)], diagnostics: &mut Vec<Diagnostic>) -> FrontMatter {
    // Entries in order; a key set again replaces its earlier entry (found by the index, so
    // a hundred thousand keys stay linear).
    let mut entries: Vec<Option<(u32, String, Value)>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut i = 0;
    while i < lines.len() {
        let (line_no, line) = lines[i];
        i += 1;
        if is_blank_or_comment(line) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            diagnostics.push(Diagnostic::warning(file, line_no, "front matter: unexpected indented line; ignored"));
            continue;
        }
        let Some((key, rest)) = split_key(line) else {
            diagnostics.push(Diagnostic::warning(
                file,
                line_no,
                format!("front matter: expected `key: value`, found `{}`; ignored", truncate(line, 40)),
            ));
            continue;
        };
        let rest = strip_comment(rest).trim();
        let nested_end =
            lines[i..].iter().position(|(_, l)| !is_blank_or_comment(l) && !l.starts_with([' ', '\t', '-']));
        let nested = &lines[i..i + nested_end.unwrap_or(lines.len() - i)];
        let value = if rest.starts_with('|') || rest.starts_with('>') {
            i += nested.len();
            Value::Text(block_scalar(rest, nested))
        } else if rest.is_empty() {
            i += nested.len();
            nested_value(file, nested, diagnostics)
        } else {
            match scalar_or_flow(rest) {
                Ok(value) => value,
                Err(message) => {
                    diagnostics.push(Diagnostic::warning(
                        file,
                        line_no,
                        format!("front matter `{key}`: {message}; ignored"),
                    ));
                    continue;
                }
            }
        };
        if let Some(earlier) = index.insert(key, entries.len()) {
            diagnostics.push(Diagnostic::warning(
                file,
                line_no,
                format!("front matter: `{key}` is set twice; the last one wins"),
            ));
            entries[earlier] = None;
        }
        entries.push(Some((line_no, key.to_string(), value)));
    }
    interpret(file, entries.into_iter().flatten().collect(), diagnostics)
}

fn interpret(file: &str, entries: Vec<(u32, String, Value)>, diagnostics: &mut Vec<Diagnostic>) -> FrontMatter {
    let mut front_matter = FrontMatter::default();
    for (line_no, key, value) in entries {
        let mut wrong_shape = |expected: &str| {
            diagnostics.push(Diagnostic::warning(
                file,
                line_no,
                format!("front matter `{key}` should be {expected}; ignored"),
            ));
        };
        match (key.as_str(), value) {
            ("title", Value::Text(text)) => front_matter.title = Some(text),
            ("description", Value::Text(text)) => front_matter.description = Some(text),
            ("owner", Value::Text(text)) => front_matter.owner = Some(text),
            ("tags", Value::List(tags)) => front_matter.tags = tags,
            ("tags", Value::Text(text)) => {
                front_matter.tags = text.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect()
            }
            ("variables", Value::Map(map)) => front_matter.variables = map,
            ("title" | "description" | "owner", _) => wrong_shape("text"),
            ("tags", _) => wrong_shape("a list"),
            ("variables", _) => wrong_shape("a map of NAME: value"),
            (_, value) => front_matter.other.push((key, value)),
        }
    }
    front_matter
}

fn nested_value(file: &str, lines: &[(u32, &str)], diagnostics: &mut Vec<Diagnostic>) -> Value {
    let content: Vec<(u32, &str)> =
        lines.iter().filter(|(_, l)| !is_blank_or_comment(l)).map(|&(n, l)| (n, l.trim())).collect();
    if content.is_empty() {
        return Value::Text(String::new());
    }
    if content[0].1.starts_with('-') {
        let mut items = Vec::new();
        for (line_no, line) in content {
            match line.strip_prefix('-').map(|item| scalar(strip_comment(item).trim())) {
                Some(Ok(item)) => items.push(item),
                _ => diagnostics.push(Diagnostic::warning(
                    file,
                    line_no,
                    "front matter: expected a `- item` list entry; ignored",
                )),
            }
        }
        return Value::List(items);
    }
    let mut map = Vec::new();
    for (line_no, line) in content {
        match split_key(line).map(|(k, v)| (k, scalar(strip_comment(v).trim()))) {
            Some((key, Ok(value))) => map.push((key.to_string(), value)),
            _ => diagnostics.push(Diagnostic::warning(
                file,
                line_no,
                "front matter: expected a nested `name: value`; ignored",
            )),
        }
    }
    Value::Map(map)
}

/// `|` keeps line breaks, `>` folds them into spaces; both drop the common indentation.
fn block_scalar(indicator: &str, lines: &[(u32, &str)]) -> String {
    let indent = lines
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(_, l)| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = lines.iter().map(|(_, l)| l.get(indent..).unwrap_or("").trim_end()).collect();
    let joined = if indicator.starts_with('>') { body.join(" ") } else { body.join("\n") };
    joined.trim().to_string()
}

fn scalar_or_flow(text: &str) -> Result<Value, String> {
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or("a `[` list is not closed with `]`")?;
        return split_flow(inner)
            .into_iter()
            .map(|item| scalar(item.trim()))
            .collect::<Result<_, _>>()
            .map(Value::List);
    }
    if text.starts_with('{') {
        let inner =
            text.strip_prefix('{').and_then(|t| t.strip_suffix('}')).ok_or("a `{` map is not closed with `}`")?;
        let mut map = Vec::new();
        for entry in split_flow(inner) {
            let (key, value) = split_key(entry.trim()).ok_or("expected `name: value` inside `{ }`")?;
            map.push((key.to_string(), scalar(value.trim())?));
        }
        return Ok(Value::Map(map));
    }
    scalar(text).map(Value::Text)
}

fn scalar(text: &str) -> Result<String, String> {
    if let Some(inner) = text.strip_prefix('"') {
        let inner = inner.strip_suffix('"').ok_or("a double-quoted value is not closed")?;
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => return Err("a double-quoted value ends with `\\`".into()),
            }
        }
        return Ok(out);
    }
    if let Some(inner) = text.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'').ok_or("a single-quoted value is not closed")?;
        return Ok(inner.replace("''", "'"));
    }
    Ok(text.to_string())
}

/// Splits a flow collection's inside at commas that are not within quotes.
fn split_flow(inner: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in inner.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, ',') => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.retain(|p| !p.trim().is_empty());
    parts
}

fn split_key(line: &str) -> Option<(&str, &str)> {
    let (key, rest) = line.split_once(':')?;
    let key = key.trim().trim_matches(['"', '\'']);
    let valid = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (valid && (rest.is_empty() || rest.starts_with([' ', '\t']))).then_some((key, rest))
}

/// Drops a ` # comment` that is outside quotes.
fn strip_comment(text: &str) -> &str {
    let mut quote = None;
    let mut previous = ' ';
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if previous == ' ' => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') if previous == ' ' || previous == '\t' => return &text[..i],
            _ => {}
        }
        previous = c;
    }
    text
}

fn is_blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty() || trimmed.starts_with('#')
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
