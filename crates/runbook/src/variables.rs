//! Host variables and secrets in commands.
//!
//! Variables are placeholders the team fills in once: host-like names (`EC2_HOST` in
//! `http://EC2_HOST:8765`) and angle placeholders (`<commit-hash>`). Secrets are shell
//! references (`$ANTHROPIC_API_KEY`, `${#ARAGORA_JWT_SECRET}`): never substituted, stored or
//! shared; they are marked so users set them in their own shell.

use document::commands::is_shell;
use document::model::Block;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// `EC2_HOST`, or `commit-hash` for `<commit-hash>`.
    pub name: String,
    /// As written in the commands: `EC2_HOST`, `<commit-hash>`.
    pub written: String,
}

/// A piece of a command as drawn: plain text, a variable, or a secret reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Variable { name: &'a str, written: &'a str },
    Secret { name: &'a str, written: &'a str },
}

/// Host names are ALL_CAPS words ending like these, or standing where a host goes.
const HOST_SUFFIXES: &[&str] =
    &["HOST", "HOSTNAME", "IP", "ADDR", "ADDRESS", "DOMAIN", "ENDPOINT", "SERVER", "URL", "PORT"];

/// The variables of a runbook's shell blocks, in order of first use, and its secrets' names.
pub fn find_variables(blocks: &[Block]) -> (Vec<Variable>, Vec<String>) {
    let mut codes = Vec::new();
    collect_shell(blocks, &mut codes);
    let mut secrets: Vec<String> = Vec::new();
    for code in &codes {
        for piece in pieces(code, &[]) {
            if let Piece::Secret { name, .. } = piece {
                if !secrets.iter().any(|s| s == name) {
                    secrets.push(name.to_string());
                }
            }
        }
    }
    let mut variables: Vec<Variable> = Vec::new();
    for code in &codes {
        for (start, word) in caps_words(code) {
            let host_like = HOST_SUFFIXES.iter().any(|s| word == *s || word.ends_with(&format!("_{s}")));
            let before = &code[..start];
            let in_host_position = before.ends_with("://") || before.ends_with('@');
            let is_secret = secrets.iter().any(|s| s == word);
            if (host_like || in_host_position) && !is_secret && !variables.iter().any(|v| v.name == word) {
                variables.push(Variable { name: word.to_string(), written: word.to_string() });
            }
        }
        for (written, name) in angle_placeholders(code) {
            if !variables.iter().any(|v| v.name == name) {
                variables.push(Variable { name: name.to_string(), written: written.to_string() });
            }
        }
    }
    (variables, secrets)
}

fn collect_shell<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
    for block in blocks {
        match block {
            Block::Code(code) if is_shell(code.lang.as_deref()) => out.push(&code.code),
            Block::List(list) => list.items.iter().for_each(|item| collect_shell(&item.blocks, out)),
            Block::Quote(quote) => collect_shell(&quote.blocks, out),
            _ => {}
        }
    }
}

/// Splits a command into text, the given variables, and secret references.
pub fn pieces<'a>(code: &'a str, variables: &'a [Variable]) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let (mut i, mut text_start) = (0, 0);
    while i < bytes.len() {
        let found = secret_at(code, i).or_else(|| variable_at(code, i, variables));
        match found {
            Some((piece, end)) => {
                if text_start < i {
                    out.push(Piece::Text(&code[text_start..i]));
                }
                out.push(piece);
                i = end;
                text_start = end;
            }
            None => i += code[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if text_start < code.len() {
        out.push(Piece::Text(&code[text_start..]));
    }
    out
}

/// `$NAME`, `${NAME}`, `${#NAME}` at byte `i`.
fn secret_at(code: &str, i: usize) -> Option<(Piece<'_>, usize)> {
    let rest = code[i..].strip_prefix('$')?;
    if let Some(braced) = rest.strip_prefix('{') {
        let close = braced.find('}')?;
        let inner = &braced[..close];
        let name_start = inner.len() - inner.trim_start_matches(['#', '!']).len();
        let name_len = identifier_len(&inner[name_start..]);
        if name_len == 0 {
            return None;
        }
        let name_offset = i + 2 + name_start;
        let end = i + 2 + close + 1;
        return Some((Piece::Secret { name: &code[name_offset..name_offset + name_len], written: &code[i..end] }, end));
    }
    let len = identifier_len(rest);
    (len > 0 && !rest.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| (Piece::Secret { name: &code[i + 1..i + 1 + len], written: &code[i..i + 1 + len] }, i + 1 + len))
}

fn variable_at<'a>(code: &'a str, i: usize, variables: &'a [Variable]) -> Option<(Piece<'a>, usize)> {
    let rest = &code[i..];
    let previous = code[..i].chars().next_back();
    if previous.is_some_and(is_identifier_char) || previous == Some('$') {
        return None;
    }
    variables.iter().find_map(|v| {
        let after = rest.strip_prefix(v.written.as_str())?;
        let boundary = v.written.starts_with('<') || !after.starts_with(is_identifier_char);
        boundary.then(|| {
            (Piece::Variable { name: v.name.as_str(), written: &rest[..v.written.len()] }, i + v.written.len())
        })
    })
}

/// ALL_CAPS words (at least one letter, `_` allowed) not preceded by `$` or `{`.
fn caps_words(code: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < code.len() {
            let start = i;
            let len = identifier_len(&code[start..]);
            if len == 0 {
                i += code[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            i += len;
            let word = &code[start..i];
            let preceded = code[..start].ends_with(['$', '{', '#']);
            let caps = word.chars().any(|c| c.is_ascii_uppercase()) && !word.chars().any(|c| c.is_ascii_lowercase());
            if caps && !preceded && !word.starts_with(|c: char| c.is_ascii_digit()) {
                return Some((start, word));
            }
        }
        None
    })
}

/// `<commit-hash>` → ("<commit-hash>", "commit-hash"); not `<<EOF`, `</dev/null` or `<5>`.
fn angle_placeholders(code: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    for (start, _) in code.match_indices('<') {
        if code[..start].ends_with('<') {
            continue;
        }
        let rest = &code[start + 1..];
        let len = rest.find('>').unwrap_or(0);
        let name = &rest[..len];
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if valid {
            found.push((&code[start..start + len + 2], name));
        }
    }
    found
}

fn identifier_len(text: &str) -> usize {
    text.find(|c: char| !is_identifier_char(c)).unwrap_or(text.len())
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}
