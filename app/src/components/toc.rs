//! The table of contents: a sticky column on wide screens, a fold-out on phones.

use leptos::prelude::*;
use runbook::HeadingRef;

#[component]
pub fn TableOfContents(headings: &'static [HeadingRef]) -> impl IntoView {
    // The title (h1) is the page itself; list the sections below it, two levels deep.
    let top = headings
        .iter()
        .filter(|h| h.level > 1)
        .map(|h| h.level)
        .min()
        .unwrap_or(2);
    let entries = headings
        .iter()
        .filter(|h| h.level >= top && h.level <= top + 1)
        .map(|heading| {
            let class = if heading.level == top { "toc-item" } else { "toc-item sub" };
            view! { <li class=class><a href=format!("#{}", heading.anchor)>{heading.text.clone()}</a></li> }
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

/// Wide screens show the contents as a column; phones start with it folded.
fn is_wide_screen() -> bool {
    window()
        .match_media("(min-width: 64rem)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}
