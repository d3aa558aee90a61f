//! The live room in this browser: one incident worked by a team at once through the worker's
//! room (`crates/room`). The incident stays in this browser's storage as always; a WebSocket
//! carries this copy's changes to the room and the room's to it, and `room::follow` decides,
//! on each event, whether to take the room's incident or send this one. When the network
//! drops, work goes on in the local copy and is sent (merged by the room) on reconnecting.
//!
//! The room's address and secret come in the link's fragment (`/i/<id>#live=<room>.<secret>`)
//! and are kept with the incident, so reopening it rejoins; the secret goes to the room only
//! in the first message on the socket, never in a URL.

use leptos::prelude::*;

use super::storage;
use super::store::Store;

/// Where the connection stands, as the cockpit shows it. (Pages built ahead are never live.)
#[cfg_attr(feature = "ssr", allow(dead_code))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveStatus {
    /// Not in a room.
    Off,
    Connecting,
    Live,
    /// The connection dropped: changes are kept here and sent when it is back.
    Offline,
    /// The room closed the connection for good, with its reason.
    Ended(String),
}

/// The room an incident is in: its id and secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomLink {
    pub room: String,
    pub secret: String,
}

#[derive(Clone, Copy)]
pub struct Live {
    pub status: RwSignal<LiveStatus>,
    /// Who is in the room, in the order they joined.
    pub here: RwSignal<Vec<String>>,
    /// Whether this copy holds changes the room has not taken yet.
    pub pending: RwSignal<bool>,
    /// Who changed the incident last, when it was someone else.
    pub changed_by: RwSignal<Option<String>>,
    pub link: RwSignal<Option<RoomLink>>,
    /// This person's name, chosen once for every room (`None` until chosen).
    pub name: RwSignal<Option<String>>,
}

const LINK_PREFIX: &str = "outpost.live.";
const NAME_KEY: &str = "outpost.name";

impl Live {
    pub fn new() -> Live {
        Live {
            status: RwSignal::new(LiveStatus::Off),
            here: RwSignal::new(Vec::new()),
            pending: RwSignal::new(false),
            changed_by: RwSignal::new(None),
            link: RwSignal::new(None),
            name: RwSignal::new(storage::get(NAME_KEY).filter(|n| !n.trim().is_empty())),
        }
    }

    /// The room of incident `id`: from the address's fragment, else the one it was in.
    pub fn link_for(id: &str) -> Option<RoomLink> {
        in_address().or_else(|| remembered(id)).map(|(room, secret)| RoomLink { room, secret })
    }

    /// Whether the room of incident `id` is joined without asking: the one this browser was
    /// in (`room::capability::joins_without_asking`).
    pub fn joins_without_asking(id: &str) -> bool {
        room::capability::joins_without_asking(in_address().as_ref(), remembered(id).as_ref())
    }

    /// Declines the room the address names: the address keeps only the incident.
    pub fn decline_address() {
        if let Ok(path) = window().location().pathname() {
            let _ = window()
                .history()
                .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path)));
        }
    }

    /// The address that joins this incident's room.
    pub fn address(id: &str, link: &RoomLink) -> String {
        let origin = window().location().origin().unwrap_or_default();
        format!("{origin}/i/{id}#{}", room::capability::fragment(&link.room, &link.secret))
    }

    pub fn set_name(&self, name: &str) {
        let name = room::people::clean_name(name);
        storage::set(NAME_KEY, &name);
        self.name.set(Some(name));
    }

    /// Joins the room `link` for incident `id`, with the probe's worker at `api`.
    pub fn join(&self, store: Store, api: &'static str, id: String, link: RoomLink) {
        storage::set(&format!("{LINK_PREFIX}{id}"), &room::capability::fragment(&link.room, &link.secret));
        self.link.set(Some(link.clone()));
        browser::start(*self, store, api, id, link);
    }

    /// Leaves the room (the page is gone): the connection closes, nothing of it runs again.
    pub fn leave() {
        browser::stop();
    }

    /// Sends this copy's changes to the room as they happen, once it is in one. Called where
    /// the incident is drawn, so the watching ends with the page.
    pub fn follow_local_changes(&self, store: Store, id: String) {
        let live = *self;
        // Encoded only while live: outside a room a change costs no encoding here.
        let token = Memo::new(move |_| {
            if live.link.with(Option::is_none) {
                return None;
            }
            store.incidents.with(|list| list.iter().find(|i| i.id == id).map(tokens::codec::encode))
        });
        Effect::new(move |_| {
            if let Some(local) = token.get() {
                live.pending.set(browser::local_changed(&local));
            }
        });
    }
}

/// The room the address's fragment names.
fn in_address() -> Option<(String, String)> {
    if cfg!(feature = "ssr") {
        return None; // an incident page's template is drawn at build time, with no address
    }
    room::capability::from_fragment(&window().location().hash().unwrap_or_default())
}

/// The room this browser was in for incident `id`.
fn remembered(id: &str) -> Option<(String, String)> {
    storage::get(&format!("{LINK_PREFIX}{id}")).and_then(|saved| room::capability::from_fragment(&saved))
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

/// Opens a room on incident `id` (`POST /api/rooms`): its link, or why not.
pub async fn open_room(api: &str, incident: &runbook::incident::Incident) -> Result<RoomLink, String> {
    browser::open_room(api, &tokens::codec::encode(incident)).await
}

#[cfg(not(feature = "ssr"))]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::*;
    use room::follow::{Follower, Step};
    use room::protocol::{ClientMessage, Closing, RoomMessage};
    use tokens::codec;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    use super::{Live, LiveStatus, RoomLink};
    use crate::state::store::{Notice, Store};

    thread_local! {
        /// The connection of the incident drawn (one room at a time per tab).
        static CURRENT: RefCell<Option<Shared>> = const { RefCell::new(None) };
    }

    /// One incident's connection, kept across reconnects.
    struct Connection {
        live: Live,
        store: Store,
        id: String,
        link: RoomLink,
        url: String,
        follower: Follower,
        socket: Option<WebSocket>,
        /// Reconnects since the last success: the wait grows with them.
        attempts: u32,
        /// This tab, to the room: its new connection replaces one a network drop left open.
        client: String,
        /// The page left: nothing more is done (no reconnect, no signal touched).
        stopped: bool,
        /// A send is due shortly: changes made meanwhile go with it.
        send_due: bool,
        /// The socket's handlers, dropped with it.
        handlers: Vec<Box<dyn std::any::Any>>,
    }

    type Shared = Rc<RefCell<Connection>>;

    /// Changes are sent at most this often: typing sends the text every half second, within
    /// the room's pace (`room::pace`), not one message per key.
    const SEND_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

    pub fn start(live: Live, store: Store, api: &'static str, id: String, link: RoomLink) {
        let base = api.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1);
        let url = format!("{base}/api/rooms/{}", link.room);
        let shared: Shared = Rc::new(RefCell::new(Connection {
            live,
            store,
            id,
            link,
            url,
            follower: Follower::default(),
            socket: None,
            attempts: 0,
            client: format!("{:016x}", (js_sys::Math::random() * 2f64.powi(53)) as u64),
            stopped: false,
            send_due: false,
            handlers: Vec::new(),
        }));
        stop();
        CURRENT.with(|current| *current.borrow_mut() = Some(shared.clone()));
        connect(shared);
    }

    /// The page left (or another room starts): the connection closes and nothing of it runs
    /// again.
    pub fn stop() {
        let Some(old) = CURRENT.with(|current| current.borrow_mut().take()) else { return };
        let mut c = old.borrow_mut();
        c.stopped = true;
        if let Some(socket) = c.socket.take() {
            socket.set_onclose(None);
            socket.set_onmessage(None);
            socket.set_onopen(None);
            let _ = socket.close();
        }
        c.handlers.clear();
    }

    /// This copy changed: sent shortly, with whatever else changes meanwhile. Whether
    /// changes wait to be sent.
    pub fn local_changed(local: &str) -> bool {
        let Some(shared) = CURRENT.with(|current| current.borrow().clone()) else { return false };
        let due = std::mem::replace(&mut shared.borrow_mut().send_due, true);
        if !due {
            let later = shared.clone();
            set_timeout(move || send_latest(&later), SEND_EVERY);
        }
        let pending = shared.borrow().follower.has_pending(local);
        pending
    }

    /// Sends this copy as it is now, if the room has not taken it.
    fn send_latest(shared: &Shared) {
        let (store, id, stopped) = {
            let mut c = shared.borrow_mut();
            c.send_due = false;
            (c.store, c.id.clone(), c.stopped)
        };
        if stopped {
            return;
        }
        let Some(local) =
            store.incidents.try_with_untracked(|list| list.iter().find(|i| i.id == id).map(codec::encode)).flatten()
        else {
            return;
        };
        let step = shared.borrow_mut().follower.on_local_change(&local);
        apply(shared, step);
    }

    fn connect(shared: Shared) {
        if shared.borrow().stopped {
            return;
        }
        let url = shared.borrow().url.clone();
        shared.borrow().live.status.try_set(LiveStatus::Connecting);
        let Ok(socket) = WebSocket::new(&url) else {
            let live = shared.borrow().live;
            live.status.try_set(LiveStatus::Ended("This browser could not open the room's connection.".into()));
            return;
        };
        let on_open = {
            let shared = shared.clone();
            Closure::<dyn FnMut()>::new(move || {
                let mut c = shared.borrow_mut();
                c.follower.on_connect();
                c.attempts = 0;
                let name = c.live.name.try_get_untracked().flatten().unwrap_or_else(|| "Someone".into());
                let join = ClientMessage::Join { secret: c.link.secret.clone(), name, client: c.client.clone() };
                if let (Some(socket), Ok(text)) = (&c.socket, serde_json::to_string(&join)) {
                    let _ = socket.send_with_str(&text);
                }
            })
        };
        let on_message = {
            let shared = shared.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Some(text) = event.data().as_string() else { return };
                let Ok(message) = serde_json::from_str::<RoomMessage>(&text) else { return };
                receive(&shared, message);
            })
        };
        let on_close = {
            let (shared, this) = (shared.clone(), socket.clone());
            Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
                // Only the connection in use: an older one's late close changes nothing.
                if shared.borrow().socket.as_ref() == Some(&this) {
                    closed(&shared, event.code(), event.reason());
                }
            })
        };
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut c = shared.borrow_mut();
        c.handlers = vec![Box::new(on_open), Box::new(on_message), Box::new(on_close)];
        c.socket = Some(socket);
    }

    fn receive(shared: &Shared, message: RoomMessage) {
        let (live, store, id) = {
            let c = shared.borrow();
            (c.live, c.store, c.id.clone())
        };
        match message {
            RoomMessage::State { version, incident, by, mine } => {
                live.status.try_set(LiveStatus::Live);
                let local = store.incident(&id).map(|i| codec::encode(&i));
                let step = shared.borrow_mut().follower.on_state(version, &incident, mine, local.as_deref());
                apply(shared, step);
                if !mine && !by.is_empty() {
                    live.changed_by.try_set(Some(by));
                }
            }
            RoomMessage::People { here } => {
                live.here.try_set(here);
            }
            RoomMessage::Refused { reason } => {
                // Not awaited any more: sent again shortly, unless it was refused for what it is.
                shared.borrow_mut().follower.on_refused();
                let too_fast = reason.starts_with("too many messages");
                if !too_fast {
                    store.tell(Notice {
                        text: format!("The live room did not take a change: {reason}."),
                        problem: true,
                    });
                }
                let later = shared.clone();
                set_timeout(move || send_latest(&later), SEND_EVERY * 2);
            }
        }
    }

    fn apply(shared: &Shared, step: Step) {
        match step {
            Step::Nothing => {}
            Step::Rebased { incident, send } => {
                apply(shared, Step::Take(incident));
                apply(shared, Step::Send(send));
            }
            Step::Take(token) => {
                let (store, id) = {
                    let c = shared.borrow();
                    (c.store, c.id.clone())
                };
                match codec::decode(&token) {
                    Ok(incident) if incident.id == id => store.replace(incident),
                    // A room that holds another incident (a link made to mislead) never
                    // replaces this one.
                    Ok(_) => store.tell(Notice {
                        text: "The live room holds another incident than this page's: nothing was taken from it."
                            .into(),
                        problem: true,
                    }),
                    Err(error) => store.tell(Notice {
                        text: format!("The live room sent an incident this browser cannot read ({error})."),
                        problem: true,
                    }),
                }
            }
            Step::Send(message) => {
                let c = shared.borrow();
                if let (Some(socket), Ok(text)) = (&c.socket, serde_json::to_string(&message)) {
                    if socket.ready_state() == WebSocket::OPEN {
                        let _ = socket.send_with_str(&text);
                    }
                }
            }
        }
    }

    /// A room's refusal ends the connection for good (and the incident's link to the room is
    /// forgotten, so it can go live again); anything else is the network: try again, waiting
    /// longer each time (0.5, 1, 2, 4, then every 5 seconds).
    fn closed(shared: &Shared, code: u16, reason: String) {
        let live = shared.borrow().live;
        live.here.try_set(Vec::new());
        match Closing::from_code(code) {
            Some(closing) if closing.is_final() => {
                let reason = if reason.is_empty() { closing.reason().to_string() } else { reason };
                live.status.try_set(LiveStatus::Ended(reason));
                live.link.try_set(None);
                let id = shared.borrow().id.clone();
                crate::state::storage::remove(&format!("{}{id}", super::LINK_PREFIX));
                // Nor kept in the address, which a reload would follow.
                Live::decline_address();
                shared.borrow_mut().socket = None;
            }
            _ => {
                live.status.try_set(LiveStatus::Offline);
                let attempts = {
                    let mut c = shared.borrow_mut();
                    c.socket = None;
                    c.attempts += 1;
                    c.attempts
                };
                let wait = (1u64 << attempts.min(4)) * 250;
                let shared = shared.clone();
                set_timeout(move || connect(shared), std::time::Duration::from_millis(wait.min(5_000)));
            }
        }
    }

    /// `POST {api}/api/rooms` with the incident: the room's link, or the worker's reason.
    pub async fn open_room(api: &str, token: &str) -> Result<RoomLink, String> {
        use wasm_bindgen_futures::JsFuture;
        let window = web_sys::window().ok_or("no window")?;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&wasm_bindgen::JsValue::from_str(token));
        let answer = JsFuture::from(window.fetch_with_str_and_init(&format!("{api}/api/rooms"), &init))
            .await
            .map_err(|_| "the worker did not answer: check the network".to_string())?;
        let response: web_sys::Response = answer.dyn_into().map_err(|_| "not a response")?;
        let text = JsFuture::from(response.text().map_err(|_| "no body")?)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        if !response.ok() {
            return Err(text.chars().take(200).collect());
        }
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|_| "the worker's answer is not a room")?;
        let field = |key: &str| value.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let (room, secret) = (field("room"), field("secret"));
        if !room::capability::is_well_formed(&room) || !room::capability::is_well_formed(&secret) {
            return Err("the worker's answer is not a room".into());
        }
        Ok(RoomLink { room, secret })
    }
}

/// Building pages: no rooms.
#[cfg(feature = "ssr")]
mod browser {
    use super::{Live, RoomLink};
    use crate::state::store::Store;

    pub fn start(_live: Live, _store: Store, _api: &'static str, _id: String, _link: RoomLink) {}

    pub fn local_changed(_local: &str) -> bool {
        false
    }

    pub fn stop() {}

    pub async fn open_room(_api: &str, _token: &str) -> Result<RoomLink, String> {
        Err("rooms are opened in the browser".into())
    }
}
