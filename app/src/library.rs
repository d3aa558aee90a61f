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
        let declared: Vec<String> = variable_defaults().map(|(name, _)| name.to_string()).collect();
        let library = runbook::library("runbooks", embedded::RUNBOOK_FILES.iter().copied(), &declared);
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
    api::links::runbook_path(slug, anchor)
}

/// Where the site reads the edge probe (`[site] probe_api`), if it has one: written into
/// every page by `cargo xtask build` (`<meta name="outpost-probe-api">`), or given to the dev
/// server by `cargo xtask dev` at compile time. Only an `http(s)` address is used.
pub fn probe_api() -> Option<&'static str> {
    static API: OnceLock<Option<String>> = OnceLock::new();
    API.get_or_init(|| {
        let value = page_meta("outpost-probe-api").or_else(|| option_env!("OUTPOST_PROBE_API").map(str::to_string))?;
        let value = value.trim().trim_end_matches('/').to_string();
        (value.starts_with("https://") || value.starts_with("http://")).then_some(value)
    })
    .as_deref()
}

/// The probe's endpoint names (`<meta name="outpost-endpoints">`), when the build wrote them:
/// an outage link naming another endpoint is refused.
pub fn known_endpoints() -> Option<&'static [String]> {
    static NAMES: OnceLock<Option<Vec<String>>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let value =
                page_meta("outpost-endpoints").or_else(|| option_env!("OUTPOST_ENDPOINTS").map(str::to_string))?;
            Some(value.split_whitespace().map(str::to_string).collect())
        })
        .as_deref()
}

fn page_meta(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    return {
        let _ = name;
        None
    };
    #[cfg(not(feature = "ssr"))]
    return leptos::prelude::document()
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
}
