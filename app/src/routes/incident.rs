//! An incident page: the runbook in incident mode under the cockpit.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::cockpit_bar::CockpitBar;
use crate::components::live_panel::JoinRoom;
use crate::components::probe_follow::FollowProbe;
use crate::components::status_post::{PostResolution, ResolutionSaid};
use crate::doc::variables_from_link;
use crate::doc::{Doc, IncidentRef};
use crate::library::{self, Load};
use crate::routes::runbook::{Opening, RunbookBody, Unreadable};
use crate::state::live::Live;
use crate::state::store::use_store;

#[component]
pub fn IncidentPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let store = use_store();
    // Only which runbook the incident runs decides the page; every other change flows in
    // through signals without redrawing the runbook (and losing the reader's place).
    let runbook_slug = Memo::new(move |_| {
        let id = id.get();
        store.incidents.with(|list| list.iter().find(|i| i.id == id).map(|i| i.runbook.clone()))
    });
    // The live room the incident is in (from the link, or joined before): rejoined when this
    // browser holds the incident and a name and was in that room before; otherwise the
    // cockpit (or `JoinRoom`) asks.
    let live = Live::new();
    provide_context(live);
    on_cleanup(Live::leave);
    live.follow_local_changes(store, id.get_untracked());
    let room_link = Live::link_for(&id.get_untracked());
    if let (Some(api), Some(link), true) = (
        library::probe_api(),
        room_link.clone(),
        runbook_slug.get_untracked().is_some()
            && live.name.get_untracked().is_some()
            && Live::joins_without_asking(&id.get_untracked()),
    ) {
        live.join(store, api, id.get_untracked(), link);
    }
    move || {
        let id = id.get_untracked();
        match runbook_slug.get() {
            Some(slug) => match library::runbook(&slug) {
                Load::Loading => view! { <Opening what="the incident"/> }.into_any(),
                Load::Failed(why) => view! { <Unreadable what="This incident's runbook" why=why/> }.into_any(),
                Load::Ready(runbook) => {
                    let incident = IncidentRef::new(store, id.clone());
                    ResolutionSaid::provide();
                    let doc = Doc::new(runbook, Some(incident), variables_from_link(runbook), store);
                    // Drawn at build time too, as the page starter's template: no document then.
                    #[cfg(not(feature = "ssr"))]
                    {
                        document().set_title(&format!("Incident · {} · {}", runbook.title, library::site_title()));
                        scroll_to_first_open_step();
                    }
                    view! {
                        <CockpitBar doc=doc incident=incident/>
                        <RunbookBody doc=doc><FollowProbe incident=incident/><PostResolution/></RunbookBody>
                    }
                    .into_any()
                }
                Load::Missing => view! {
                    <section class="page narrow problem">
                        <h1>"This incident's runbook is not in this site"</h1>
                        <p>"The incident was run with the runbook " <code>{slug}</code> ", which this site no longer has. Its saved state is kept in this browser."</p>
                    </section>
                }
                .into_any(),
            },
            None if room_link.is_some() => {
                let link = room_link.clone().into_iter().next();
                link.map(|link| view! { <JoinRoom store=store id=id.clone() link=link/> }).into_any()
            }
            None => view! {
                <section class="page narrow problem">
                    <h1>"No such incident in this browser"</h1>
                    <p>"Incidents are kept in the browser where they were started. Start one from a runbook on the " <a href="/">"home page"</a> "."</p>
                </section>
            }
            .into_any(),
        }
    }
}

#[cfg(not(feature = "ssr"))]
/// Opening an incident (just started, or reopened later) shows the first step not done yet,
/// unless the address names a heading: the work, not the table of contents, comes first.
fn scroll_to_first_open_step() {
    let hash = leptos_router::hooks::use_location().hash.get_untracked();
    if !hash.trim_start_matches('#').is_empty() {
        return;
    }
    // The page starter opened this incident and showed its first step already: taking the
    // page over keeps the reader where they are since. Once: incidents opened later scroll.
    if let Some(root) = document().document_element().filter(|root| root.class_list().contains("starter-opened")) {
        let _ = root.class_list().remove_1("starter-opened");
        return;
    }
    request_animation_frame(|| {
        let Ok(Some(open)) = document().query_selector(".step-check input:not(:checked)") else { return };
        let target = open.closest(".step, .command").ok().flatten().unwrap_or(open);
        target.scroll_into_view();
    });
}
