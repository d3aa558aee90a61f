//! The files the build published (`tokens::published`), fetched the first time a page asks
//! for one and kept for the rest of the visit. A view that asks is drawn again once when the
//! file arrives (each file has its own trigger, so one arriving redraws only what asked for
//! it). The service worker holds them all after the first visit.

use std::cell::RefCell;
use std::collections::HashMap;

use document::search::SearchIndex;
use leptos::prelude::{ArcTrigger, Notify, Track};
use runbook::catalog::Catalog;
use runbook::Runbook;
use tokens::published::{self, ReadError};

use super::load::Load;

/// A runbook by its slug. One the catalog does not list is missing without a request (a
/// share link or a saved incident can name any slug); one already asked for, such as the
/// page's own, needs no catalog.
pub fn runbook(slug: &str) -> Load<&'static Runbook> {
    let path = published::runbook_path(slug);
    if let Some(load) = runbooks().asked(&path) {
        return load;
    }
    match catalog() {
        Load::Ready(catalog) if catalog.get(slug).is_none() => Load::Missing,
        Load::Loading => Load::Loading,
        _ => runbooks().get(&path),
    }
}

pub fn catalog() -> Load<&'static Catalog> {
    catalogs().get(published::CATALOG_PATH)
}

pub fn search() -> Load<&'static SearchIndex> {
    searches().get(published::SEARCH_PATH)
}

/// Fetches what the page at `path` draws from before the app first draws it, so the app's
/// page takes the pre-rendered one's place complete. False when it could not be had: the
/// pre-rendered page then stays. A runbook the site does not have counts as had: the app
/// draws "not found".
pub async fn ready_for(path: &str) -> bool {
    if path == "/" {
        return catalogs().load(published::CATALOG_PATH).await;
    }
    if let Some(slug) = api::links::runbook_slug(path) {
        return runbooks().load(&published::runbook_path(&slug)).await;
    }
    if let Some(slug) = saved_incident_runbook(path) {
        // Waited for; an incident page says itself when its runbook cannot be had.
        runbooks().load(&published::runbook_path(&slug)).await;
    }
    true
}

/// The runbook of the incident at `path` (`/i/<id>`), when this browser has it saved: an
/// incident page waits for its runbook as a runbook page does.
fn saved_incident_runbook(path: &str) -> Option<String> {
    let id = path.strip_prefix("/i/")?.trim_end_matches('/');
    let token = crate::state::storage::get(&tokens::codec::saved_key(id))?;
    tokens::codec::decode(&token).ok().map(|incident| incident.runbook)
}

/// One kind of published file, by path.
struct Files<T: 'static> {
    slots: RefCell<HashMap<String, Slot<T>>>,
    read: fn(&[u8]) -> Result<T, ReadError>,
}

struct Slot<T: 'static> {
    load: Load<&'static T>,
    arrived: ArcTrigger,
}

fn runbooks() -> &'static Files<Runbook> {
    thread_local!(static FILES: &'static Files<Runbook> = Files::leak(published::read_runbook));
    FILES.with(|files| *files)
}

fn catalogs() -> &'static Files<Catalog> {
    thread_local!(static FILES: &'static Files<Catalog> = Files::leak(published::read_catalog));
    FILES.with(|files| *files)
}

fn searches() -> &'static Files<SearchIndex> {
    thread_local!(static FILES: &'static Files<SearchIndex> = Files::leak(published::read_search));
    FILES.with(|files| *files)
}

impl<T: 'static> Files<T> {
    fn leak(read: fn(&[u8]) -> Result<T, ReadError>) -> &'static Files<T> {
        Box::leak(Box::new(Files { slots: RefCell::new(HashMap::new()), read }))
    }

    /// The file at `path` as it is now, fetched if nobody asked before; the caller is drawn
    /// again when it arrives.
    fn get(&'static self, path: &str) -> Load<&'static T> {
        let (load, started) = {
            let mut slots = self.slots.borrow_mut();
            let started = !slots.contains_key(path);
            let slot = slots
                .entry(path.to_string())
                .or_insert_with(|| Slot { load: Load::Loading, arrived: ArcTrigger::new() });
            slot.arrived.track();
            (slot.load.clone(), started)
        };
        if started {
            let path = path.to_string();
            leptos::task::spawn_local(async move {
                self.fetch(&path).await;
            });
        }
        load
    }

    /// The file at `path` if somebody asked for it before (the caller is drawn again when it
    /// arrives); `None` if nobody did, and nothing is fetched.
    fn asked(&self, path: &str) -> Option<Load<&'static T>> {
        let slots = self.slots.borrow();
        let slot = slots.get(path)?;
        slot.arrived.track();
        Some(slot.load.clone())
    }

    /// Fetches `path` unless already asked for; false only if it could not be had (the
    /// site not having it is an answer).
    async fn load(&'static self, path: &str) -> bool {
        let asked = {
            let mut slots = self.slots.borrow_mut();
            let asked = slots.contains_key(path);
            slots.entry(path.to_string()).or_insert_with(|| Slot { load: Load::Loading, arrived: ArcTrigger::new() });
            asked
        };
        if !asked {
            self.fetch(path).await;
        }
        self.slots.borrow().get(path).is_some_and(|slot| matches!(slot.load, Load::Ready(_) | Load::Missing))
    }

    async fn fetch(&'static self, path: &str) {
        let load = match fetch_bytes(path).await {
            Ok(Some(bytes)) => match (self.read)(&bytes) {
                Ok(value) => Load::Ready(&*Box::leak(Box::new(value))),
                // A host answers a file it does not have with a page.
                Err(ReadError::NotPublished) => Load::Missing,
                Err(error) => Load::Failed(error.to_string()),
            },
            Ok(None) => Load::Missing,
            Err(error) => Load::Failed(error),
        };
        let arrived = {
            let mut slots = self.slots.borrow_mut();
            let Some(slot) = slots.get_mut(path) else { return };
            slot.load = load;
            slot.arrived.clone()
        };
        arrived.notify();
    }
}

/// The body of `GET path` on this site; `None` when the site has no such file.
async fn fetch_bytes(path: &str) -> Result<Option<Vec<u8>>, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let window = web_sys::window().ok_or("no window")?;
    let offline = "the site could not be reached (offline?)";
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|_| offline)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| offline)?;
    if response.status() == 404 {
        return Ok(None);
    }
    if !response.ok() {
        return Err(format!("the site answered HTTP {}", response.status()));
    }
    let buffer = response.array_buffer().map_err(|_| offline)?;
    let buffer = JsFuture::from(buffer).await.map_err(|_| offline)?;
    Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
}
