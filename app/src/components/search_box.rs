//! Search across every runbook, in the header. `/` focuses it; arrows and Enter pick a result.

use document::search::Hit;
use leptos::ev;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use crate::library::{self, runbook_href, Load};

const RESULT_LIMIT: usize = 12;

#[component]
pub fn SearchBox() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let selected = RwSignal::new(0usize);
    let open = RwSignal::new(false);
    let input = NodeRef::<Input>::new();
    // The index is fetched when the box is first used, not with the page.
    let results = Memo::new(move |_| {
        query.with(|q| match q.is_empty() {
            true => Vec::new(),
            false => library::search().ready().map(|index| index.search(q, RESULT_LIMIT)).unwrap_or_default(),
        })
    });
    let waiting = Memo::new(move |_| match library::search() {
        Load::Ready(_) => None,
        Load::Loading => Some("Loading the search…".to_string()),
        Load::Missing => Some("Search is not available on this site.".to_string()),
        Load::Failed(why) => Some(format!("Search could not be loaded: {why}.")),
    });
    let navigate = use_navigate();

    focus_on_slash_key(input);

    let close = move || {
        open.set(false);
        query.set(String::new());
        if let Some(input) = input.get_untracked() {
            let _ = input.blur();
        }
    };
    let go = {
        let navigate = navigate.clone();
        move |hit: &Hit| {
            navigate(&runbook_href(&hit.slug, hit.anchor.as_deref()), NavigateOptions::default());
            close();
        }
    };
    let on_keydown = move |event: ev::KeyboardEvent| {
        let count = results.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                selected.update(|s| *s = (*s + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                selected.update(|s| *s = (*s + count - 1) % count);
            }
            "Enter" => {
                event.prevent_default();
                if let Some(hit) = results.with_untracked(|r| r.get(selected.get_untracked()).cloned()) {
                    go(&hit);
                }
            }
            "Escape" => close(),
            _ => {}
        }
    };

    view! {
        <div class="search" role="search">
            <input
                node_ref=input
                type="search"
                class="search-input"
                placeholder="Search runbooks"
                aria-label="Search runbooks"
                aria-keyshortcuts="/"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || query.get()
                on:input=move |event| {
                    query.set(event_target_value(&event));
                    selected.set(0);
                    open.set(true);
                }
                on:focus=move |_| {
                    // Fetched now, so it is here by the time a word is typed.
                    let _ = library::search();
                    open.set(true)
                }
                on:keydown=on_keydown
            />
            <kbd class="search-hint" aria-hidden="true">"/"</kbd>
            <Show when=move || open.get() && !query.with(String::is_empty)>
                <SearchResults results=results waiting=waiting selected=selected on_pick=close/>
            </Show>
        </div>
    }
}

#[component]
fn SearchResults(
    results: Memo<Vec<Hit>>,
    waiting: Memo<Option<String>>,
    selected: RwSignal<usize>,
    on_pick: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="search-results" role="listbox" aria-label="Search results">
            {move || {
                let hits = results.get();
                if let Some(note) = waiting.get() {
                    return view! { <p class="search-empty" role="status">{note}</p> }.into_any();
                }
                if hits.is_empty() {
                    return view! { <p class="search-empty">"No runbook mentions that."</p> }.into_any();
                }
                hits.into_iter().enumerate().map(|(index, hit)| {
                    let href = runbook_href(&hit.slug, hit.anchor.as_deref());
                    let heading = if hit.heading.is_empty() { hit.runbook_title.clone() } else { hit.heading.clone() };
                    view! {
                        <a class="search-hit" href=href role="option"
                            aria-selected=move || (selected.get() == index).to_string()
                            class:selected=move || selected.get() == index
                            on:mousedown=|event| event.prevent_default()
                            on:click=move |_| on_pick()>
                            <span class="hit-heading">{heading}</span>
                            <span class="hit-runbook">{hit.runbook_title.clone()}</span>
                            <span class="hit-snippet">{highlighted(&hit.snippet, &hit.highlights)}</span>
                        </a>
                    }
                }).collect_view().into_any()
            }}
        </div>
    }
}

/// The snippet as text with `<mark>` around the matched words.
fn highlighted(snippet: &str, highlights: &[std::ops::Range<usize>]) -> AnyView {
    let mut parts = Vec::new();
    let mut at = 0;
    for range in highlights {
        if range.start < at || range.end > snippet.len() {
            continue;
        }
        parts.push(snippet[at..range.start].to_string().into_any());
        parts.push(view! { <mark>{snippet[range.clone()].to_string()}</mark> }.into_any());
        at = range.end;
    }
    parts.push(snippet[at..].to_string().into_any());
    parts.into_iter().collect_view().into_any()
}

/// `/` anywhere but in a text field jumps to search, as on most documentation sites.
fn focus_on_slash_key(input: NodeRef<Input>) {
    if cfg!(feature = "ssr") {
        return;
    }
    let handle = window_event_listener(ev::keydown, move |event| {
        if event.key() != "/" || event.ctrl_key() || event.meta_key() || event.alt_key() {
            return;
        }
        let typing = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.has_attribute("contenteditable")
        });
        if typing {
            return;
        }
        if let Some(input) = input.get_untracked() {
            event.prevent_default();
            let _ = input.focus();
        }
    });
    on_cleanup(move || handle.remove());
}
