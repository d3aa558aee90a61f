//! All the runbooks of a site, parsed together so links between them resolve.
//!
//! Generic over what each runbook becomes: the `runbook` crate maps a `Library<Document>` to
//! a `Library<Runbook>` with [`Library::map`], so this layer never names the incident layer.

use crate::diagnostic::Diagnostic;
use crate::links::KnownRunbooks;
use crate::model::{Document, ImageSource, LinkTarget};
use crate::slug::runbook_slug;
use crate::{parse_with, ParseContext};

#[derive(Debug, Clone)]
pub struct Library<R = Document> {
    /// Sorted by title, as the home page lists them.
    pub runbooks: Vec<R>,
    /// Problems with the set as a whole (two files with one route).
    pub diagnostics: Vec<Diagnostic>,
}

impl<R> Default for Library<R> {
    fn default() -> Self {
        Library { runbooks: Vec::new(), diagnostics: Vec::new() }
    }
}

/// A link to a runbook the site does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingLink {
    pub file: String,
    pub line: u32,
    pub href: String,
}

impl Library<Document> {
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
                        "has the same page address `/r/{slug}/` as {first}; rename one of them. This one is left out"
                    ),
                ));
                return false;
            }
            seen.push((slug, path));
            true
        });
        let known = KnownRunbooks::new(seen.into_iter().map(|(slug, _)| slug));
        let mut runbooks: Vec<Document> = files
            .into_iter()
            .map(|(path, source)| {
                let file = display_path(folder, path);
                parse_with(path, source, ParseContext { file: Some(&file), known: Some(&known) })
            })
            .collect();
        crate::small_sort::sort_by_key(&mut runbooks, |r| (r.title.to_lowercase(), r.slug.clone()));
        Library { runbooks, diagnostics }
    }
}

impl<R: AsRef<Document>> Library<R> {
    /// The same library with each runbook turned into something richer.
    pub fn map<T>(self, f: impl FnMut(R) -> T) -> Library<T> {
        Library { runbooks: self.runbooks.into_iter().map(f).collect(), diagnostics: self.diagnostics }
    }

    pub fn get(&self, slug: &str) -> Option<&R> {
        self.runbooks.iter().find(|r| r.as_ref().slug == slug)
    }

    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        self.runbooks.iter().map(AsRef::as_ref)
    }

    /// Every diagnostic of the site, file by file.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(self.documents().flat_map(|r| &r.diagnostics))
    }

    /// Every link to a runbook the site lacks, in file and line order.
    pub fn missing_links(&self) -> Vec<MissingLink> {
        let mut missing = Vec::new();
        for document in self.documents() {
            document.for_each_link(&mut |link| {
                if let LinkTarget::MissingRunbook { href } = &link.target {
                    missing.push(MissingLink { file: document.file.clone(), line: link.line, href: href.clone() });
                }
            });
        }
        crate::small_sort::sort_by_key(&mut missing, |m| (m.file.clone(), m.line));
        missing
    }
}

impl<R: AsRef<Document>> Library<R> {
    /// Every file under the runbooks folder a runbook shows or links to (an image, a
    /// script), in file and line order: the build checks each is there.
    pub fn named_files(&self) -> Vec<NamedFile> {
        let mut named = Vec::new();
        for document in self.documents() {
            let mut add = |line: u32, path: &str, image: bool| {
                named.push(NamedFile { file: document.file.clone(), line, path: path.to_string(), image })
            };
            document.for_each_image(&mut |image| {
                if let ImageSource::File(path) = &image.src {
                    add(image.line, path, true);
                }
            });
            document.for_each_link(&mut |link| {
                if let LinkTarget::File { path } = &link.target {
                    add(link.line, path, false);
                }
            });
        }
        crate::small_sort::sort_by_key(&mut named, |n| (n.file.clone(), n.line));
        named
    }
}

/// A file a runbook names, relative to the runbooks folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedFile {
    /// The runbook that names it, as diagnostics name it.
    pub file: String,
    pub line: u32,
    pub path: String,
    /// Shown as an image (else linked to).
    pub image: bool,
}

impl AsRef<Document> for Document {
    fn as_ref(&self) -> &Document {
        self
    }
}

fn display_path(folder: &str, path: &str) -> String {
    if folder.is_empty() {
        path.to_string()
    } else {
        format!("{}/{}", folder.trim_end_matches('/'), path)
    }
}
