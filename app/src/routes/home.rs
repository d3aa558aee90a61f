//! Home: open incidents first, then every runbook with the scenarios it answers.

use leptos::prelude::*;
use runbook::actions;
use runbook::catalog::CatalogEntry;
use runbook::clock::hh_mm;
use runbook::cockpit::progress;
use runbook::incident::Incident;

use crate::components::probe_status::ProbeStrip;
use crate::components::severity_class;
use crate::library::{self, runbook_href, Load};
use crate::routes::runbook::{Opening, Unreadable};
use crate::state::clock::use_clock;
use crate::state::store::use_store;

#[component]
pub fn HomePage() -> impl IntoView {
    #[cfg(not(feature = "ssr"))]
    document().set_title(&format!("Runbooks · {}", library::site_title()));
    view! {
        <section class="page home">
            <IncidentList/>
            <ProbeStrip/>
            <h1 class="page-title">"Runbooks"</h1>
            <p class="lede">"Open the runbook for what is happening, or press " <kbd>"/"</kbd> " to search every step."</p>
            {move || match library::catalog() {
                Load::Ready(catalog) if catalog.runbooks.is_empty() => {
                    view! { <p class="empty">"No runbooks yet: add a markdown file to the runbooks/ folder."</p> }.into_any()
                }
                Load::Ready(catalog) => {
                    view! { <ul class="runbook-list">{catalog.runbooks.iter().map(runbook_card).collect_view()}</ul> }.into_any()
                }
                Load::Loading => view! { <Opening what="the list of runbooks"/> }.into_any(),
                Load::Missing => view! { <Unreadable what="The list of runbooks" why="the site has no list of its runbooks".to_string()/> }.into_any(),
                Load::Failed(why) => view! { <Unreadable what="The list of runbooks" why=why/> }.into_any(),
            }}
        </section>
    }
}

/// Open incidents with their running clocks, then the last few resolved ones.
#[component]
fn IncidentList() -> impl IntoView {
    let store = use_store();
    let clock = use_clock();
    let lists = Memo::new(move |_| store.incidents.with(|l| actions::home_incidents(l)));
    let open = Memo::new(move |_| lists.with(|(open, _)| open.clone()));
    let recent = Memo::new(move |_| lists.with(|(_, recent)| recent.clone()));
    let card = move |incident: Incident| {
        // The title from the catalog; the steps once the runbook itself has arrived.
        let title = match library::catalog().ready().map(|c| c.get(&incident.runbook)) {
            Some(Some(entry)) => entry.title.clone(),
            Some(None) => format!("{} (runbook no longer in this site)", incident.runbook),
            None => incident.runbook.clone(),
        };
        let slug = incident.runbook.clone();
        let for_steps = incident.clone();
        let steps = move || library::runbook(&slug).ready().map(|r| progress(r, &for_steps));
        let resolved = incident.is_resolved();
        let started = incident.started_at;
        let href = format!("/i/{}", incident.id);
        let severity = incident.severity.clone();
        let elapsed = move || actions::clock_words(&incident, clock.now.get());
        view! {
            <li>
                <a class="incident-card" class:resolved=resolved href=href>
                    {severity.map(|s| view! { <span class=severity_class(&s)>{s.clone()}</span> })}
                    <span class="incident-title">{title}</span>
                    <span class="incident-meta">{move || format!("started {}", hh_mm(started, clock.offset_minutes.get()))}</span>
                    {move || steps().map(|p| view! { <span class="incident-meta">{format!("{}/{} steps", p.done, p.total)}</span> })}
                    <span class="incident-clock">{elapsed}</span>
                </a>
            </li>
        }
    };
    view! {
        <Show when=move || !open.with(Vec::is_empty)>
            <h2 class="section-title">"Open incidents"</h2>
            <ul class="incident-list open">{move || open.get().into_iter().map(card).collect_view()}</ul>
        </Show>
        <Show when=move || !recent.with(Vec::is_empty)>
            <details class="recent-incidents">
                <summary>"Recently resolved"</summary>
                <ul class="incident-list">{move || recent.get().into_iter().map(card).collect_view()}</ul>
            </details>
        </Show>
    }
}

fn runbook_card(runbook: &'static CatalogEntry) -> impl IntoView {
    let href = runbook_href(&runbook.slug, None);
    let scenarios = runbook.scenarios.clone();
    let has_scenarios = !scenarios.is_empty();
    view! {
        <li class="runbook-card">
            <h2><a href=href>{runbook.title.clone()}</a></h2>
            <p class="description">{runbook.description.clone()}</p>
            {has_scenarios.then(|| view! {
                <ul class="scenarios" aria-label="Scenarios">
                    {scenarios.into_iter().map(|scenario| {
                        let href = runbook_href(&runbook.slug, Some(&scenario.anchor));
                        let severity = scenario.severity.clone();
                        view! {
                            <li>
                                <a class="scenario" href=href>
                                    {severity.map(|s| view! { <span class=severity_class(&s)>{s.clone()}</span> })}
                                    <span>{scenario.title}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}
