//! `/s#s2…`: opening a shared incident. The token lives in the fragment, so it never reaches
//! any server. A new incident opens at once. One this browser already holds is never changed
//! before the user has seen what the link would change and chosen: merge it, open the link
//! as a separate copy, or keep this browser's copy as it is. A link for another runbook
//! never merges; a damaged, foreign or future-dated link explains itself and changes nothing.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use runbook::actions::{self, Arrival};
use runbook::incident::Incident;
use runbook::merge::{merge, MergeReport};
use tokens::share;

use crate::library;
use crate::state::clock::{now, use_clock};
use crate::state::store::new_incident_id;
use crate::state::store::{use_store, Notice, Store};

/// What the notice after opening adds: checks not placed, what was left out of the link.
#[derive(Clone, PartialEq, Default)]
struct Note {
    orphaned: usize,
    left_out: Option<String>,
}

/// What opening the link came to, when it did not open the incident at once.
#[derive(Clone, PartialEq)]
enum Outcome {
    Unreadable(String),
    UnknownRunbook(String),
    FromTheFuture(i64),
    /// This browser holds the incident: what the link would change, for the user to decide.
    Choose {
        incoming: Incident,
        report: Box<MergeReport>,
        note: Note,
    },
    /// This browser holds an incident with this id for another runbook.
    OtherRunbook {
        incoming: Incident,
        here: String,
    },
}

#[component]
pub fn SharedLinkPage() -> impl IntoView {
    let store = use_store();
    let navigate = use_navigate();
    let location = use_location();
    let outcome = RwSignal::new(None::<Outcome>);
    let open = Callback::new(move |id: String| {
        navigate(&format!("/i/{id}"), NavigateOptions { replace: true, ..Default::default() })
    });
    // An effect, not the view: opening a link saves and navigates, and a second link pasted
    // into the same tab changes only the fragment.
    Effect::new(move |_| {
        let fragment = location.hash.get();
        // Run again when the runbook arrives.
        if runbook_on_its_way(&fragment) {
            return;
        }
        if let Some(shown) = arrive(store, &fragment, open) {
            outcome.set(Some(shown));
        }
    });
    move || match outcome.get() {
        None => view! { <p class="page narrow">"Opening the shared incident…"</p> }.into_any(),
        Some(Outcome::Choose { incoming, report, note }) => {
            view! { <MergeChoice incoming=incoming report=*report note=note open=open/> }.into_any()
        }
        Some(Outcome::OtherRunbook { incoming, here }) => {
            view! { <OtherRunbookChoice incoming=incoming here=here open=open/> }.into_any()
        }
        Some(refused) => view! { <Refused outcome=refused/> }.into_any(),
    }
}

/// Whether the runbook the link names is still being fetched: the link is read once it is
/// here (its steps decide where the link's checks go).
fn runbook_on_its_way(fragment: &str) -> bool {
    let token = share::token_from_fragment(fragment);
    let loading = std::cell::Cell::new(false);
    let _ = share::decode(&token, &|slug| {
        let load = library::runbook(slug);
        loading.set(load.is_loading());
        load.ready()
    });
    loading.get()
}

/// Opens the link in `fragment`: saved and opened at once when that is all it can mean
/// (`None`), or what to show instead.
fn arrive(store: Store, fragment: &str, open: Callback<String>) -> Option<Outcome> {
    let token = share::token_from_fragment(fragment);
    let shared = match share::decode(&token, &|slug| library::runbook(slug).ready()) {
        Err(error) => return Some(Outcome::Unreadable(capitalise(&error.to_string()))),
        Ok(shared) if !shared.runbook_found => return Some(Outcome::UnknownRunbook(shared.incident.runbook)),
        Ok(shared) => shared,
    };
    let runbook = library::runbook(&shared.incident.runbook).ready();
    let received = actions::receive(shared.incident, runbook, &|id| store.incident(id), now());
    let note = Note { orphaned: received.orphaned, left_out: received.left_out.words() };
    let incoming = received.incident;
    match received.arrival {
        Arrival::New => {
            let id = incoming.id.clone();
            store.put(incoming);
            tell(store, "Opened the shared incident. It is now saved in this browser too.", &note);
            open.run(id);
            None
        }
        Arrival::NothingNew => {
            tell(store, "This browser already had everything in the link.", &note);
            open.run(incoming.id);
            None
        }
        Arrival::Choose(report) => Some(Outcome::Choose { incoming, report: Box::new(report), note }),
        Arrival::OtherRunbook { here } => Some(Outcome::OtherRunbook { incoming, here }),
        Arrival::FromTheFuture { at } => Some(Outcome::FromTheFuture(at)),
    }
}

/// The link's incident merged into this browser's copy, then opened; unless the copy changed
/// (in another tab) since the user saw what the link would do: then nothing is merged and
/// `shown` says what it would do now.
fn merge_into_local(
    store: Store,
    incoming: &Incident,
    note: &Note,
    shown: RwSignal<MergeReport>,
    open: Callback<String>,
) {
    let runbook = library::runbook(&incoming.runbook).ready();
    let mut outcome = None;
    store.update(&incoming.id, |local| {
        outcome = match actions::arrival(Some(local), incoming, runbook, now()) {
            Arrival::Choose(report) if report != shown.get_untracked() => Some(Err(report)),
            _ => merge(local, incoming, now()).ok().map(Ok),
        }
    });
    match outcome {
        Some(Ok(report)) => {
            tell(store, &format!("Merged the shared link into this browser's copy: {}.", report.summary()), note);
            open.run(incoming.id.clone());
        }
        Some(Err(report)) => {
            shown.set(report);
            store.tell(Notice {
                text: "This incident changed in another tab while you looked: the list now shows what the link would change. Nothing was merged.".into(),
                problem: true,
            });
        }
        None => {}
    }
}

/// The link's incident saved under a new id, then opened; this browser's copy is kept.
fn open_separate_copy(store: Store, incoming: &Incident, open: Callback<String>) {
    let copy = actions::separate_copy(incoming, new_incident_id());
    let id = copy.id.clone();
    store.put(copy);
    tell(store, "Opened the link as a separate copy; this browser's copy is unchanged.", &Note::default());
    open.run(id);
}

/// What the link would change, and the three choices.
#[component]
fn MergeChoice(incoming: Incident, report: MergeReport, note: Note, open: Callback<String>) -> impl IntoView {
    let store = use_store();
    let incoming = StoredValue::new(incoming);
    let left_out = note.left_out.clone();
    let note = StoredValue::new(note);
    let shown = RwSignal::new(report);
    let merge = move |_| incoming.with_value(|i| note.with_value(|n| merge_into_local(store, i, n, shown, open)));
    view! {
        <section class="page narrow merge-choice" aria-labelledby="merge-title">
            <h1 id="merge-title">"This link changes an incident you already have"</h1>
            <p>"Nothing has changed yet. The link would:"</p>
            {move || view! { <Changes report=shown.get()/> }}
            {left_out.map(|words| view! { <p class="merge-left-out">{words}</p> })}
            <div class="choice-actions">
                <button type="button" class="start" on:click=merge>"Merge"</button>
                <button type="button" class="secondary" on:click=move |_| incoming.with_value(|i| open_separate_copy(store, i, open))>"Open as a separate copy"</button>
                <button type="button" class="link-button" on:click=move |_| open.run(incoming.with_value(|i| i.id.clone()))>"Keep mine unchanged"</button>
            </div>
        </section>
    }
}

/// This browser's incident with the link's id runs another runbook: never merged.
#[component]
fn OtherRunbookChoice(incoming: Incident, here: String, open: Callback<String>) -> impl IntoView {
    let store = use_store();
    let link_runbook = incoming.runbook.clone();
    let incoming = StoredValue::new(incoming);
    view! {
        <section class="page narrow problem">
            <h1>"This link is for another incident with the same id"</h1>
            <p>"This browser's incident runs the runbook " <code>{here}</code> ", the link's runs " <code>{link_runbook}</code> ". They are never merged."</p>
            <div class="choice-actions">
                <button type="button" class="secondary" on:click=move |_| incoming.with_value(|i| open_separate_copy(store, i, open))>"Open the link as a separate copy"</button>
                <a href="/">"Go to the runbooks"</a>
            </div>
        </section>
    }
}

/// A link that cannot be opened, and why; nothing in this browser changed.
#[component]
fn Refused(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::FromTheFuture(at) => view! {
            <section class="page narrow problem">
                <h1>"This incident link cannot be opened"</h1>
                <p class="reason">{future_reason(at)}</p>
                <p>"Nothing in this browser was changed. If the link is genuine, check this device's clock and open it again."</p>
                <p><a href="/">"Go to the runbooks"</a></p>
            </section>
        }
        .into_any(),
        Outcome::UnknownRunbook(slug) => view! {
            <section class="page narrow problem">
                <h1>"This link is for a runbook this site doesn't have"</h1>
                <p>"The incident was run with the runbook " <code>{slug}</code> ". Ask whoever sent the link which site it came from. Nothing in this browser was changed."</p>
            </section>
        }
        .into_any(),
        Outcome::Unreadable(reason) => view! {
            <section class="page narrow problem">
                <h1>"This incident link cannot be opened"</h1>
                <p class="reason">{reason}"."</p>
                <p>"Nothing in this browser was changed. Ask for the link again, and copy it whole."</p>
                <p><a href="/">"Go to the runbooks"</a></p>
            </section>
        }
        .into_any(),
        Outcome::Choose { .. } | Outcome::OtherRunbook { .. } => ().into_any(),
    }
}

/// What a merge would change, one line each.
#[component]
fn Changes(report: MergeReport) -> impl IntoView {
    let lines = report.changes(use_clock().offset_minutes.get_untracked());
    view! { <ul class="merge-changes">{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul> }
}

fn tell(store: Store, text: &str, note: &Note) {
    let left_out = note.left_out.as_deref().map(|words| format!(" {words}")).unwrap_or_default();
    store.tell(Notice { text: format!("{text}{}{left_out}", actions::orphans_note(note.orphaned)), problem: false });
}

fn future_reason(at: i64) -> String {
    let ahead = at - now();
    format!(
        "It holds a time {} ahead of this device's clock, so it was made wrong or on purpose to pin the incident's state.",
        runbook::clock::duration_words(ahead.max(0) as u64)
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
