//! Checkable steps, found in the runbook as written: task items anywhere, list items in
//! procedure sections, and each command group of a shell block in procedure sections.
//!
//! Procedure sections are phases and scenarios (and their subsections). A runbook with
//! neither is all procedure. Reference sections ("Cheat Sheet", "Related …") never are.

use std::collections::{HashMap, HashSet};
use std::fmt;

use document::commands::is_shell;
use document::model::{Block, ListItem};
use document::text::plain_text;

use crate::phases::Phase;

/// Stable across edits of other steps: a hash of the step's section and its own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct StepId(pub u32);

impl StepId {
    /// FNV-1a, 32 bits, of the step's key: tiny and stable across platforms and versions.
    /// Saved incidents and share links hold these ids, so this function never changes.
    fn of(key: &str) -> StepId {
        StepId(key.bytes().fold(0x811c_9dc5u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)))
    }
}

impl fmt::Display for StepId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

impl std::str::FromStr for StepId {
    type Err = ();

    /// The eight hex digits [`fmt::Display`] writes (a step's checkbox is `step-<id>`).
    fn from_str(text: &str) -> Result<StepId, ()> {
        if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(());
        }
        u32::from_str_radix(text, 16).map(StepId).map_err(|_| ())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StepKind {
    Task,
    Item,
    Command,
}

/// Where a step is drawn: a list item (by its line) or a command group of a code block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StepLocation {
    ListItem { line: u32 },
    Command { block_line: u32, group: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub id: StepId,
    pub kind: StepKind,
    pub label: String,
    pub location: StepLocation,
    /// Anchor of the heading the step is under ("" before any heading).
    pub section: String,
    /// Index into the runbook's phases.
    pub phase: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum SectionKind {
    Procedure,
    Prose,
    Reference,
}

pub fn find_steps(blocks: &[Block], phases: &[Phase], scenario_anchors: &[String]) -> Vec<Step> {
    let all_procedure = phases.is_empty() && scenario_anchors.is_empty();
    let mut finder = Finder { steps: Vec::new(), seen: HashMap::new() };
    let mut kind = if all_procedure { SectionKind::Procedure } else { SectionKind::Prose };
    let mut section = String::new();
    let mut phase = None;
    // (level, kind) of the heading that set the current kind, so subsections inherit it.
    let mut owner: Option<(u8, SectionKind, Option<usize>)> = None;
    // Looked up per heading: maps, so thousands of phase headings stay linear.
    let phase_of: HashMap<&str, usize> = phases.iter().enumerate().map(|(i, p)| (p.anchor.as_str(), i)).collect();
    let scenarios: HashSet<&str> = scenario_anchors.iter().map(String::as_str).collect();
    for block in blocks {
        if let Block::Heading(heading) = block {
            let phase_here = phase_of.get(heading.anchor.as_str()).copied();
            section = heading.anchor.clone();
            if owner.is_some_and(|(level, _, _)| heading.level <= level) {
                owner = None;
            }
            let text = plain_text(&heading.content).to_lowercase();
            let own_kind = if is_reference(&text) {
                Some(SectionKind::Reference)
            } else if phase_here.is_some() || scenarios.contains(heading.anchor.as_str()) || is_procedure(&text) {
                Some(SectionKind::Procedure)
            } else {
                None
            };
            match (own_kind, owner) {
                (Some(k), _) => {
                    owner = Some((heading.level, k, phase_here));
                    kind = k;
                    phase = phase_here;
                }
                (None, Some((_, k, p))) => {
                    kind = k;
                    phase = p;
                }
                (None, None) => {
                    kind = if all_procedure { SectionKind::Procedure } else { SectionKind::Prose };
                    phase = None;
                }
            }
            continue;
        }
        finder.block(block, kind, &section, phase, None);
    }
    finder.steps
}

struct Finder {
    steps: Vec<Step>,
    /// How many steps so far had each (section, text) key, to tell identical steps apart.
    seen: HashMap<(String, String), u32>,
}

impl Finder {
    /// `item_label` names a command group that has no comment of its own: "Verify fix".
    fn block(
        &mut self,
        block: &Block,
        kind: SectionKind,
        section: &str,
        phase: Option<usize>,
        item_label: Option<&str>,
    ) {
        match block {
            Block::List(list) => {
                for item in &list.items {
                    self.item(item, kind, section, phase);
                }
            }
            Block::Quote(quote) => quote.blocks.iter().for_each(|b| self.block(b, kind, section, phase, None)),
            Block::Details(details) => details.blocks.iter().for_each(|b| self.block(b, kind, section, phase, None)),
            Block::Code(code) if kind == SectionKind::Procedure && is_shell(code.lang.as_deref()) => {
                let single = code.groups.len() == 1;
                for (group, commands) in code.groups.iter().enumerate() {
                    let fallback = item_label.filter(|_| single).map(str::to_string);
                    let label = commands.label.clone().or(fallback).unwrap_or_else(|| first_line(&commands.text));
                    let location = StepLocation::Command { block_line: code.line, group };
                    self.push(StepKind::Command, label, &commands.text, location, section, phase);
                }
            }
            _ => {}
        }
    }

    fn item(&mut self, item: &ListItem, kind: SectionKind, section: &str, phase: Option<usize>) {
        let label = item
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Plain(inlines) | Block::Paragraph(inlines) => {
                    Some(plain_text(inlines).trim().trim_end_matches(':').trim_end().to_string())
                }
                _ => None,
            })
            .unwrap_or_default();
        let has_commands = item.blocks.iter().any(|b| matches!(b, Block::Code(c) if is_shell(c.lang.as_deref())));
        let step_kind = match item.task {
            Some(_) if kind != SectionKind::Reference => Some(StepKind::Task),
            None if kind == SectionKind::Procedure && !has_commands && !label.is_empty() => Some(StepKind::Item),
            _ => None,
        };
        if let Some(step_kind) = step_kind {
            let location = StepLocation::ListItem { line: item.line };
            self.push(step_kind, label.clone(), &label, location, section, phase);
        }
        for block in &item.blocks {
            self.block(block, kind, section, phase, Some(&label));
        }
    }

    fn push(
        &mut self,
        kind: StepKind,
        label: String,
        text: &str,
        location: StepLocation,
        section: &str,
        phase: Option<usize>,
    ) {
        let normalised: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let count = self.seen.entry((section.to_string(), normalised.clone())).or_insert(0);
        let key = format!("{section}\u{0}{normalised}\u{0}{count}");
        *count += 1;
        let label = if label.chars().count() > 120 {
            format!("{}…", label.chars().take(119).collect::<String>())
        } else {
            label
        };
        self.steps.push(Step { id: StepId::of(&key), kind, label, location, section: section.to_string(), phase });
    }
}

fn first_line(text: &str) -> String {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_string()
}

fn is_reference(heading: &str) -> bool {
    [
        "cheat sheet",
        "cheatsheet",
        "reference",
        "related",
        "appendix",
        "glossary",
        "see also",
        "useful commands",
        "links",
        "contacts",
        "notes",
        "background",
        "overview",
    ]
    .iter()
    .any(|k| heading.contains(k))
}

fn is_procedure(heading: &str) -> bool {
    ["steps", "procedure", "checklist", "mitigation", "recovery", "rollback", "remediation"]
        .iter()
        .any(|k| heading.contains(k))
}
