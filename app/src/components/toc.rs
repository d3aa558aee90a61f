//! The table of contents: a sticky column on wide screens, a fold-out on phones.

use leptos::prelude::*;
use runbook::cockpit::phase_progress;

use crate::doc::Doc;

/// During an incident, phases show their progress ("3/7").
#[component]
pub fn TableOfContents(doc: Doc) -> impl IntoView {
    let headings = &doc.runbook.headings;
    // The title (h1) is the page itself; list the sections below it, two levels deep.
    let top = headings.iter().filter(|h| h.level > 1).map(|h| h.level).min().unwrap_or(2);
    let entries = headings
        .iter()
        .filter(|h| h.level >= top && h.level <= top + 1)
        .map(|heading| {
            let class = if heading.level == top { "toc-item" } else { "toc-item sub" };
            let phase = doc.runbook.phases.iter().position(|p| p.anchor == heading.anchor);
            let progress = phase.zip(doc.incident).map(|(phase, incident)| {
                let counts = move || {
                    incident
                        .state
                        .with(|i| i.as_ref().map(|i| phase_progress(doc.runbook, i, phase)).unwrap_or_default())
                };
                view! {
                    <span class="toc-progress" class:complete=move || counts().is_complete()>
                        {move || { let p = counts(); format!("{}/{}", p.done, p.total) }}
                    </span>
                }
            });
            view! { <li class=class><a href=format!("#{}", heading.anchor)>{heading.text.clone()}{progress}</a></li> }
        })
        .collect_view();
    view! {
        <nav class="toc" aria-label="On this page">
            <details open=is_wide_screen()>
                <summary>"On this page"</summary>
                <ul>{entries}</ul>
            </details>
        </nav>
    }
}

/// Wide screens show the contents as a column; phones start with it folded. Pre-rendered
/// pages start folded, and the stylesheet shows the column on wide screens until the app
/// opens it, so nothing moves when it does.
fn is_wide_screen() -> bool {
    if cfg!(feature = "ssr") {
        return false;
    }
    window().match_media("(min-width: 64rem)").ok().flatten().is_some_and(|query| query.matches())
}
