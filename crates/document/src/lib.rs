//! Markdown runbooks in, documents out: front matter, blocks, links between runbooks, slugs,
//! the outline and search. This is the first stage; it knows nothing of incidents (the
//! `runbook` crate wraps a [`Document`] with what incident mode derives from it).
//!
//! Pure: no I/O, no browser, no clock. Parsing never fails and never panics; what it cannot
//! make sense of becomes a [`Diagnostic`] next to the best document it can build.

mod autolink;
pub mod commands;
pub mod diagnostic;
mod dialects;
pub mod front_matter;
pub mod html;
mod html_model;
pub mod library;
pub mod links;
mod markdown;
pub mod model;
pub mod outline;
pub mod search;
pub mod slug;
pub mod small_sort;
pub mod summary;
pub mod text;

pub use diagnostic::{Diagnostic, Severity};
pub use front_matter::FrontMatter;
pub use library::Library;
pub use links::KnownRunbooks;
pub use model::*;

/// Where a runbook comes from and what it may link to.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseContext<'a> {
    /// The name shown in diagnostics, e.g. `runbooks/incident-response.md`.
    /// Defaults to the relative path.
    pub file: Option<&'a str>,
    /// The runbooks of the site; without it, links to `.md` files are taken as present.
    pub known: Option<&'a KnownRunbooks>,
}

/// Parses one runbook on its own. `relative_path` is its path within the runbooks folder.
pub fn parse(relative_path: &str, source: &str) -> Document {
    parse_with(relative_path, source, ParseContext::default())
}

/// Parses one runbook as part of a site: the single entry point every caller uses.
pub fn parse_with(relative_path: &str, source: &str, context: ParseContext) -> Document {
    let file = context.file.unwrap_or(relative_path);
    let mut diagnostics = Vec::new();
    let split = front_matter::split(file, source, &mut diagnostics);
    let mut callout_titles = Vec::new();
    let body = dialects::normalise(split.body, file, split.body_first_line, &mut diagnostics, &mut callout_titles);
    let body_context = markdown::Context {
        file,
        relative_path,
        known: context.known,
        first_line: split.body_first_line,
        callout_titles: &callout_titles,
    };
    let body = markdown::parse_body(&body, &body_context, &mut diagnostics);
    let front_matter = split.front_matter;

    let title = summary::title(&front_matter, &body.headings, relative_path);
    let description = summary::description(&front_matter, &title, &body.blocks);
    small_sort::sort_by_key(&mut diagnostics, |d| d.line);
    Document {
        slug: slug::runbook_slug(relative_path),
        path: relative_path.to_string(),
        file: file.to_string(),
        title,
        description,
        front_matter,
        blocks: body.blocks,
        footnotes: body.footnotes,
        headings: body.headings,
        diagnostics,
    }
}
