//! What the runbook views draw from: the runbook, the incident being run (if any) and the
//! values of its variables, resolved from every source in one place.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use runbook::actions;
use runbook::incident::Incident;
use runbook::value_sources::{self, Offered, Source};
use runbook::Runbook;

use crate::library;
use crate::state::store::Store;

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
        // Every source, each above the one before (`value_sources::Offered`).
        let layers = move || {
            Offered {
                site: library::variable_defaults().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                runbook: runbook.front_matter.variables.clone(),
                user: store.user_variables.with(|vars| vars.clone().into_iter().collect()),
                link: from_link.clone().into_iter().collect(),
                incident: incident.map(|i| {
                    i.state.with(|i| i.as_ref().map(|i| i.variables.clone()).unwrap_or_default()).into_iter().collect()
                }),
            }
            .layers()
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
        let value = actions::checked_value(self.runbook, name, value).map_err(|e| e.to_string())?;
        match self.incident {
            Some(incident) => {
                let mut result = Ok(());
                incident.update(self.store, |i| result = actions::set_incident_value(i, name, &value));
                result.map_err(|e| e.to_string())
            }
            None => {
                self.store.set_user_variable(name, &value);
                Ok(())
            }
        }
    }

    pub fn source_of(&self, name: &str) -> Option<Source> {
        self.sourced.with(|values| values.get(name).map(|(_, source)| *source))
    }

    pub fn value_of(&self, name: &str) -> Option<String> {
        self.variables.with(|values| values.get(name).cloned())
    }
}

/// Variables a link sets, such as `?EC2_HOST=10.0.0.5` from an alert
/// (`value_sources::from_link`: only the runbook's own placeholders).
pub fn variables_from_link(runbook: &Runbook) -> BTreeMap<String, String> {
    use_query_map().with_untracked(|q| value_sources::from_link(runbook, &|name| q.get(name)))
}
