//! The table of contents of a runbook page: which headings it lists, at which depth, and
//! which of them is a phase (whose progress it shows during an incident).

use document::HeadingRef;

use crate::Runbook;

/// One line of the contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    pub heading: &'a HeadingRef,
    /// One level below the top level listed.
    pub sub: bool,
    /// The phase this heading starts, if it is one.
    pub phase: Option<usize>,
}

/// The sections below the title (the page itself), two levels deep from the highest level
/// used below it.
pub fn contents(runbook: &Runbook) -> Vec<Entry<'_>> {
    let headings = &runbook.headings;
    let top = headings.iter().filter(|h| h.level > 1).map(|h| h.level).min().unwrap_or(2);
    headings
        .iter()
        .filter(|h| h.level >= top && h.level <= top + 1)
        .map(|heading| Entry {
            heading,
            sub: heading.level > top,
            phase: runbook.phases.iter().position(|p| p.anchor == heading.anchor),
        })
        .collect()
}
