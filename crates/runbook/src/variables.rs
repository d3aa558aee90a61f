//! Host variables, fill-in fields and secrets in commands.
//!
//! Variables are placeholders filled in once: hosts (`EC2_HOST` in `http://EC2_HOST:8765`,
//! `<node-ip>`, a word where a host stands: after `ssh user@`, in a URL's authority, after
//! `-h` or `--host`, before `:port`), and fields of their own kind (`<namespace>`,
//! `<commit-hash>`). Secrets are shell references (`$ANTHROPIC_API_KEY`,
//! `${#ARAGORA_JWT_SECRET}`): never substituted, stored or shared; they are marked so users
//! set them in their own shell. What the shell sets itself (`$PATH`, `$PWD`, `$1`) and what
//! the runbook's own commands assign (`LIVE=$(…)`, `for POD in …`) is neither.

mod shell;

use std::collections::BTreeSet;

use document::commands::is_shell;
use document::model::Block;
use shell::{assigned_names, identifier_len, is_identifier_char, reference_at, shell_references, SHELL_NAMES};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Variable {
    /// `EC2_HOST`, or `commit-hash` for `<commit-hash>`.
    pub name: String,
    /// As written in the commands: `EC2_HOST`, `<commit-hash>`.
    pub written: String,
    pub role: Role,
}

/// What a placeholder is to the reader: the hosts panel lists hosts as hosts, and the other
/// placeholders as fields to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Role {
    /// Stands where a host stands, by its name or its place in a command.
    Host,
    /// Any other placeholder: `<namespace>`, `<pod>`, `<commit-hash>`.
    Field,
}

/// A piece of a command as drawn: plain text, a variable, or a secret reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    Variable { name: &'a str, written: &'a str },
    Secret { name: &'a str, written: &'a str },
}

/// ALL_CAPS names ending `_HOST`, `_IP`… are placeholders wherever they stand (a bare `IP` or
/// `URL` only where a host stands: in prose-like commands they are words).
const HOST_SUFFIXES: &[&str] =
    &["HOST", "HOSTNAME", "IP", "ADDR", "ADDRESS", "DOMAIN", "ENDPOINT", "SERVER", "URL", "PORT"];

/// Angle placeholders whose name says host: `<node-ip>`, `<vm-host>`, `<db-server>`.
const HOST_WORDS: &[&str] = &["host", "hostname", "ip", "addr", "address", "domain", "server", "endpoint", "fqdn"];

/// Angle words that tools print, not placeholders a reader fills in (`kubectl`'s `<none>`).
const OUTPUT_WORDS: &[&str] = &["none", "nil", "null", "unknown", "pending", "invalid", "empty", "redacted", "missing"];

/// Angle placeholders that name a credential: the reader types them in their own shell, so
/// they are never offered as fields (whose values are saved and shared).
const CREDENTIAL_WORDS: &[&str] = &["password", "passwd", "passphrase", "token", "credential", "credentials", "apikey"];

/// Words before `key` or `secret` that make a credential of it (`<api-key>`, `<client-secret>`).
const CREDENTIAL_KINDS: &[&str] = &["api", "ssh", "access", "private", "secret", "client", "signing"];

/// What a placeholder ending in one of these names is: not the credential itself
/// (`<secret-name>`, `<token-id>`, `<kms-key-arn>`).
const CREDENTIAL_HANDLES: &[&str] = &["name", "id", "arn", "path", "file", "ref", "uri", "url"];

/// The variables of a runbook's shell blocks, in order of first use, and its secrets' names.
/// `declared` are names the team gives values to (the site's `[variables]`, the runbook's
/// front matter): hosts wherever they stand, even written as the shell's `$NAME` or
/// `${NAME}`, and not secrets, unless their name says credential (`DB_PASSWORD`).
pub fn find_variables(blocks: &[Block], declared: &[String]) -> (Vec<Variable>, Vec<String>) {
    let mut codes = Vec::new();
    collect_shell(blocks, &mut codes);
    let assigned: BTreeSet<&str> = codes.iter().flat_map(|code| assigned_names(code)).collect();
    let declared: BTreeSet<&str> = declared.iter().map(String::as_str).filter(|name| !names_a_secret(name)).collect();
    let local = |name: &str| assigned.contains(name) || SHELL_NAMES.contains(&name);
    let mut secrets: Vec<String> = Vec::new();
    for code in &codes {
        for (_, name) in shell_references(code) {
            if !local(name) && !declared.contains(name) && !secrets.iter().any(|s| s == name) {
                secrets.push(name.to_string());
            }
        }
    }
    let mut variables: Vec<Variable> = Vec::new();
    let mut add = |name: &str, written: &str, role: Role| {
        if !variables.iter().any(|v| v.name == name) {
            variables.push(Variable { name: name.to_string(), written: written.to_string(), role });
        }
    };
    for code in &codes {
        // Both kinds found in one command, then taken in the order they appear.
        let mut found: Vec<(usize, &str, &str, Role)> = Vec::new();
        for (start, word) in caps_words(code) {
            let named_host = HOST_SUFFIXES.iter().any(|s| word.ends_with(&format!("_{s}")));
            let is_secret = secrets.iter().any(|s| s == word);
            let placed = in_host_position(code, start, start + word.len());
            let credentials = is_credentials(code, start + word.len());
            let host = named_host || declared.contains(word) || placed;
            let script_own = assigned.contains(word) && !declared.contains(word);
            if host && !is_secret && !credentials && !script_own && !is_set_here(code, start + word.len()) {
                found.push((start, word, word, Role::Host));
            }
        }
        for (start, name) in shell_references(code) {
            if declared.contains(name) && !local(name) && plain_reference_at(code, start).is_some() {
                // A bare word of capitals is the same placeholder; another name only as `$name`.
                let caps = !name.chars().any(|c| c.is_ascii_lowercase());
                let written = if caps { name } else { &code[start..start + 1 + name.len()] };
                found.push((start, name, written, Role::Host));
            }
        }
        for (start, written, name) in angle_placeholders(code) {
            let named_host = name.split(['-', '_']).any(|part| HOST_WORDS.contains(&part));
            let placed = in_host_position(code, start, start + written.len());
            if is_credentials(code, start + written.len()) || names_a_credential(name) {
                continue;
            }
            found.push((start, name, written, if named_host || placed { Role::Host } else { Role::Field }));
        }
        document::small_sort::sort_by_key(&mut found, |(start, ..)| *start);
        for (_, name, written, role) in found {
            add(name, written, role);
        }
    }
    (variables, secrets)
}

/// `<password>`, `<api-token>`, `<ssh-key>`, `<client-secret>`; not `<key>` alone (a cache
/// key), `<secret>` alone, or a handle of one (`<secret-name>`, `<token-id>`).
fn names_a_credential(name: &str) -> bool {
    let parts: Vec<&str> = name.split(['-', '_']).filter(|p| !p.is_empty()).collect();
    let Some((last, before)) = parts.split_last() else { return false };
    let kind = before.last().is_some_and(|word| CREDENTIAL_KINDS.contains(word));
    !CREDENTIAL_HANDLES.contains(last)
        && (CREDENTIAL_WORDS.contains(last) || (matches!(*last, "key" | "secret") && kind))
}

/// A declared name that still reads as a secret: `DB_PASSWORD`, `API_TOKEN`, `SIGNING_KEY`.
fn names_a_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["PASSWORD", "PASSWD", "TOKEN", "SECRET", "CREDENTIAL"].iter().any(|word| upper.contains(word))
        || upper.ends_with("_KEY")
}

/// Whether the word ending at `end` is given a value right there (`-e DB_HOST=10.0.0.5`,
/// `set env DB_HOST=db-2`): a name, not a placeholder.
fn is_set_here(code: &str, end: usize) -> bool {
    code[end..].starts_with('=') && !code[end..].starts_with("==")
}

/// The `$NAME` or `${NAME}` at byte `i`, with no operator (`${NAME%%.*}`, `${#NAME}`,
/// `${NAME:-x}` are the shell's to work out).
fn plain_reference_at(code: &str, i: usize) -> Option<(&str, &str, usize)> {
    let (name, written, end) = reference_at(code, i)?;
    let plain = written.len() == name.len() + 1 || written.len() == name.len() + 3;
    plain.then_some((name, written, end))
}

/// Whether `code[start..end]` stands where a host stands: in a URL's authority, after
/// `user@`, after `-h` or `--host`, or before `:port`.
fn in_host_position(code: &str, start: usize, end: usize) -> bool {
    let before = &code[..start];
    let after = &code[end..];
    let host_option = ["-h ", "--host ", "--host=", "--hostname ", "--hostname="].iter().any(|o| before.ends_with(o));
    let port_follows = after.strip_prefix(':').is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    before.ends_with("://") || before.ends_with('@') || host_option || port_follows
}

/// Whether what ends at `end` is a URL's user or password (`https://TOKEN@github.com`,
/// `https://<user>:<token>@registry`): a credential, which is never filled in, stored or
/// shared.
fn is_credentials(code: &str, end: usize) -> bool {
    let outside_authority = |c: char| c == '/' || c.is_whitespace();
    let in_authority =
        code[..end].rfind("://").is_some_and(|scheme| !code[scheme + 3..end].contains(outside_authority));
    in_authority && code[end..].split(outside_authority).next().is_some_and(|rest| rest.contains('@'))
}

fn collect_shell<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
    for block in blocks {
        match block {
            Block::Code(code) if is_shell(code.lang.as_deref()) => out.push(&code.code),
            Block::List(list) => list.items.iter().for_each(|item| collect_shell(&item.blocks, out)),
            Block::Quote(quote) => collect_shell(&quote.blocks, out),
            Block::Details(details) => collect_shell(&details.blocks, out),
            _ => {}
        }
    }
}

/// Splits a command into text, the given variables, and references to the given secrets
/// (other `$NAME`s are text: the shell's own, the script's own).
pub fn pieces<'a>(code: &'a str, variables: &'a [Variable], secrets: &[String]) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let (mut i, mut text_start) = (0, 0);
    while i < bytes.len() {
        let found = secret_at(code, i, secrets)
            .or_else(|| declared_reference_at(code, i, variables))
            .or_else(|| variable_at(code, i, variables));
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

/// `$NAME`, `${NAME}`, `${#NAME}` at byte `i`, when `secrets` names it.
fn secret_at<'a>(code: &'a str, i: usize, secrets: &[String]) -> Option<(Piece<'a>, usize)> {
    let (name, written, end) = reference_at(code, i)?;
    secrets.iter().any(|s| s == name).then_some((Piece::Secret { name, written }, end))
}

/// `$DB_HOST` or `${DB_HOST}` at byte `i` when `DB_HOST` is a variable: a name the team
/// declared, since a variable's name is never a secret's (`find_variables`) and the shell's
/// own are not taken.
fn declared_reference_at<'a>(code: &'a str, i: usize, variables: &'a [Variable]) -> Option<(Piece<'a>, usize)> {
    let (name, written, end) = plain_reference_at(code, i)?;
    let shell_form = |v: &Variable| v.written == name || v.written.strip_prefix('$') == Some(name);
    let variable = variables.iter().find(|v| v.name == name && shell_form(v) && !SHELL_NAMES.contains(&name))?;
    Some((Piece::Variable { name: variable.name.as_str(), written }, end))
}

fn variable_at<'a>(code: &'a str, i: usize, variables: &'a [Variable]) -> Option<(Piece<'a>, usize)> {
    let rest = &code[i..];
    let previous = code[..i].chars().next_back();
    let in_expansion = ["${", "${#", "${!"].iter().any(|opening| code[..i].ends_with(opening));
    if previous.is_some_and(is_identifier_char) || previous == Some('$') || in_expansion {
        return None;
    }
    variables.iter().find_map(|v| {
        let after = rest.strip_prefix(v.written.as_str())?;
        let set_here = !v.written.starts_with('<') && after.starts_with('=') && !after.starts_with("==");
        let boundary = (v.written.starts_with('<') || !after.starts_with(is_identifier_char)) && !set_here;
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

/// `<commit-hash>` → (its byte offset, "<commit-hash>", "commit-hash"); not `<<EOF`,
/// `</dev/null`, `<5>` or what tools print (`<none>`).
fn angle_placeholders(code: &str) -> Vec<(usize, &str, &str)> {
    let mut found = Vec::new();
    for (start, _) in code.match_indices('<') {
        if code[..start].ends_with('<') {
            continue;
        }
        let rest = &code[start + 1..];
        let len = rest.find('>').unwrap_or(0);
        let name = &rest[..len];
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            && !OUTPUT_WORDS.contains(&name);
        if valid {
            found.push((start, &code[start..start + len + 2], name));
        }
    }
    found
}
