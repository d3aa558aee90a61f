//! A shared link never checks the wrong step: after any edit of the runbook (steps deleted,
//! inserted, reordered, reworded, a heading renamed), every check a link places lands on the
//! step it was made on, or is listed as orphaned. The orphan rate is reported.

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use runbook::incident::Incident;
use runbook::Runbook;
use tokens::share::{decode, encode};

const START: i64 = 1_795_896_420;

/// A runbook as sections of steps; each step's text is unique.
#[derive(Debug, Clone)]
struct Draft {
    sections: Vec<(String, Vec<String>)>,
}

impl Draft {
    fn new(steps: usize) -> Draft {
        let sections = (0..steps.div_ceil(8))
            .map(|s| {
                (
                    format!("Section {s} steps"),
                    (0..8).map(|i| format!("Do task {s}-{i} carefully")).take(steps - s * 8).collect(),
                )
            })
            .collect();
        Draft { sections }
    }

    fn markdown(&self) -> String {
        let mut text = String::from("# Runbook\n\n");
        for (heading, steps) in &self.sections {
            text.push_str(&format!("## {heading}\n\n"));
            for step in steps {
                text.push_str(&format!("- [ ] {step}\n"));
            }
            text.push('\n');
        }
        text
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, usize),
    Swap(usize, usize, usize),
    Reword(usize, usize),
    RenameHeading(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(s, i)| Edit::Delete(s, i)),
        (any::<usize>(), any::<usize>()).prop_map(|(s, i)| Edit::Insert(s, i)),
        (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(s, i, j)| Edit::Swap(s, i, j)),
        (any::<usize>(), any::<usize>()).prop_map(|(s, i)| Edit::Reword(s, i)),
        any::<usize>().prop_map(Edit::RenameHeading),
    ]
}

fn apply(draft: &mut Draft, edit: &Edit, serial: usize) {
    let sections = draft.sections.len();
    match *edit {
        Edit::Delete(s, i) => {
            let steps = &mut draft.sections[s % sections].1;
            if !steps.is_empty() {
                let at = i % steps.len();
                steps.remove(at);
            }
        }
        Edit::Insert(s, i) => {
            let steps = &mut draft.sections[s % sections].1;
            let at = i % (steps.len() + 1);
            steps.insert(at, format!("New task number {serial}"));
        }
        Edit::Swap(s, i, j) => {
            let steps = &mut draft.sections[s % sections].1;
            if !steps.is_empty() {
                let (a, b) = (i % steps.len(), j % steps.len());
                steps.swap(a, b);
            }
        }
        Edit::Reword(s, i) => {
            let steps = &mut draft.sections[s % sections].1;
            if !steps.is_empty() {
                let at = i % steps.len();
                steps[at].push_str(" again");
            }
        }
        Edit::RenameHeading(s) => draft.sections[s % sections].0.push_str(" renamed"),
    }
}

/// `(section anchor, label)` of a step: what a person sees as "the same step".
fn identity(runbook: &Runbook, id: runbook::steps::StepId) -> Option<(String, String)> {
    runbook.steps.iter().find(|s| s.id == id).map(|s| (s.section.clone(), s.label.clone()))
}

/// Checks placed and orphaned over every case run.
#[derive(Default)]
struct Tally {
    placed: Cell<usize>,
    orphaned: Cell<usize>,
}

fn check_placement(steps: usize, checked: &[bool], edits: &[Edit], tally: &Tally) -> Result<(), TestCaseError> {
    let mut draft = Draft::new(steps);
    let original = runbook::parse("r.md", &draft.markdown());
    prop_assert_eq!(original.steps.len(), steps);
    let mut incident = Incident::new("x", "r", START);
    for (step, &on) in original.steps.iter().zip(checked) {
        if on {
            incident.toggle_step(step.id, START + 60);
        }
    }
    for (serial, edit) in edits.iter().enumerate() {
        apply(&mut draft, edit, serial);
    }
    let edited = runbook::parse("r.md", &draft.markdown());
    let token = encode(&incident, Some(&original)).expect("fits in a link");
    let shared = decode(&token, &|_| Some(&edited)).expect("the link decodes");
    for id in incident.checks.keys() {
        let before = identity(&original, *id).expect("checked on the original");
        match identity(&edited, *id) {
            Some(after) => {
                prop_assert_eq!(&after, &before, "a check landed on another step");
                tally.placed.set(tally.placed.get() + 1);
            }
            None => tally.orphaned.set(tally.orphaned.get() + 1),
        }
    }
    // Every check the link carried is either placed or listed.
    prop_assert_eq!(shared.incident.checks.len(), incident.checks.len());
    let placed_now = edited.steps.iter().filter(|s| shared.incident.checks.contains_key(&s.id)).count();
    prop_assert_eq!(shared.orphaned, incident.checks.len() - placed_now);
    Ok(())
}

/// Runs the property over random checks and edits of a runbook of `steps` steps, and
/// prints the orphan rate it saw.
fn property(steps: usize) {
    let mut runner = TestRunner::new(ProptestConfig { cases: 400, ..ProptestConfig::default() });
    let tally = Tally::default();
    let strategy = (proptest::collection::vec(any::<bool>(), steps), proptest::collection::vec(edit(), 1..8));
    runner
        .run(&strategy, |(checked, edits)| check_placement(steps, &checked, &edits, &tally))
        .expect("no check lands on another step");
    let (placed, orphaned) = (tally.placed.get(), tally.orphaned.get());
    println!(
        "{steps} steps, 400 random edits: {placed} checks placed on their own step, {orphaned} orphaned ({:.1}%), 0 on a wrong step",
        100.0 * orphaned as f64 / (placed + orphaned).max(1) as f64
    );
}

#[test]
fn no_edit_of_a_40_step_runbook_checks_a_wrong_step() {
    property(40);
}

#[test]
fn no_edit_of_a_100_step_runbook_checks_a_wrong_step() {
    property(100);
}
