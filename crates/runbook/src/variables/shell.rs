//! What a shell command says about its own names: which it assigns (`LIVE=$(…)`, `for POD in`),
//! which it references (`$API_KEY`, `${#JWT}`), and which are the shell's own (`$PATH`).
//! Text inside single quotes is not the shell's: `awk '{print $NF}'` references nothing.

/// What the shell sets itself: neither a secret nor a field.
pub(super) const SHELL_NAMES: &[&str] = &[
    "PATH",
    "PWD",
    "OLDPWD",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "HOSTNAME",
    "HOSTTYPE",
    "UID",
    "EUID",
    "PPID",
    "RANDOM",
    "SECONDS",
    "LINENO",
    "IFS",
    "TERM",
    "LANG",
    "TMPDIR",
    "REPLY",
    "OPTARG",
    "OPTIND",
    "BASH",
    "BASH_SOURCE",
    "BASH_VERSION",
    "FUNCNAME",
    "PIPESTATUS",
    "EDITOR",
];

/// Words after which a command starts, so `NAME=value` there is an assignment.
const COMMAND_STARTERS: &[&str] = &[
    "if", "while", "until", "then", "do", "else", "elif", "!", "time", "export", "local", "declare", "readonly",
    "typeset", "env", "sudo", "nohup", "exec", "command", "nice",
];

/// Names a command assigns itself (`LIVE=$(…)`, `export X=1`, `for POD in …`, `read -r NAME`):
/// the script's own, not the reader's. `NAME=` as an argument (`grep API_KEY= .env`) assigns
/// nothing.
pub(super) fn assigned_names(code: &str) -> Vec<&str> {
    let mut names = Vec::new();
    for segment in code.split(['\n', ';', '&', '|', '(', '{', '`']) {
        let words: Vec<&str> = segment.split_whitespace().collect();
        let mut command_position = true;
        for (i, word) in words.iter().enumerate() {
            let name_len = identifier_len(word);
            let rest = &word[name_len..];
            let assignment = name_len > 0
                && (rest.starts_with('=') || rest.starts_with("+="))
                && !word.starts_with(|c: char| c.is_ascii_digit());
            if assignment && command_position {
                names.push(&word[..name_len]);
                continue;
            }
            if matches!(*word, "for" | "select") {
                names.extend(words.get(i + 1).filter(|w| identifier_len(w) == w.len()));
            }
            if *word == "read" {
                let operands = words[i + 1..].iter().take_while(|w| identifier_len(w) == w.len() || w.starts_with('-'));
                names.extend(operands.filter(|w| !w.starts_with('-')));
            }
            command_position = COMMAND_STARTERS.contains(word) || (command_position && word.starts_with('-'));
        }
    }
    names
}

/// Where `$NAME`, `${NAME}`, `${#NAME}` references the shell expands start in `code` (not
/// those inside single quotes), with their names.
pub(super) fn shell_references(code: &str) -> Vec<(usize, &str)> {
    let quoted = single_quoted(code);
    let mut names = Vec::new();
    let mut i = 0;
    while i < code.len() {
        match reference_at(code, i) {
            Some((name, _, end)) => {
                if !quoted.iter().any(|range| range.contains(&i)) {
                    names.push((i, name));
                }
                i = end;
            }
            _ => i += code[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    names
}

/// The byte ranges of `code` inside single quotes, outside double quotes and comments. A
/// quote opens only where a word starts (`'{print $NF}'`, `--format='…'`, `$'…'`), so the
/// apostrophes of prose (`don't … it's` in a heredoc or in output) open none; one left open
/// makes no range at all: better to mark a reference than to hide one.
fn single_quoted(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let (mut open, mut in_double, mut in_comment) = (None::<usize>, false, false);
    let mut previous = '\n';
    for (i, c) in code.char_indices() {
        match (c, open) {
            ('\n', _) if in_comment => in_comment = false,
            (_, _) if in_comment => {}
            ('\'', Some(start)) => {
                ranges.push(start..i);
                open = None;
            }
            (_, Some(_)) => {}
            ('"', None) if previous != '\\' => in_double = !in_double,
            ('\'', None) if !in_double && (previous.is_whitespace() || "=($|&;".contains(previous)) => open = Some(i),
            ('#', None) if !in_double && previous.is_whitespace() => in_comment = true,
            _ => {}
        }
        previous = c;
    }
    if open.is_some() {
        return Vec::new();
    }
    ranges
}

/// `$NAME`, `${NAME}`, `${#NAME}`, `${!NAME}` at byte `i`: its name, as written, and where it
/// ends.
pub(super) fn reference_at(code: &str, i: usize) -> Option<(&str, &str, usize)> {
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
        return Some((&code[name_offset..name_offset + name_len], &code[i..end], end));
    }
    let len = identifier_len(rest);
    (len > 0 && !rest.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| (&code[i + 1..i + 1 + len], &code[i..i + 1 + len], i + 1 + len))
}

pub(super) fn identifier_len(text: &str) -> usize {
    text.find(|c: char| !is_identifier_char(c)).unwrap_or(text.len())
}

pub(super) fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_that_looks_like_an_assignment_assigns_nothing() {
        assert_eq!(assigned_names("grep API_KEY= .env"), Vec::<&str>::new());
        assert_eq!(assigned_names("LIVE=$(curl x) && export A=1 B=2; env C=3 run"), ["LIVE", "A", "B", "C"]);
        assert_eq!(assigned_names("if true; then X=1; fi\nfor POD in a b; do Y=2; done"), ["X", "POD", "Y"]);
        assert_eq!(assigned_names("if LEADER=$(patronictl list); then echo ok; fi"), ["LEADER"]);
        assert_eq!(assigned_names("sudo DB_HOST=db-2 ./failover.sh"), ["DB_HOST"]);
    }

    fn names(code: &str) -> Vec<&str> {
        shell_references(code).into_iter().map(|(_, name)| name).collect()
    }

    #[test]
    fn references_inside_single_quotes_are_not_the_shells() {
        assert_eq!(names("awk '{print $NF}' | grep \"$TOKEN\""), ["TOKEN"]);
        assert_eq!(names("echo \"it's $HOME\" # don't\necho $KEY"), ["HOME", "KEY"]);
    }

    #[test]
    fn a_quote_left_open_hides_no_reference() {
        assert_eq!(names("cat <<EOF\nit's $API_KEY\nEOF"), ["API_KEY"]);
        assert_eq!(names("cat <<EOF\nDon't use $API_TOKEN, it's old\nEOF"), ["API_TOKEN"], "prose apostrophes");
    }
}
