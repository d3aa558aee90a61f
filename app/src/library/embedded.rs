//! Every runbook parsed once from the markdown build.rs embedded: at build time (the
//! pre-render draws every page and writes the published files from this), in native tests
//! and under `cargo xtask dev`, where a changed runbook is a rebuild.

use std::sync::OnceLock;

use document::search::SearchIndex;
use runbook::catalog::Catalog;
use runbook::{Library, Runbook};

use super::load::Load;

mod files {
    include!(concat!(env!("OUT_DIR"), "/runbook_files.rs"));
}

pub struct Site {
    pub library: Library,
    pub catalog: Catalog,
    pub search: SearchIndex,
}

pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let declared: Vec<String> = super::settings::variable_defaults().map(|(name, _)| name.to_string()).collect();
        let library = runbook::library("runbooks", files::RUNBOOK_FILES.iter().copied(), &declared);
        let search = SearchIndex::build(library.documents());
        Site { catalog: Catalog::of(&library), library, search }
    })
}

pub fn runbook(slug: &str) -> Load<&'static Runbook> {
    site().library.get(slug).map_or(Load::Missing, Load::Ready)
}

pub fn catalog() -> Load<&'static Catalog> {
    Load::Ready(&site().catalog)
}

pub fn search() -> Load<&'static SearchIndex> {
    Load::Ready(&site().search)
}

/// Nothing to wait for: everything is here.
pub async fn ready_for(_path: &str) -> bool {
    true
}
