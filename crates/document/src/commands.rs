//! Shell code blocks as groups of commands: each group (split at blank lines) is one step,
//! labelled by its leading `# comment`.

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommandGroup {
    /// The leading comment without `#`: "Check recent logs for errors".
    pub label: Option<String>,
    /// The group's lines exactly as written, comments included.
    pub text: String,
    /// Whether the group has anything to run (a comment-only group is an instruction).
    pub has_commands: bool,
}

pub fn is_shell(lang: Option<&str>) -> bool {
    matches!(
        lang.map(str::to_ascii_lowercase).as_deref(),
        Some("bash" | "sh" | "shell" | "zsh" | "console" | "shell-session" | "fish" | "ksh" | "terminal")
    )
}

/// A shell block's "Copy all": its groups' texts as shown, a blank line apart. The blank
/// lines between commands are not kept as written: they mean nothing to a shell, and this
/// way the text is the block as drawn, which the page starter copies before the app has
/// loaded.
pub fn copy_all_text<S: AsRef<str>>(groups: &[S]) -> String {
    groups.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("\n\n")
}

/// Splits at blank lines, except inside a heredoc.
pub fn command_groups(code: &str) -> Vec<CommandGroup> {
    let mut groups = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut heredoc_end: Option<String> = None;
    for line in code.lines() {
        if let Some(end) = &heredoc_end {
            if line.trim() == end {
                heredoc_end = None;
            }
            current.push(line);
            continue;
        }
        if line.trim().is_empty() {
            if !current.is_empty() {
                groups.push(group(&current));
                current.clear();
            }
            continue;
        }
        heredoc_end = heredoc_delimiter(line);
        current.push(line);
    }
    if !current.is_empty() {
        groups.push(group(&current));
    }
    groups
}

fn group(lines: &[&str]) -> CommandGroup {
    let comments: Vec<&str> = lines
        .iter()
        .map_while(|l| l.trim_start().strip_prefix('#').filter(|c| !c.starts_with('!')))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    let has_commands = lines.iter().any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    CommandGroup { label: (!comments.is_empty()).then(|| comments.join(" ")), text: lines.join("\n"), has_commands }
}

/// `cat <<EOF`, `<<-'END'` → the word that closes the heredoc.
fn heredoc_delimiter(line: &str) -> Option<String> {
    let after = &line[line.find("<<")? + 2..];
    if after.starts_with('<') {
        return None; // `<<<` is a here-string
    }
    let word: String = after
        .trim_start_matches('-')
        .trim_start()
        .trim_start_matches(['\'', '"'])
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!word.is_empty()).then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_split_at_blank_lines_and_take_their_comment_as_label() {
        let groups = command_groups("# Check logs\njournalctl -n 5\n\n\nfree -h\ndf -h\n\n# Only a note\n");
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].label.as_deref(), Some("Check logs"));
        assert_eq!(groups[0].text, "# Check logs\njournalctl -n 5");
        assert_eq!((groups[1].label.as_deref(), groups[1].text.as_str()), (None, "free -h\ndf -h"));
        assert!(!groups[2].has_commands);
    }

    #[test]
    fn a_heredoc_with_blank_lines_stays_in_one_group() {
        let code = "cat <<'EOF' > x.conf\na=1\n\nb=2\nEOF\n\nsystemctl reload x";
        let texts: Vec<String> = command_groups(code).into_iter().map(|g| g.text).collect();
        assert_eq!(texts, ["cat <<'EOF' > x.conf\na=1\n\nb=2\nEOF", "systemctl reload x"]);
    }

    #[test]
    fn copy_all_is_the_groups_a_blank_line_apart_with_a_heredocs_own_blank_lines_kept() {
        let code = "\n# Check logs\njournalctl -n 5\n\n \n\ncat <<'EOF' > x.conf\na=1\n\nb=2\nEOF";
        let texts: Vec<String> = command_groups(code).into_iter().map(|g| g.text).collect();
        assert_eq!(copy_all_text(&texts), "# Check logs\njournalctl -n 5\n\ncat <<'EOF' > x.conf\na=1\n\nb=2\nEOF");
        // A block written with single blank lines copies exactly as written.
        let plain = "# One\nls\n\n# Two\npwd";
        let texts: Vec<String> = command_groups(plain).into_iter().map(|g| g.text).collect();
        assert_eq!(copy_all_text(&texts), plain);
    }
}
