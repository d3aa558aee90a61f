//! A runbook page: the whole runbook, its contents, and what the parser noticed.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_params_map};
use runbook::Runbook;

use crate::components::diagnostics::DiagnosticsList;
use crate::components::markdown::blocks_view;
use crate::components::toc::TableOfContents;
use crate::routes::not_found::NotFound;
use crate::site;

#[component]
pub fn RunbookPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    move || match site::runbook(&slug.get()) {
        Some(runbook) => view! { <RunbookView runbook=runbook/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}

#[component]
fn RunbookView(runbook: &'static Runbook) -> impl IntoView {
    document().set_title(&format!("{} · Outpost", runbook.title));
    scroll_to_fragment_after_render();
    view! {
        <div class="page runbook-page">
            <TableOfContents headings=&runbook.headings/>
            <article class="doc">
                {blocks_view(&runbook.blocks)}
                <Footnotes runbook=runbook/>
                <DiagnosticsList diagnostics=&runbook.diagnostics/>
            </article>
        </div>
    }
}

#[component]
fn Footnotes(runbook: &'static Runbook) -> impl IntoView {
    (!runbook.footnotes.is_empty()).then(|| {
        view! {
            <section class="footnotes" aria-label="Footnotes">
                <ol>
                    {runbook.footnotes.iter().map(|footnote| view! {
                        <li id=format!("fn-{}", footnote.label)>
                            {blocks_view(&footnote.blocks)}
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
    let location = use_location();
    Effect::new(move |_| {
        let hash = location.hash.get();
        request_animation_frame(move || {
            let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else {
                return;
            };
            let id = runbook::links::percent_decode(id);
            if let Some(element) = document().get_element_by_id(&id) {
                element.scroll_into_view();
            }
        });
    });
}
