//! A runbook page: the whole runbook, ready to start an incident from.

use leptos::prelude::*;

use crate::components::BEFORE_APP;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use runbook::Runbook;

use crate::components::diagnostics::DiagnosticsList;
use crate::components::hosts::HostsPanel;
use crate::components::markdown::blocks_view;
use crate::components::outage_panel::OutageFromLink;
use crate::components::probe_status::RunbookProbe;
use crate::components::toc::TableOfContents;
use crate::doc::{variables_from_link, Doc};
use crate::library::{self, Load};
use crate::routes::not_found::NotFound;
use crate::state::clock::{now, use_clock};
use crate::state::store::{new_incident_id, use_store, Store};

#[component]
pub fn RunbookPage() -> impl IntoView {
    let params = use_params_map();
    // Static hosts serve `r/<slug>/index.html` at `/r/<slug>/` (Cloudflare Pages redirects
    // `/r/<slug>` there): the trailing slash is part of the address, not of the slug.
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default().trim_end_matches('/').to_string()));
    move || match library::runbook(&slug.get()) {
        Load::Ready(runbook) => view! { <ReadRunbook runbook=runbook/> }.into_any(),
        Load::Missing => view! { <NotFound/> }.into_any(),
        Load::Loading => view! { <Opening what="the runbook"/> }.into_any(),
        Load::Failed(why) => view! { <Unreadable what="This runbook" why=why/> }.into_any(),
    }
}

/// While a page's file is on its way (the first visit's page waits for it before the app
/// shows, so this is seen only when moving to another page).
#[component]
pub fn Opening(what: &'static str) -> impl IntoView {
    view! { <p class="page narrow opening-note" role="status">{format!("Opening {what}…")}</p> }
}

/// A page's file could not be read: why, and what to do.
#[component]
pub fn Unreadable(what: &'static str, why: String) -> impl IntoView {
    view! {
        <section class="page narrow problem" role="alert">
            <h1>{format!("{what} could not be opened")}</h1>
            <p>{format!("Because {why}.")}</p>
            <p><button type="button" on:click=|_| { let _ = window().location().reload(); }>"Reload the page"</button></p>
        </section>
    }
}

#[component]
fn ReadRunbook(runbook: &'static Runbook) -> impl IntoView {
    #[cfg(not(feature = "ssr"))]
    document().set_title(&format!("{} · {}", runbook.title, library::site_title()));
    let store = use_store();
    let from_link = variables_from_link(runbook);
    let doc = Doc::new(runbook, None, from_link.clone(), store);
    let navigate = use_navigate();
    let start = move |_| {
        // Only the link's values that fit their placeholders; the hosts panel says why not.
        let incident = runbook::actions::start(runbook, new_incident_id(), now(), &from_link);
        let id = incident.id.clone();
        store.put(incident);
        navigate(&format!("/i/{id}"), NavigateOptions::default());
    };
    view! {
        <RunbookBody doc=doc>
            <OutageFromLink runbook=runbook/>
            <div class="runbook-actions">
                <button type="button" class="start" on:click=start data-needs-app=BEFORE_APP.then_some("") data-starter=BEFORE_APP.then_some("")>"Start incident"</button>
                <OpenIncidents runbook=runbook store=store/>
            </div>
            <RunbookProbe runbook=runbook/>
        </RunbookBody>
    }
}

/// Incidents already running on this runbook, so nobody starts a second by mistake.
#[component]
fn OpenIncidents(runbook: &'static Runbook, store: Store) -> impl IntoView {
    let clock = use_clock();
    let open = Memo::new(move |_| {
        store.incidents.with(|list| {
            runbook::actions::open_on(list, runbook)
                .into_iter()
                .map(|i| (i.id.clone(), i.started_at))
                .collect::<Vec<_>>()
        })
    });
    move || {
        open.get()
            .into_iter()
            .map(|(id, started)| {
                view! {
                    <a class="continue" href=format!("/i/{id}")>
                        {format!("Continue the incident started {}", runbook::clock::hh_mm(started, clock.offset_minutes.get()))}
                    </a>
                }
            })
            .collect_view()
    }
}

/// The runbook itself, with its contents, hosts panel and source notes; `children` go at
/// the top of the article (the page's own actions).
#[component]
pub fn RunbookBody(doc: Doc, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let runbook = doc.runbook;
    scroll_to_fragment_after_render();
    view! {
        <div class="page runbook-page">
            <TableOfContents doc=doc/>
            <article class="doc">
                {children.map(|c| c())}
                <HostsPanel doc=doc/>
                {blocks_view(&runbook.blocks, doc)}
                <Footnotes runbook=runbook doc=doc/>
                <DiagnosticsList diagnostics=&runbook.diagnostics/>
            </article>
        </div>
    }
}

#[component]
fn Footnotes(runbook: &'static Runbook, doc: Doc) -> impl IntoView {
    (!runbook.footnotes.is_empty()).then(|| {
        view! {
            <section class="footnotes" aria-label="Footnotes">
                <ol>
                    {runbook.footnotes.iter().map(|footnote| view! {
                        <li id=format!("fn-{}", footnote.label)>
                            {blocks_view(&footnote.blocks, doc)}
                            <a class="footnote-back" href=format!("#fnref-{}", footnote.label) aria-label="Back to the text">"↩"</a>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

/// The browser scrolls to `#anchor` only if the element exists when the page loads; here
/// the content is drawn after, so scroll once it is in the document.
fn scroll_to_fragment_after_render() {
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        let hash = location.hash.get();
        request_animation_frame(move || crate::place::scroll_to_fragment(&hash));
    });
}
