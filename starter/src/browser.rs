//! The little of the browser the starter uses, every failure an `Option`.

use runbook::incident::{Incident, Timestamp};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, Window};

/// The page, with the classes the app and `early.js` read on `<html>`.
#[derive(Clone)]
pub struct Page {
    pub window: Window,
    pub document: Document,
}

/// `<html>` classes: the starter handles its controls; the app has begun taking over, or has.
const STARTER_READY: &str = "starter-ready";
const APP_CLASSES: [&str; 2] = ["app-mounting", "app-ready"];

impl Page {
    pub fn current() -> Option<Page> {
        let window = web_sys::window()?;
        let document = window.document()?;
        Some(Page { window, document })
    }

    pub fn path(&self) -> String {
        self.window.location().pathname().unwrap_or_default()
    }

    pub fn query(&self) -> String {
        self.window.location().search().unwrap_or_default()
    }

    fn root_classes(&self) -> Option<web_sys::DomTokenList> {
        self.document.document_element().map(|root| root.class_list())
    }

    pub fn app_has_started(&self) -> bool {
        self.root_classes().is_some_and(|classes| APP_CLASSES.iter().any(|c| classes.contains(c)))
    }

    /// `starter-ready`: `early.js` lets clicks on the starter's controls through.
    pub fn mark_ready(&self) {
        self.mark(STARTER_READY);
    }

    /// A class on `<html>` for the app and the styles.
    pub fn mark(&self, class: &str) {
        if let Some(classes) = self.root_classes() {
            let _ = classes.add_1(class);
        }
    }

    pub fn find(&self, selector: &str) -> Option<Element> {
        self.document.query_selector(selector).ok().flatten()
    }

    pub fn find_all<T: JsCast>(&self, selector: &str) -> Vec<T> {
        let Ok(list) = self.document.query_selector_all(selector) else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<T>().ok()).collect()
    }
}

/// Now, in Unix seconds, as the app counts.
pub fn now() -> Timestamp {
    (js_sys::Date::now() / 1000.0).floor() as Timestamp
}

/// Minutes east of UTC, for local times.
pub fn offset_minutes() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether an incident saved now can be read back (private modes may refuse or throw).
pub fn storage_works() -> bool {
    let Some(storage) = storage() else { return false };
    let probe = "outpost.starter-probe";
    let works = storage.set_item(probe, "1").is_ok();
    let _ = storage.remove_item(probe);
    works
}

/// Whether this browser has host values its user set (the app fills them in; the built
/// page does not have them).
pub fn user_values_saved() -> bool {
    storage()
        .and_then(|s| s.get_item(tokens::codec::USER_VALUES_KEY).ok().flatten())
        .is_some_and(|values| !values.trim().is_empty())
}

/// Saves `incident` where the app reads it; `false` when the browser refused.
pub fn save(incident: &Incident) -> bool {
    storage()
        .is_some_and(|s| s.set_item(&tokens::codec::saved_key(&incident.id), &tokens::codec::encode(incident)).is_ok())
}

/// The incident saved under `id`, if it reads.
pub fn saved(id: &str) -> Option<Incident> {
    let token = storage()?.get_item(&tokens::codec::saved_key(id)).ok().flatten()?;
    tokens::codec::decode(&token).ok()
}

/// The runbook's published model (`tokens::published`), the file the page preloads.
pub async fn fetch_runbook(slug: &str) -> Option<runbook::Runbook> {
    let window = web_sys::window()?;
    let response = JsFuture::from(window.fetch_with_str(&tokens::published::runbook_path(slug))).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    tokens::published::read_runbook(&js_sys::Uint8Array::new(&buffer).to_vec()).ok()
}

/// The elements under `root` that `selector` matches.
pub fn all_in(root: &Element, selector: &str) -> Vec<Element> {
    let Ok(list) = root.query_selector_all(selector) else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()
}

/// Gives a click the starter cannot carry out to the app: the starter steps aside and the
/// click is made again, so `early.js` holds it, says so, and the app makes it when ready.
pub fn hand_to_app(page: &Page, control: &Element) {
    if let Some(classes) = page.root_classes() {
        let _ = classes.remove_1(STARTER_READY);
    }
    if let Some(control) = control.dyn_ref::<web_sys::HtmlElement>() {
        control.click();
    }
}

/// `tick` once a second for as long as it returns `true`.
pub fn every_second(mut tick: impl FnMut() -> bool + 'static) {
    use std::cell::Cell;
    use std::rc::Rc;

    let Some(window) = web_sys::window() else { return };
    let handle = Rc::new(Cell::new(None));
    let cleared = handle.clone();
    let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        if !tick() {
            if let (Some(window), Some(id)) = (web_sys::window(), cleared.take()) {
                window.clear_interval_with_handle(id);
            }
        }
    });
    let id = window.set_interval_with_callback_and_timeout_and_arguments_0(closure.as_ref().unchecked_ref(), 1000);
    handle.set(id.ok());
    closure.forget();
}

/// `handler` for every `event` on `target`, for the page's life.
pub fn listen(target: &web_sys::EventTarget, event: &str, handler: impl FnMut(web_sys::Event) + 'static) {
    let closure = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}
