//! What the home page lists of every runbook, and what an incident card names: the site's
//! catalog. Small beside the runbooks themselves, so a page that lists them need not load
//! them.

use document::outline::Scenario;

use crate::{Library, Runbook};

/// Every runbook of the site, in the library's order (by title).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Catalog {
    pub runbooks: Vec<CatalogEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CatalogEntry {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The situations it answers (`Document::scenarios`), for the home page.
    pub scenarios: Vec<Scenario>,
}

impl CatalogEntry {
    pub fn of(runbook: &Runbook) -> CatalogEntry {
        CatalogEntry {
            slug: runbook.slug.clone(),
            title: runbook.title.clone(),
            description: runbook.description.clone(),
            scenarios: runbook.scenarios(),
        }
    }
}

impl Catalog {
    pub fn of(library: &Library) -> Catalog {
        Catalog { runbooks: library.runbooks.iter().map(CatalogEntry::of).collect() }
    }

    pub fn get(&self, slug: &str) -> Option<&CatalogEntry> {
        self.runbooks.iter().find(|entry| entry.slug == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_lists_every_runbook_with_its_scenarios_in_library_order() {
        let files = [
            ("b.md", "# Beta\n\nSecond.\n\n## Scenarios\n\n### Disk full (SEV2)\n\nText.\n"),
            ("a.md", "# Alpha\n\nFirst.\n"),
        ];
        let library = crate::library("runbooks", files, &[]);
        let catalog = Catalog::of(&library);
        let titles: Vec<&str> = catalog.runbooks.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Alpha", "Beta"]);
        let beta = catalog.get("b").expect("b is listed");
        assert_eq!(beta.description, "Second.");
        assert_eq!(beta.scenarios.len(), 1);
        assert_eq!(beta.scenarios[0].severity.as_deref(), Some("SEV2"));
        assert!(catalog.get("c").is_none());
    }
}
