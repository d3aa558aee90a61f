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
