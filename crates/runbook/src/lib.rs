//! The incident layer: what incident mode makes of a runbook as written. A [`Runbook`] is a
//! [`Document`] (the `document` crate) plus its phases, steps, severities, templates and
//! variables; an [`incident::Incident`] is one run of it, and [`cockpit`] says what the
//! cockpit shows at a given time.
//!
//! Pure: no I/O, no browser, no clock (times are passed in). Deriving never fails: a runbook
//! without phases or severities simply has none.

pub mod actions;
pub mod catalog;
pub mod clock;
pub mod cockpit;
pub mod cockpit_summary;
pub mod contents;
pub mod duration;
pub mod incident;
pub mod intake;
pub mod merge;
pub mod outage;
pub mod phases;
pub mod severity;
pub mod status_post;
pub mod steps;
pub mod templates;
pub mod value_sources;
pub mod values;
pub mod variables;

use std::ops::Deref;

pub use document::{self, Diagnostic, Document, KnownRunbooks, ParseContext};

use crate::phases::Phase;
use crate::severity::Severities;
use crate::steps::Step;
use crate::templates::Template;
use crate::variables::Variable;

/// A runbook for incident mode: the document as written, and everything derived from it.
/// It dereferences to its [`Document`], so `runbook.title` and `runbook.blocks` read as the
/// document's.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Runbook {
    pub document: Document,
    pub phases: Vec<Phase>,
    pub steps: Vec<Step>,
    pub severities: Severities,
    pub templates: Vec<Template>,
    /// Host variables and placeholders in commands, in order of first use.
    pub variables: Vec<Variable>,
    /// Names of shell references (`$API_KEY`): never substituted, stored or shared.
    pub secrets: Vec<String>,
}

impl Runbook {
    /// Derives incident mode from a parsed document.
    pub fn from_document(document: Document) -> Runbook {
        Runbook::derive(document, &[])
    }

    /// Derives incident mode from a parsed document in a site whose configuration gives
    /// values to `site_variables` (outpost.toml's `[variables]`): those names are hosts in
    /// every runbook that uses them, as the front matter's own are.
    pub fn derive(document: Document, site_variables: &[String]) -> Runbook {
        let phases = phases::find_phases(&document.headings);
        let severities = severity::find_severities(&document.blocks);
        let templates = templates::find_templates(&document.blocks);
        let from_front_matter = document.front_matter.variables.iter().map(|(name, _)| name.clone());
        let declared: Vec<String> = site_variables.iter().cloned().chain(from_front_matter).collect();
        let (variables, secrets) = variables::find_variables(&document.blocks, &declared);
        let scenario_anchors: Vec<String> = document.scenarios().into_iter().map(|s| s.anchor).collect();
        let steps = steps::find_steps(&document.blocks, &phases, &scenario_anchors);
        Runbook { document, phases, steps, severities, templates, variables, secrets }
    }
}

impl Runbook {
    /// The step drawn at `location` (a list item, a command group), if there is one.
    pub fn step_at(&self, location: steps::StepLocation) -> Option<&Step> {
        self.steps.iter().find(|s| s.location == location)
    }

    /// What `value` for the placeholder `name` may become: the value checked against its kind
    /// (`values::check_for`; empty unsets it), or why not, including that the runbook has no
    /// such placeholder (a secret's name never gets a value). The one check every value from
    /// a link, the form, the query or saved data goes through.
    pub fn check_value(&self, name: &str, value: &str) -> Result<String, values::ValueError> {
        let variable = self
            .variables
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| values::ValueError::NotAPlaceholder { name: name.to_string() })?;
        if value.trim().is_empty() {
            return Ok(String::new());
        }
        values::check_for(variable, value)
    }

    /// Sets on `incident` each of `values` that fits its placeholder, leaving the others out
    /// (a link's values when an incident starts from it); the names of those left out.
    pub fn set_checked_values(
        &self,
        incident: &mut incident::Incident,
        values: &std::collections::BTreeMap<String, String>,
    ) -> Vec<String> {
        let mut refused = Vec::new();
        for (name, value) in values {
            match self.check_value(name, value) {
                Ok(value) if !value.is_empty() => {
                    incident.set_variable(name, &value);
                }
                Ok(_) => {}
                Err(_) => refused.push(name.clone()),
            }
        }
        refused
    }
}

impl Deref for Runbook {
    type Target = Document;

    fn deref(&self) -> &Document {
        &self.document
    }
}

impl AsRef<Document> for Runbook {
    fn as_ref(&self) -> &Document {
        &self.document
    }
}

/// All the runbooks of a site, with links between them resolved.
pub type Library = document::Library<Runbook>;

/// Parses one runbook on its own. `relative_path` is its path within the runbooks folder.
pub fn parse(relative_path: &str, source: &str) -> Runbook {
    Runbook::from_document(document::parse(relative_path, source))
}

/// Parses one runbook as part of a site: the single entry point every caller uses.
pub fn parse_with(relative_path: &str, source: &str, context: ParseContext) -> Runbook {
    Runbook::from_document(document::parse_with(relative_path, source, context))
}

/// Parses every runbook of a site: `files` are `(path relative to the folder, markdown)`,
/// `folder` prefixes file names in diagnostics (`runbooks`).
pub fn library<'s>(
    folder: &str,
    files: impl IntoIterator<Item = (&'s str, &'s str)>,
    site_variables: &[String],
) -> Library {
    document::Library::build(folder, files).map(|document| Runbook::derive(document, site_variables))
}
