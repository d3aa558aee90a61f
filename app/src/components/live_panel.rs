//! Working an incident together. "Go live" opens a room on the worker and puts its address in
//! the page's; the status says whether changes flow ("live · 3 here"), wait ("offline — your
//! changes will be sent") or stopped (the room's reason), and the address is copied for the
//! team. Joining asks once for the name the others will see.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::copy_button::CopyButton;
use crate::doc::IncidentRef;
use crate::library;
use crate::state::live::{open_room, Live, LiveStatus, RoomLink};

use crate::state::store::Store;

/// The cockpit's live item: "Go live", or the room's link to copy.
#[component]
pub fn LivePanel(incident: IncidentRef, store: Store) -> impl IntoView {
    let Some(api) = library::probe_api() else { return ().into_any() };
    let live = expect_context::<Live>();
    let problem = RwSignal::new(None::<String>);
    let opening = RwSignal::new(false);
    // "Not now" to a room the address named.
    let declined = RwSignal::new(false);
    let id = incident.id.get_value();
    let id_for_join = id.clone();
    let go_live = {
        let id = id.clone();
        move || {
            let Some(current) = incident.state.get_untracked() else { return };
            opening.set(true);
            problem.set(None);
            let id = id.clone();
            spawn_local(async move {
                match open_room(api, &current).await {
                    Ok(link) => {
                        let address = Live::address(&id, &link);
                        if let Some(hash) = address.split_once('#').map(|(_, hash)| format!("#{hash}")) {
                            let _ = window()
                                .history()
                                .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&hash)));
                        }
                        live.join(store, api, id, link);
                    }
                    Err(reason) => problem.set(Some(format!("The room could not be opened: {reason}"))),
                }
                opening.set(false);
            });
        }
    };
    let address =
        Callback::new(move |()| live.link.get_untracked().map(|link| Live::address(&id, &link)).unwrap_or_default());
    view! {
        <div class="cockpit-item live">
            {move || { declined.track(); match live.status.get() {
                // Not in a room: join the one the address names, else open one.
                // (`declined` redraws once the address's room is declined: the room this
                // browser was in, if any, is then the one offered.)
                LiveStatus::Off | LiveStatus::Ended(_) => match Live::link_for(&id_for_join) {
                    Some(link) if live.status.with_untracked(|s| *s == LiveStatus::Off) => {
                        let id = id_for_join.clone();
                        let asks = !Live::joins_without_asking(&id);
                        let join = Callback::new(move |()| live.join(store, api, id.clone(), link.clone()));
                        if asks {
                            view! { <JoinConsent live=live join=join declined=declined/> }.into_any()
                        } else {
                            view! { <NameFirst live=live action="Join" ask_at_once=true on_named=join>
                                <button type="button" class="secondary join-room">"Join the room"</button>
                            </NameFirst> }.into_any()
                        }
                    }
                    _ => {
                        let go_live = go_live.clone();
                        view! {
                            <NameFirst live=live action="Go live" ask_at_once=false on_named=Callback::new(move |()| go_live())>
                                <button type="button" class="secondary go-live" disabled=move || opening.get()
                                    title="Open a room where everyone with its link works this incident at once">"Go live"</button>
                            </NameFirst>
                        }.into_any()
                    }
                },
                _ => view! {
                    <CopyButton text=address label="Copy live link" class="secondary live-link"
                        title="Everyone who opens this link joins the room. Share it only with your team."/>
                }.into_any(),
            }}}
            {move || problem.get().map(|reason| view! { <p class="live-problem" role="alert">{reason}</p> })}
        </div>
    }
    .into_any()
}

/// Where the room stands, in the cockpit's first row (on a phone too): nothing when not live.
#[component]
pub fn LiveBadge() -> impl IntoView {
    let Some(live) = use_context::<Live>() else { return ().into_any() };
    (move || match live.status.get() {
        LiveStatus::Off => None,
        status => Some(view! { <div class="cockpit-item live-badge"><LiveStatusLine live=live status=status/></div> }),
    })
    .into_any()
}

/// "live · 3 here", "offline — your changes will be sent", the room's reason when it ended.
#[component]
fn LiveStatusLine(live: Live, status: LiveStatus) -> impl IntoView {
    let (class, text) = match status {
        LiveStatus::Connecting => ("live-status connecting", "connecting to the room…".to_string()),
        LiveStatus::Live => ("live-status on", String::new()),
        LiveStatus::Offline => ("live-status offline", String::new()),
        LiveStatus::Ended(reason) => ("live-status ended", reason),
        LiveStatus::Off => ("live-status", String::new()),
    };
    let here = move || live.here.get();
    let line = move || match class {
        "live-status on" => format!("live · {} here", here().len()),
        "live-status offline" if live.pending.get() => "offline — your changes will be sent".to_string(),
        "live-status offline" => "offline — reconnecting".to_string(),
        _ => text.clone(),
    };
    view! {
        <span class=class role="status" title=move || here().join(", ")>{line}</span>
        {move || live.changed_by.get().map(|name| view! { <span class="live-by">{format!("last change by {name}")}</span> })}
    }
}

/// A room the address names, on an incident this browser holds: joined only with a yes,
/// since this copy and the room's are then united.
#[component]
fn JoinConsent(live: Live, join: Callback<()>, declined: RwSignal<bool>) -> impl IntoView {
    let not_now = move |_| {
        Live::decline_address();
        declined.set(true);
    };
    view! {
        <div class="live-consent" role="group" aria-label="Join the live room">
            <p>"This link opens a live room for this incident. Joining unites your copy with the room’s: your checks and notes go to everyone in it, and theirs come here."</p>
            <NameFirst live=live action="Join" ask_at_once=false on_named=join>
                <button type="button" class="secondary join-room">"Join the room"</button>
            </NameFirst>
            <button type="button" class="link not-now" on:click=not_now>"Not now"</button>
        </div>
    }
}

/// `children` (the button that opens a room), which runs `on_named` once this person has a
/// name; without one, a field for it first (at once with `ask_at_once`, else on a click).
#[component]
pub fn NameFirst(
    live: Live,
    action: &'static str,
    ask_at_once: bool,
    on_named: Callback<()>,
    children: ChildrenFn,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let children = StoredValue::new(children);
    move || {
        if asking.get() || (ask_at_once && live.name.with(Option::is_none)) {
            view! {
                <form class="live-name" on:submit=move |event| {
                    event.prevent_default();
                    live.set_name(&typed.get_untracked());
                    asking.set(false);
                    on_named.run(());
                }>
                    <label>"Your name, shown to the others in the room "
                        <input type="text" maxlength="40" required=true autocomplete="nickname" spellcheck="false"
                            prop:value=move || typed.get() on:input=move |e| typed.set(event_target_value(&e))/>
                    </label>
                    <button type="submit" class="secondary">{action}</button>
                </form>
            }
            .into_any()
        } else {
            view! {
                <span class="live-start" on:click=move |event| {
                    if live.name.with_untracked(Option::is_none) {
                        event.prevent_default();
                        asking.set(true);
                    } else {
                        on_named.run(());
                    }
                }>{children.with_value(|c| c())}</span>
            }
            .into_any()
        }
    }
}

/// On an incident this browser does not hold yet: joining the room its link names.
#[component]
pub fn JoinRoom(store: Store, id: String, link: RoomLink) -> impl IntoView {
    let live = expect_context::<Live>();
    let Some(api) = library::probe_api() else {
        return view! {
            <section class="page narrow problem">
                <h1>"This site has no worker to join a live room"</h1>
                <p>"The link names a live room, but this site is not set up with the worker that holds rooms (" <code>"[site] probe_api"</code> ")."</p>
            </section>
        }
        .into_any();
    };
    let join = {
        let (id, link) = (id.clone(), link.clone());
        move || live.join(store, api, id.clone(), link.clone())
    };
    // A reload of a room this browser joined goes back in; a room new to it waits for a yes.
    let known = Live::joins_without_asking(&id);
    if known && live.name.with_untracked(Option::is_some) && live.status.with_untracked(|s| *s == LiveStatus::Off) {
        join();
    }
    view! {
        <section class="page narrow joining">
            <h1>"Joining a live incident"</h1>
            <p class="lede">"Everyone with this link works the incident together: each check, note and severity shows on every screen. The incident is also kept in this browser, and what you do without a network is sent when it is back."</p>
            {move || match live.status.get() {
                LiveStatus::Off => {
                    let join = join.clone();
                    let as_whom = move || live.name.get().map(|name| view! { <p class="live-as">"You will be shown as " <bdi>{name}</bdi> "."</p> });
                    view! {
                        {as_whom}
                        <NameFirst live=live action="Join" ask_at_once=true on_named=Callback::new(move |()| join())>
                            <button type="button" class="join-room">"Join the room"</button>
                        </NameFirst>
                    }.into_any()
                }
                status => view! { <p><LiveStatusLine live=live status=status/></p> }.into_any(),
            }}
        </section>
    }
    .into_any()
}
