//! All the runbooks of a site, parsed together so links between them resolve.

use crate::diagnostic::Diagnostic;
use crate::links::KnownRunbooks;
use crate::model::{LinkTarget, Runbook};
use crate::slug::runbook_slug;
use crate::{parse_with, ParseContext};

#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Sorted by title, as the home page lists them.
    pub runbooks: Vec<Runbook>,
    /// Problems with the set as a whole (two files with one route).
    pub diagnostics: Vec<Diagnostic>,
}

/// A link to a runbook the site does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingLink {
    pub file: String,
    pub line: u32,
    pub href: String,
}

impl Library {
    /// `files` are `(path relative to the folder, markdown)`; `folder` prefixes file names in
    /// diagnostics (`runbooks`).
    pub fn build<'s>(folder: &str, files: impl IntoIterator<Item = (&'s str, &'s str)>) -> Library {
        let mut files: Vec<(&str, &str)> = files.into_iter().collect();
        crate::small_sort::sort_by_key(&mut files, |(path, _)| *path);
        let mut diagnostics = Vec::new();
        let mut seen: Vec<(String, &str)> = Vec::new();
        files.retain(|(path, _)| {
            let slug = runbook_slug(path);
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == slug) {
                diagnostics.push(Diagnostic::warning(
                    &display_path(folder, path),
                    1,
                    format!(
                        "has the same page address `/r/{slug}` as {first}; rename one of them. This one is left out"
                    ),
                ));
                return false;
            }
            seen.push((slug, path));
            true
        });
        let known = KnownRunbooks::new(seen.into_iter().map(|(slug, _)| slug));
        let mut runbooks: Vec<Runbook> = files
            .into_iter()
            .map(|(path, source)| {
                let file = display_path(folder, path);
                parse_with(path, source, ParseContext { file: Some(&file), known: Some(&known) })
            })
            .collect();
        crate::small_sort::sort_by_key(&mut runbooks, |r| (r.title.to_lowercase(), r.slug.clone()));
        Library { runbooks, diagnostics }
    }

    pub fn get(&self, slug: &str) -> Option<&Runbook> {
        self.runbooks.iter().find(|r| r.slug == slug)
    }

    /// Every diagnostic of the site, file by file.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(self.runbooks.iter().flat_map(|r| &r.diagnostics))
    }

    /// Every link to a runbook the site lacks, in file and line order.
    pub fn missing_links(&self) -> Vec<MissingLink> {
        let mut missing = Vec::new();
        for runbook in &self.runbooks {
            runbook.for_each_link(&mut |link| {
                if let LinkTarget::MissingRunbook { href } = &link.target {
                    missing.push(MissingLink { file: runbook.file.clone(), line: link.line, href: href.clone() });
                }
            });
        }
        crate::small_sort::sort_by_key(&mut missing, |m| (m.file.clone(), m.line));
        missing
    }
}

fn display_path(folder: &str, path: &str) -> String {
    if folder.is_empty() {
        path.to_string()
    } else {
        format!("{}/{}", folder.trim_end_matches('/'), path)
    }
}
