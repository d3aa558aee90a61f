//! The table of contents: a sticky column on wide screens, a fold-out on phones.

use leptos::prelude::*;
use runbook::cockpit::phase_progress;
use runbook::contents::{contents, Entry};

use crate::doc::Doc;

/// During an incident, phases show their progress ("3/7").
#[component]
pub fn TableOfContents(doc: Doc) -> impl IntoView {
    let entries = contents(doc.runbook)
        .into_iter()
        .map(|Entry { heading, sub, phase }| {
            let class = if sub { "toc-item sub" } else { "toc-item" };
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
