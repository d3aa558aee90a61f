//! `/s#s1…`: opening a shared incident. The token lives in the fragment, so it never reaches
//! any server. A good link opens the incident (merged with this browser's copy if there is
//! one); a bad one explains itself and changes nothing here.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use runbook::merge::merge;
use tokens::share;

use crate::site;
use crate::state::store::{use_store, Notice};

/// What opening the link came to, when it did not open the incident.
#[derive(Clone, PartialEq)]
enum Refusal {
    Unreadable(String),
    UnknownRunbook(String),
}

#[component]
pub fn SharedLinkPage() -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let location = use_location();
    let refusal = RwSignal::new(None::<Refusal>);
    // An effect, not the view: opening a link saves and navigates, and a second link pasted
    // into the same tab changes only the fragment.
    Effect::new(move |_| {
        let token = share::token_from_fragment(&location.hash.get());
        match share::decode(&token, &|slug| site::runbook(slug)) {
            Err(error) => refusal.set(Some(Refusal::Unreadable(capitalise(&error.to_string())))),
            Ok(shared) if !shared.runbook_found => refusal.set(Some(Refusal::UnknownRunbook(shared.incident.runbook))),
            Ok(shared) => {
                let incoming = shared.incident;
                let id = incoming.id.clone();
                let text = match store.incident(&id) {
                    Some(mut local) => {
                        let report = merge(&mut local, &incoming);
                        store.put(local);
                        format!(
                            "Merged the shared link into this browser's copy of the incident: {}.",
                            report.summary()
                        )
                    }
                    None => {
                        store.put(incoming);
                        "Opened the shared incident. It is now saved in this browser too.".to_string()
                    }
                };
                let orphans = match shared.orphaned {
                    0 => String::new(),
                    1 => " One checked step in the link is no longer in this runbook.".to_string(),
                    n => format!(" {n} checked steps in the link are no longer in this runbook."),
                };
                store.tell(Notice { text: text + &orphans, problem: false });
                navigate(&format!("/i/{id}"), NavigateOptions { replace: true, ..Default::default() });
            }
        }
    });
    move || {
        match refusal.get() {
        None => view! { <p class="page narrow">"Opening the shared incident…"</p> }.into_any(),
        Some(Refusal::UnknownRunbook(slug)) => view! {
            <section class="page narrow problem">
                <h1>"This link is for a runbook this site doesn't have"</h1>
                <p>"The incident was run with the runbook " <code>{slug}</code> ". Ask whoever sent the link which site it came from. Nothing in this browser was changed."</p>
            </section>
        }
        .into_any(),
        Some(Refusal::Unreadable(reason)) => view! {
            <section class="page narrow problem">
                <h1>"This incident link cannot be opened"</h1>
                <p class="reason">{reason}"."</p>
                <p>"Nothing in this browser was changed. Ask for the link again, and copy it whole."</p>
                <p><a href="/">"Go to the runbooks"</a></p>
            </section>
        }
        .into_any(),
    }
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
