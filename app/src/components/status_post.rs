//! "Post to status page" on a communication template, and the resolution posted when an
//! incident with open updates on the status page is resolved. What is posted is decided in
//! `runbook::status_post`; the token is asked for once and kept only in this browser.

use api::PostedIncident;
use leptos::prelude::*;
use leptos::task::spawn_local;
use runbook::actions;
use runbook::clock::hh_mm;
use runbook::status_post::{posted_for, record_posted, resolution_post, update_post};
use runbook::templates::Template;

use crate::components::BEFORE_APP;
use crate::doc::{Doc, IncidentRef};
use crate::library;
use crate::state::clock::{now, use_clock, Clock};
use crate::state::probe::{use_probe, ProbeFeed};
use crate::state::status_updates::{self, PostError};
use crate::state::store::Store;

#[derive(Clone, PartialEq)]
enum Posting {
    Idle,
    /// The token is asked for (saying why, when one was refused); the update waits for it.
    AskToken(Option<String>),
    Sending,
    Posted(PostedIncident),
    Failed(String),
}

/// Posts one template's `message` for the incident: the button and the panel below the
/// template's head share it.
#[derive(Clone, Copy)]
pub struct Poster {
    api: &'static str,
    posting: RwSignal<Posting>,
    template: &'static Template,
    message: Memo<String>,
    incident: IncidentRef,
    doc: Doc,
    feed: Option<ProbeFeed>,
    clock: Clock,
}

impl Poster {
    /// `None` when the site has no probe to post to, or for the post-mortem.
    pub fn new(template: &'static Template, message: Memo<String>, incident: IncidentRef, doc: Doc) -> Option<Poster> {
        let api = library::probe_api().filter(|_| !template.is_post_mortem)?;
        let (posting, feed, clock) = (RwSignal::new(Posting::Idle), use_probe(), use_clock());
        Some(Poster { api, posting, template, message, incident, doc, feed, clock })
    }

    fn start(self) {
        match status_updates::token() {
            Some(token) => self.send(token),
            None => self.posting.set(Posting::AskToken(None)),
        }
    }

    fn send(self, token: String) {
        let Poster { api, posting, template, message, incident, doc, feed, clock } = self;
        let update = incident
            .state
            .with_untracked(|i| i.as_ref().map(|i| update_post(i, &doc.runbook.title, &message.get_untracked())));
        let Some(update) = update else { return };
        posting.set(Posting::Sending);
        spawn_local(async move {
            match status_updates::post(api, &token, &update).await {
                Ok(posted) => {
                    let offset = clock.offset_minutes.get_untracked();
                    incident.update(doc.store, |i| actions::message_copied(i, template, now(), offset));
                    show_on_strip(feed, posted.clone());
                    posting.set(Posting::Posted(posted));
                }
                Err(error @ PostError::Token(_)) => {
                    status_updates::forget_token();
                    posting.set(Posting::AskToken(Some(error.words())));
                }
                Err(error) => posting.set(Posting::Failed(error.words())),
            }
        });
    }
}

/// "Post to status page", beside "Copy message".
#[component]
pub fn PostButton(poster: Poster) -> impl IntoView {
    let sending = move || poster.posting.get() == Posting::Sending;
    view! {
        <button type="button" class="secondary post-status" data-needs-app=BEFORE_APP.then_some("")
            disabled=sending on:click=move |_| poster.start()>
            {move || if sending() { "Posting…" } else { "Post to status page" }}
        </button>
    }
}

/// What posting says: the token asked for, the update posted with its time, or why not.
#[component]
pub fn PostPanel(poster: Poster) -> impl IntoView {
    let clock = use_clock();
    let posting = poster.posting;
    let token_field = NodeRef::<leptos::html::Input>::new();
    let on_token = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = token_field.get().map(|input| input.value()).unwrap_or_default();
        if status_updates::save_token(&typed) {
            poster.send(typed.trim().to_string());
        } else {
            posting.set(Posting::AskToken(Some("type the token (at most 512 characters)".into())));
        }
    };
    let status_page = format!("{}/", poster.api);
    move || {
        match posting.get() {
        Posting::Idle | Posting::Sending => ().into_any(),
        Posting::AskToken(why) => view! {
            <form class="status-post" on:submit=on_token>
                {why.map(|why| view! { <p class="status-post-error" role="alert">{why}</p> })}
                <label class="field">
                    <span class="field-label">"Status page token"</span>
                    <input type="password" node_ref=token_field autocomplete="off" maxlength="512" required=true/>
                </label>
                <p class="status-post-note">"The worker's " <code>"UPDATES_TOKEN"</code> " secret. Kept only in this browser, never in the site."</p>
                <div class="status-post-actions">
                    <button type="submit" class="secondary">"Save and post"</button>
                    <button type="button" class="secondary" on:click=move |_| posting.set(Posting::Idle)>"Cancel"</button>
                </div>
            </form>
        }
        .into_any(),
        Posting::Posted(posted) => {
            let latest = posted.latest().map(|u| (u.status.label(), u.at, u.number));
            let said = latest.map(|(status, at, number)| {
                format!("Posted to the status page at {} as {status} (update {number}). ", hh_mm(at, clock.offset_minutes.get_untracked()))
            });
            view! {
                <p class="status-post status-post-done" role="status">
                    {said}
                    <a href=status_page.clone() target="_blank" rel="noopener">"Open the status page"</a>
                    " · "
                    <button type="button" class="link-button" on:click=move |_| { status_updates::forget_token(); posting.set(Posting::Idle); }>
                        "Forget the token"
                    </button>
                </p>
            }
            .into_any()
        }
        Posting::Failed(words) => view! { <p class="status-post status-post-error" role="alert">{words}</p> }.into_any(),
    }
    }
}

/// What resolving said about the status page, shown below the cockpit.
#[derive(Clone, Copy)]
pub struct ResolutionSaid(RwSignal<Option<(bool, String)>>);

impl ResolutionSaid {
    /// Provided once per incident page, before the cockpit.
    pub fn provide() {
        provide_context(ResolutionSaid(RwSignal::new(None)));
    }
}

/// Resolves the incident, and when its updates on the status page are still open, posts the
/// resolution with the token this browser holds. Only the click that resolves posts: another
/// tab or a live room's copy resolving never does (the worker also takes the same resolution
/// only once).
#[derive(Clone, Copy)]
pub struct Resolver {
    incident: IncidentRef,
    store: Store,
    api: Option<&'static str>,
    feed: Option<ProbeFeed>,
    said: Option<ResolutionSaid>,
}

impl Resolver {
    pub fn new(incident: IncidentRef, store: Store) -> Resolver {
        Resolver { incident, store, api: library::probe_api(), feed: use_probe(), said: use_context() }
    }

    pub fn resolve(self) {
        let Resolver { incident, store, api, feed, said } = self;
        let was_open = incident.state.with_untracked(|i| i.as_ref().is_some_and(|i| !i.is_resolved()));
        incident.update(store, |i| i.resolve(now()));
        let (true, Some(api), Some(feed), Some(said)) = (was_open, api, feed, said) else { return };
        let post = incident.state.with_untracked(|i| {
            let i = i.as_ref()?;
            feed.last
                .with_untracked(|last| resolution_post(i, last.as_ref().and_then(|(r, _)| posted_for(r, i)), now()))
        });
        let Some(post) = post else { return };
        let Some(token) = status_updates::token() else {
            let words =
                "The status page still shows this incident open: post the resolution message from the Resolution step.";
            said.0.set(Some((false, words.into())));
            return;
        };
        spawn_local(async move {
            let result = match status_updates::post(api, &token, &post).await {
                Ok(posted) => {
                    show_on_strip(Some(feed), posted);
                    (true, "Posted the resolution to the status page.".to_string())
                }
                Err(error) => (false, error.words()),
            };
            said.0.set(Some(result));
        });
    }
}

/// What resolving said about the status page.
#[component]
pub fn PostResolution() -> impl IntoView {
    let said = use_context::<ResolutionSaid>()?;
    Some(move || {
        said.0.get().map(|(posted, words)| {
            if posted {
                view! { <p class="status-post status-post-done" role="status">{words}</p> }.into_any()
            } else {
                view! { <p class="status-post status-post-error" role="alert">{words}</p> }.into_any()
            }
        })
    })
}

/// The site's copy of the status shows the update at once, before the next read.
fn show_on_strip(feed: Option<ProbeFeed>, posted: PostedIncident) {
    if let Some(feed) = feed {
        feed.last.update(|last| {
            if let Some((report, _)) = last {
                record_posted(report, posted);
            }
        });
    }
}
