//! Which value each host placeholder takes on a page, when several places offer one: the
//! site's config, the runbook's front matter, this browser, a link and the incident, each
//! above the one before. Every offered value goes through [`Runbook::check_value`]; the ones
//! that do not fit are listed with where they came from, never used.

use std::collections::BTreeMap;

use crate::values::ValueError;
use crate::Runbook;

/// Where a variable's value came from: the hosts panel says so, a link's value above all.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    Site,
    Runbook,
    User,
    Link,
    Incident,
}

impl Source {
    pub fn words(self) -> &'static str {
        match self {
            Source::Site => "from outpost.toml",
            Source::Runbook => "from the runbook",
            Source::User => "set in this browser",
            Source::Link => "from the link",
            Source::Incident => "set for this incident",
        }
    }
}

/// The values a page uses, and the offers it refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Each placeholder's value and where it came from.
    pub values: BTreeMap<String, (String, Source)>,
    /// Why an offered value was not used, with its source: "… (from the link)."
    pub refused: Vec<String>,
}

/// Resolves `layers`, lowest precedence first: a later layer's value for a name replaces an
/// earlier one's. An empty value or a name that is not a placeholder of the runbook is
/// neither used nor refused.
pub fn resolve(runbook: &Runbook, layers: Vec<(Source, Vec<(String, String)>)>) -> Resolved {
    let mut resolved = Resolved::default();
    for (source, layer) in layers {
        for (name, value) in layer {
            match runbook.check_value(&name, &value) {
                Ok(value) if value.is_empty() => {}
                Err(ValueError::NotAPlaceholder { .. }) => {}
                Ok(value) => {
                    resolved.values.insert(name, (value, source));
                }
                Err(reason) => resolved.refused.push(format!("{} ({}).", reason, source.words())),
            }
        }
    }
    resolved
}

/// The values a link's query sets (`?EC2_HOST=10.0.0.5` from an alert): only the runbook's
/// own placeholders, a secret's name ignored, each made one line; empty ones left out.
/// `query` looks a name up in the link.
pub fn from_link(runbook: &Runbook, query: &dyn Fn(&str) -> Option<String>) -> BTreeMap<String, String> {
    runbook
        .variables
        .iter()
        .filter_map(|v| query(&v.name).map(|value| (v.name.clone(), crate::values::clean(&value))))
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// Every place a value may come from, each above the one before.
pub struct Offered {
    pub site: Vec<(String, String)>,
    pub runbook: Vec<(String, String)>,
    pub user: Vec<(String, String)>,
    pub link: Vec<(String, String)>,
    pub incident: Option<Vec<(String, String)>>,
}

impl Offered {
    /// The layers for [`resolve`], lowest precedence first.
    pub fn layers(self) -> Vec<(Source, Vec<(String, String)>)> {
        let mut layers = vec![
            (Source::Site, self.site),
            (Source::Runbook, self.runbook),
            (Source::User, self.user),
            (Source::Link, self.link),
        ];
        layers.extend(self.incident.map(|held| (Source::Incident, held)));
        layers
    }
}
