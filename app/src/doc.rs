//! What the runbook views draw from: the runbook, the incident being run (if any) and the
//! values of its variables, resolved from every source in one place.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use runbook::incident::Incident;
use runbook::value_sources::{self, Source};
use runbook::Runbook;

use crate::library;
use crate::state::store::{clean_value, Store};

#[derive(Clone, Copy)]
pub struct Doc {
    pub runbook: &'static Runbook,
    pub incident: Option<IncidentRef>,
    /// Every variable's value for this page and where it came from: incident, then link,
    /// then user, then runbook front matter, then outpost.toml. Only values that fit their
    /// placeholder (`runbook::values`); secrets never appear here.
    pub sourced: Memo<BTreeMap<String, (String, Source)>>,
    /// The values, for substitution.
    pub variables: Memo<BTreeMap<String, String>>,
    /// Values refused from any source, each with why: shown in the hosts panel.
    pub refused: Memo<Vec<String>>,
    pub store: Store,
}

/// The incident a page runs, by id, with its current state.
#[derive(Clone, Copy)]
pub struct IncidentRef {
    pub id: StoredValue<String>,
    pub state: Memo<Option<Incident>>,
}

impl IncidentRef {
    pub fn new(store: Store, id: String) -> IncidentRef {
        let id = StoredValue::new(id);
        let state = Memo::new(move |_| id.with_value(|id| store.incident(id)));
        IncidentRef { id, state }
    }

    pub fn update(&self, store: Store, change: impl FnOnce(&mut Incident)) {
        self.id.with_value(|id| store.update(id, change));
    }
}

impl Doc {
    pub fn new(
        runbook: &'static Runbook,
        incident: Option<IncidentRef>,
        from_link: BTreeMap<String, String>,
        store: Store,
    ) -> Doc {
        // Every source in order of precedence, lowest first.
        let layers = move || {
            let mut layers: Vec<(Source, Vec<(String, String)>)> = vec![
                (Source::Site, library::variable_defaults().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
                (Source::Runbook, runbook.front_matter.variables.clone()),
                (Source::User, store.user_variables.with(|vars| vars.clone().into_iter().collect())),
                (Source::Link, from_link.clone().into_iter().collect()),
            ];
            if let Some(incident) = incident {
                let held = incident.state.with(|i| i.as_ref().map(|i| i.variables.clone()).unwrap_or_default());
                layers.push((Source::Incident, held.into_iter().collect()));
            }
            layers
        };
        let checked = Memo::new(move |_| value_sources::resolve(runbook, layers()));
        let sourced = Memo::new(move |_| checked.with(|resolved| resolved.values.clone()));
        let variables = Memo::new(move |_| {
            sourced.with(|values| values.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect())
        });
        let refused = Memo::new(move |_| checked.with(|resolved| resolved.refused.clone()));
        Doc { runbook, incident, sourced, variables, refused, store }
    }

    /// Sets a variable where it belongs: on the incident when one runs, else for this user.
    /// A value that does not fit its placeholder is refused with the reason.
    pub fn set_variable(&self, name: &str, value: &str) -> Result<(), String> {
        // Only detected host variables; a secret's name never gets a value.
        let value = self.runbook.check_value(name, &clean_value(value)).map_err(|e| e.to_string())?;
        match self.incident {
            Some(incident) => {
                let mut accepted = true;
                incident.update(self.store, |i| accepted = i.set_variable(name, &value));
                if !accepted {
                    return Err("this incident holds as many host values as it can".into());
                }
            }
            None => self.store.set_user_variable(name, &value),
        }
        Ok(())
    }

    pub fn source_of(&self, name: &str) -> Option<Source> {
        self.sourced.with(|values| values.get(name).map(|(_, source)| *source))
    }

    pub fn value_of(&self, name: &str) -> Option<String> {
        self.variables.with(|values| values.get(name).cloned())
    }
}

/// Variables a link sets, such as `?EC2_HOST=10.0.0.5` from an alert. Only the runbook's
/// own host variables are taken: a secret's name in a link is ignored.
pub fn variables_from_link(runbook: &Runbook) -> BTreeMap<String, String> {
    let query = use_query_map();
    query.with_untracked(|q| {
        runbook
            .variables
            .iter()
            .filter_map(|v| q.get(&v.name).map(|value| (v.name.clone(), clean_value(&value))))
            .filter(|(_, value)| !value.is_empty())
            .collect()
    })
}
