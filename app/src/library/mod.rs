//! The site's runbooks and settings.
//!
//! A built site's browser never parses markdown: each runbook comes from the file the build
//! published for it (`tokens::published`), fetched when a page first needs it (`fetched`).
//! At build time (`ssr`), in native tests and under `cargo xtask dev`, every runbook is
//! parsed from the markdown build.rs embedded (`embedded`). Both answer with [`Load`], so
//! the views are the same.

use std::sync::OnceLock;

#[cfg(embedded_runbooks)]
mod embedded;
#[cfg(not(embedded_runbooks))]
mod fetched;

#[cfg(embedded_runbooks)]
pub use embedded::{catalog, ready_for, runbook, search, site};
#[cfg(not(embedded_runbooks))]
pub use fetched::{catalog, ready_for, runbook, search};

mod load;
mod settings;

pub use load::Load;
pub use settings::{site_title, variable_defaults};

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
