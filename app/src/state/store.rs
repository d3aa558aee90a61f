//! Incidents and the user's variable values, kept in signals and saved to localStorage on
//! every change. Other tabs' changes arrive through the `storage` event, so two tabs on one
//! incident stay consistent. Unreadable saved data is set aside under another key and
//! reported: never deleted, never allowed to break the page.

use std::collections::BTreeMap;

use leptos::ev;
use leptos::prelude::*;
use runbook::incident::Incident;
use tokens::codec;

use super::storage;

use tokens::codec::SAVED_KEY_PREFIX as INCIDENT_PREFIX;
const VARIABLES_KEY: &str = codec::USER_VALUES_KEY;
const SET_ASIDE_PREFIX: &str = "outpost.unreadable.";

#[derive(Clone, Copy)]
pub struct Store {
    /// Newest first.
    pub incidents: RwSignal<Vec<Incident>>,
    /// Variable values this user set outside any incident (`EC2_HOST`).
    pub user_variables: RwSignal<BTreeMap<String, String>>,
    /// What the user must hear about: unreadable saved data, storage full, a merged link.
    pub notices: RwSignal<Vec<Notice>>,
    /// Each incident's saved token as this tab last read or wrote it: a different one in
    /// storage means another tab saved since, unseen (a missed `storage` event).
    seen: StoredValue<BTreeMap<String, String>>,
}

#[derive(Clone, PartialEq)]
pub struct Notice {
    pub text: String,
    /// A problem (drawn as a warning) rather than news.
    pub problem: bool,
}

/// At build time, the incidents the store starts with (`prerender::render_incident_template`).
#[derive(Clone)]
pub struct Seed(pub Vec<Incident>);

pub fn use_store() -> Store {
    expect_context::<Store>()
}

impl Store {
    pub fn load() -> Store {
        let store = Store {
            incidents: RwSignal::new(Vec::new()),
            user_variables: RwSignal::new(read_variables()),
            notices: RwSignal::new(Vec::new()),
            seen: StoredValue::new(BTreeMap::new()),
        };
        if cfg!(feature = "ssr") {
            // Building pages: nothing saved, nothing to follow; an incident page's template
            // is drawn from the incident it is given.
            if let Some(Seed(incidents)) = use_context::<Seed>() {
                store.incidents.set(incidents);
            }
            return store;
        }
        if !storage::is_available() {
            store.notice("This browser does not let Outpost save anything: incidents will be lost on reload.".into());
        }
        let mut incidents = Vec::new();
        for key in storage::keys_with_prefix(INCIDENT_PREFIX) {
            if let Some(incident) = store.read_incident(&key) {
                incidents.push(incident);
            }
        }
        newest_first(&mut incidents);
        store.incidents.set(incidents);
        store.follow_other_tabs();
        store
    }

    pub fn incident(&self, id: &str) -> Option<Incident> {
        self.incidents.with(|list| list.iter().find(|i| i.id == id).cloned())
    }

    /// Adds or replaces an incident and saves it, united first with a copy another tab saved
    /// unseen.
    pub fn put(&self, mut incident: Incident) {
        self.unite_unseen(&mut incident);
        self.replace(incident);
    }

    /// Changes one incident and saves it at once. When another tab saved it since this one
    /// last looked, the two copies are united first, by the rules share links use
    /// (`runbook::merge`), so neither tab's checks are lost.
    pub fn update(&self, id: &str, change: impl FnOnce(&mut Incident)) {
        let Some(mut incident) = self.incident(id) else {
            return;
        };
        self.unite_unseen(&mut incident);
        change(&mut incident);
        self.put(incident);
    }

    /// When another tab saved `incident` since this one last read or wrote it, its copy is
    /// merged in (the report is not shown: both copies are this user's work). A copy that
    /// cannot be read is set aside, and one that cannot be merged is kept under a new id:
    /// never overwritten.
    fn unite_unseen(&self, incident: &mut Incident) {
        let key = format!("{INCIDENT_PREFIX}{}", incident.id);
        let Some(stored) = storage::get(&key) else { return };
        if self.seen.with_value(|seen| seen.get(&incident.id) == Some(&stored)) {
            return;
        }
        if let Some(mut theirs) = self.read_incident(&key) {
            if runbook::merge::merge(incident, &theirs, super::clock::now()).is_err() {
                // Another incident under the same id (two links whose ids cleaned to one, on
                // two runbooks): both are kept, theirs under a new id.
                theirs.id = new_incident_id();
                self.save(&theirs);
                self.incidents.update(|list| {
                    list.push(theirs);
                    newest_first(list);
                });
            }
        }
    }

    /// Replaces an incident with the live room's copy, as it is: the room has united
    /// everyone's changes (`room::rules`), this copy's own included. (Only in the browser.)
    #[cfg_attr(feature = "ssr", allow(dead_code))]
    pub fn replace(&self, incident: Incident) {
        self.save(&incident);
        self.incidents.update(|list| {
            list.retain(|i| i.id != incident.id);
            list.push(incident);
            newest_first(list);
        });
    }

    pub fn set_user_variable(&self, name: &str, value: &str) {
        self.user_variables.update(|vars| {
            let value = runbook::values::clean(value);
            if value.is_empty() {
                vars.remove(name);
            } else {
                vars.insert(name.to_string(), value);
            }
        });
        let text: String =
            self.user_variables.with_untracked(|vars| vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect());
        if !storage::set(VARIABLES_KEY, &text) {
            self.notice("Could not save your variable values: browser storage is full or disabled.".into());
        }
    }

    fn save(&self, incident: &Incident) {
        let token = codec::encode(incident);
        self.seen.update_value(|seen| {
            seen.insert(incident.id.clone(), token.clone());
        });
        if !storage::set(&format!("{INCIDENT_PREFIX}{}", incident.id), &token) {
            self.notice("Could not save the incident: browser storage is full or disabled. Keep this tab open.".into());
        }
    }

    fn notice(&self, text: String) {
        self.tell(Notice { text, problem: true });
    }

    pub fn tell(&self, notice: Notice) {
        self.notices.update(|n| {
            if !n.contains(&notice) {
                n.push(notice)
            }
        });
    }

    /// Reads one saved incident; unreadable data is moved aside and reported.
    fn read_incident(&self, key: &str) -> Option<Incident> {
        let token = storage::get(key)?;
        match codec::decode(&token) {
            Ok(incident) => {
                self.seen.update_value(|seen| {
                    seen.insert(incident.id.clone(), token.clone());
                });
                Some(incident)
            }
            Err(error) => {
                let aside = format!("{SET_ASIDE_PREFIX}{}.{}", &key[INCIDENT_PREFIX.len()..], super::clock::now());
                let text = if storage::set(&aside, &token) {
                    storage::remove(key);
                    format!("It was set aside, not deleted, under the browser storage key \"{aside}\".")
                } else {
                    format!("The browser's storage is too full to set it aside: it is still under the key \"{key}\", until this incident is saved again.")
                };
                self.notice(format!("A saved incident could not be read ({error}). {text}"));
                None
            }
        }
    }

    fn follow_other_tabs(&self) {
        let store = *self;
        let handle = window_event_listener(ev::storage, move |event| {
            let Some(key) = event.key() else { return };
            if key == VARIABLES_KEY {
                store.user_variables.set(read_variables());
            } else if let Some(id) = key.strip_prefix(INCIDENT_PREFIX) {
                let id = id.to_string();
                let fresh = store.read_incident(&key);
                store.incidents.update(|list| {
                    list.retain(|i| i.id != id);
                    list.extend(fresh);
                    newest_first(list);
                });
            }
        });
        on_cleanup(move || handle.remove());
    }
}

fn newest_first(incidents: &mut [Incident]) {
    document::small_sort::sort_by_key(incidents, |i| std::cmp::Reverse(i.started_at));
}

fn read_variables() -> BTreeMap<String, String> {
    let text = storage::get(VARIABLES_KEY).unwrap_or_default();
    text.lines()
        .filter_map(|line| line.split_once('='))
        .filter(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map(|(name, value)| (name.to_string(), runbook::values::clean(value)))
        .collect()
}

/// A new incident's id: eight random base-36 characters.
pub fn new_incident_id() -> String {
    runbook::actions::incident_id(js_sys::Math::random())
}
