//! An outage the probe declared, offered as the start of an incident: from a link in an
//! alert or on the status page (`?outage=…`), or from the live status on a runbook page.
//! A link's outage is checked before anything is shown; a bad one says why and changes
//! nothing. A second click on the same outage opens the incident it already started.

use std::collections::BTreeMap;

use api::outage::OutageLink;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use runbook::actions;
use runbook::clock::hh_mm;
use runbook::outage::suggested_severity;
use runbook::Runbook;

use crate::components::BEFORE_APP;
use crate::doc::variables_from_link;
use crate::state::clock::{now, use_clock};
use crate::state::store::{new_incident_id, use_store, Store};

/// The outage in this page's address, if any, ready to start the incident from.
#[component]
pub fn OutageFromLink(runbook: &'static Runbook) -> impl IntoView {
    let value = use_query_map().with_untracked(|q| q.get(api::outage::PARAM))?;
    let outage = match actions::read_outage_link(&value, now(), crate::library::known_endpoints()) {
        Ok(outage) => outage,
        Err(reason) => {
            return Some(
                view! {
                    <p class="notice outage-refused" role="alert">
                        {format!("This link's outage can't be used: {reason}. Nothing was changed.")}
                    </p>
                }
                .into_any(),
            );
        }
    };
    // Opened twice (a second click on the alert): the incident it started is the answer.
    let store = use_store();
    if let Some(id) = incident_for(store, runbook, &outage) {
        let navigate = use_navigate();
        Effect::new(move |_| navigate(&format!("/i/{id}"), NavigateOptions { replace: true, ..Default::default() }));
        return None;
    }
    let hosts = variables_from_link(runbook);
    Some(view! { <OutagePanel runbook=runbook outage=outage hosts=hosts/> }.into_any())
}

/// What the probe saw, and the button that starts the incident from it.
#[component]
fn OutagePanel(runbook: &'static Runbook, outage: OutageLink, hosts: BTreeMap<String, String>) -> impl IntoView {
    let clock = use_clock();
    let regions =
        if outage.regions.is_empty() { String::new() } else { format!(" from {}", outage.regions.join(", ")) };
    let headline = format!("{} {}{regions}", outage.endpoint, outage.state.state().label());
    let (onset, declared) = (outage.onset, outage.declared);
    let severity = suggested_severity(&runbook.severities, outage.state).map(str::to_string);
    let class = format!("outage-panel {}", outage.state.state().class());
    view! {
        <section class=class aria-label="Outage reported by the probe">
            <p class="outage-headline"><strong>{headline}</strong>": "{outage.cause.clone()}</p>
            <p class="outage-when">
                {move || {
                    let offset = clock.offset_minutes.get();
                    format!("Since {} (declared {}) by the edge probe", hh_mm(onset, offset), hh_mm(declared, offset))
                }}
                {severity.map(|level| format!(" · {level} suggested by this runbook's severity table"))}
            </p>
            <StartFromOutage runbook=runbook outage=outage hosts=hosts/>
        </section>
    }
}

/// "Start incident from this outage", or "Open the incident" once one was started from it.
#[component]
pub fn StartFromOutage(
    runbook: &'static Runbook,
    outage: OutageLink,
    hosts: BTreeMap<String, String>,
) -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let key = outage.clone();
    let existing = Memo::new(move |_| {
        store.incidents.track();
        incident_for(store, runbook, &key)
    });
    let start = move |_| {
        let id = start_from_outage(store, runbook, &outage, &hosts);
        navigate(&format!("/i/{id}"), NavigateOptions::default());
    };
    move || {
        match existing.get() {
        Some(id) => view! { <a class="probe-action" href=format!("/i/{id}")>"Open the incident"</a> }.into_any(),
        None => view! { <button type="button" class="start probe-start" data-needs-app=BEFORE_APP.then_some("") on:click=start.clone()>"Start incident from this outage"</button> }
            .into_any(),
    }
    }
}

/// The incident this browser already holds for `outage`, if any (read without tracking:
/// callers that follow the list track it themselves).
fn incident_for(store: Store, runbook: &Runbook, outage: &OutageLink) -> Option<String> {
    store.incidents.with_untracked(|list| actions::incident_for_outage(list, runbook, outage).map(|i| i.id.clone()))
}

/// Starts (or finds) the incident for `outage`; its id.
fn start_from_outage(store: Store, runbook: &Runbook, outage: &OutageLink, hosts: &BTreeMap<String, String>) -> String {
    if let Some(id) = incident_for(store, runbook, outage) {
        return id;
    }
    let incident = actions::start_from_outage(runbook, new_incident_id(), outage, hosts);
    let id = incident.id.clone();
    store.put(incident);
    id
}
