//! What the runbook views draw from: the runbook, the incident being run (if any) and the
//! values of its variables, resolved from every source in one place.

use std::collections::BTreeMap;

use leptos::prelude::*;
use runbook::incident::Incident;
use runbook::Runbook;

use crate::site;
use crate::state::store::{clean_value, Store};

#[derive(Clone, Copy)]
pub struct Doc {
    pub runbook: &'static Runbook,
    pub incident: Option<IncidentRef>,
    /// Every variable's value for this page: incident, then link, then user, then runbook
    /// front matter, then outpost.toml. Secrets never appear here.
    pub variables: Memo<BTreeMap<String, String>>,
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
        let variables = Memo::new(move |_| {
            let mut values: BTreeMap<String, String> = BTreeMap::new();
            let known = |name: &str| runbook.variables.iter().any(|v| v.name == name);
            let mut layer = |source: &mut dyn Iterator<Item = (String, String)>| {
                for (name, value) in source {
                    if known(&name) && !value.is_empty() {
                        values.insert(name, value);
                    }
                }
            };
            layer(&mut site::variable_defaults().map(|(k, v)| (k.to_string(), v.to_string())));
            layer(&mut runbook.front_matter.variables.iter().cloned());
            store.user_variables.with(|vars| layer(&mut vars.clone().into_iter()));
            layer(&mut from_link.clone().into_iter());
            if let Some(incident) = incident {
                incident.state.with(|i| {
                    if let Some(i) = i {
                        layer(&mut i.variables.clone().into_iter());
                    }
                });
            }
            values
        });
        Doc { runbook, incident, variables, store }
    }

    /// Sets a variable where it belongs: on the incident when one runs, else for this user.
    pub fn set_variable(&self, name: &str, value: &str) {
        if !self.runbook.variables.iter().any(|v| v.name == name) {
            return; // Only detected host variables; a secret's name never gets a value.
        }
        match self.incident {
            Some(incident) => incident.update(self.store, |i| {
                let value = clean_value(value);
                if value.is_empty() {
                    i.variables.remove(name);
                } else {
                    i.variables.insert(name.to_string(), value);
                }
            }),
            None => self.store.set_user_variable(name, value),
        }
    }

    pub fn value_of(&self, name: &str) -> Option<String> {
        self.variables.with(|values| values.get(name).cloned())
    }
}
