//! The site's runbooks, parsed once at start-up from the markdown embedded by build.rs.

use std::sync::OnceLock;

use document::search::SearchIndex;
use runbook::{Library, Runbook};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/runbook_files.rs"));
}

pub struct Site {
    pub library: Library,
    pub search: SearchIndex,
}

pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let library = runbook::library("runbooks", embedded::RUNBOOK_FILES.iter().copied());
        let search = SearchIndex::build(library.documents());
        Site { library, search }
    })
}

pub fn runbook(slug: &str) -> Option<&'static Runbook> {
    site().library.get(slug)
}

/// Host values from outpost.toml's `[variables]`.
pub fn variable_defaults() -> impl Iterator<Item = (&'static str, &'static str)> {
    embedded::VARIABLE_DEFAULTS.iter().copied()
}

pub fn site_title() -> &'static str {
    embedded::SITE_TITLE
}

/// The in-site address of a runbook, optionally at a heading.
pub fn runbook_href(slug: &str, anchor: Option<&str>) -> String {
    api::site::runbook_path(slug, anchor)
}
