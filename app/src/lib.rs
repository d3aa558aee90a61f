//! The runbook site: plain markdown runbooks as an incident cockpit.
//!
//! One set of Leptos components draws every page twice: at build time (feature `ssr`,
//! `bin/prerender.rs`) into HTML that reads with no script, and in the browser (feature
//! `csr`), where [`start`] draws the live app and puts it in place of the pre-rendered page
//! in one step, so the reader's place, the fragment and the layout stay as they were.

pub mod app;
mod clipboard;
mod components;
mod doc;
pub mod library;
mod offline;
mod place;
pub mod prerender;
mod routes;
mod state;

pub use app::App;

/// The browser's entry point.
#[cfg(not(feature = "ssr"))]
pub fn start() {
    use wasm_bindgen::JsCast;

    let document = leptos::prelude::document();
    let Some(prerendered) = document.get_element_by_id("app") else {
        // The dev server's page has nothing pre-rendered.
        leptos::mount::mount_to_body(App);
        mark_ready(&document);
        return;
    };
    // Not Leptos's spawner: it is set up by mounting, which waits for this.
    wasm_bindgen_futures::spawn_local(async move {
        // The page's own data first (its runbook, or the catalog), fetched since the page
        // began loading: the app then draws the whole page at once. If it cannot be had,
        // the pre-rendered page stays, readable, and says why its controls wait.
        // The page starter may move the page to another address meanwhile ("Start incident"
        // on a runbook page): the app waits for the page it will draw.
        let path = || document.location().and_then(|l| l.pathname().ok()).unwrap_or_default();
        let mut waited_for = path();
        loop {
            if !library::ready_for(&waited_for).await {
                say_controls_unavailable(&document);
                return;
            }
            if path() == waited_for {
                break;
            }
            waited_for = path();
        }
        // From here, clicks wait for the app (`early.js`), even on the starter's controls.
        let _ = document.document_element().map(|root| root.class_list().add_1("app-mounting"));
        let Ok(fresh) = document.create_element("div") else { return };
        fresh.set_id("app");
        let Ok(fresh) = fresh.dyn_into::<web_sys::HtmlElement>() else { return };
        leptos::mount::mount_to(fresh.clone(), App).forget();
        // The swap waits for the app's first effects (saved state loading, routed views),
        // so the page it puts in place is complete.
        leptos::prelude::set_timeout(move || swap(&document, &prerendered, &fresh), std::time::Duration::ZERO);
    });
}

/// The page's data could not be fetched: its text stays readable, and a line says why the
/// buttons do nothing yet (early.js holds clicks until the app is ready).
#[cfg(not(feature = "ssr"))]
fn say_controls_unavailable(document: &web_sys::Document) {
    let Ok(note) = document.create_element("p") else { return };
    note.set_class_name("early-note");
    let _ = note.set_attribute("role", "alert");
    note.set_text_content(Some(
        "This page's data could not be loaded, so its buttons do not work yet. Reload when the connection is back.",
    ));
    if let Some(body) = document.body() {
        let _ = body.append_child(&note);
    }
}

/// `fresh` (the live app) in place of the pre-rendered page, with what the reader typed
/// there carried over: a search, a host value.
#[cfg(not(feature = "ssr"))]
fn swap(document: &web_sys::Document, prerendered: &web_sys::Element, fresh: &web_sys::HtmlElement) {
    use wasm_bindgen::JsCast;

    let typed = typed_fields(prerendered, document);
    let opened = open_sections(prerendered);
    let _ = prerendered.replace_with_with_node_1(fresh);
    // Sections the reader opened stay open (the fields typed in may be in one).
    for (selector, index) in opened {
        if let Some(section) = fresh.query_selector_all(&selector).ok().and_then(|all| all.item(index)) {
            if let Ok(section) = section.dyn_into::<web_sys::Element>() {
                let _ = section.set_attribute("open", "");
            }
        }
    }
    mark_ready(document);
    place::restore();
    for (id, typed, focused) in typed {
        let found = match id {
            Some(id) => document.get_element_by_id(&id),
            None => fresh.query_selector("input.search-input").ok().flatten(),
        };
        let Some(input) = found.and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) else { continue };
        if focused {
            let _ = input.focus();
        }
        // A field only visited keeps the app's value (a site default the build does not
        // draw in it) and tells the app nothing.
        let Some(value) = typed else { continue };
        input.set_value(&value);
        // Told to the app as if typed there. A field the reader is still typing in is not
        // committed half-typed: it is when they leave it, as any field is (the browser
        // would not say so itself if nothing more is typed after the swap).
        tell(&input, "input");
        if focused {
            let field = input.clone();
            let on_leave = wasm_bindgen::closure::Closure::once_into_js(move || tell(&field, "change"));
            let once = web_sys::AddEventListenerOptions::new();
            once.set_once(true);
            let _ = input.add_event_listener_with_callback_and_add_event_listener_options(
                "blur",
                on_leave.unchecked_ref(),
                &once,
            );
        } else {
            tell(&input, "change");
        }
    }
}

/// `event` on `input`, bubbling, for the app's handlers are delegated.
#[cfg(not(feature = "ssr"))]
fn tell(input: &web_sys::HtmlInputElement, event: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = web_sys::Event::new_with_event_init_dict(event, &init) {
        let _ = input.dispatch_event(&event);
    }
}

/// The open `<details>` of the pre-rendered page (drawn open, or opened by the reader), each
/// as the selector of its kind (its classes) and its place among them.
#[cfg(not(feature = "ssr"))]
fn open_sections(page: &web_sys::Element) -> Vec<(String, u32)> {
    use wasm_bindgen::JsCast;

    let mut opened = Vec::new();
    let Ok(open) = page.query_selector_all("details[open]") else { return opened };
    for index in 0..open.length() {
        let Some(section) = open.item(index).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let selector = std::iter::once("details".to_string())
            .chain(
                (0..section.class_list().length())
                    .filter_map(|i| section.class_list().item(i))
                    .map(|c| format!(".{c}")),
            )
            .collect::<String>();
        let Ok(same) = page.query_selector_all(&selector) else { continue };
        if let Some(place) = (0..same.length()).find(|&i| same.item(i).is_some_and(|n| n == *section)) {
            opened.push((selector, place));
        }
    }
    opened
}

/// Text fields of the pre-rendered page the reader has typed in or is in, as
/// `(id, what was typed if anything, focused)`; the search field has no id.
#[cfg(not(feature = "ssr"))]
type TypedField = (Option<String>, Option<String>, bool);

#[cfg(not(feature = "ssr"))]
fn typed_fields(page: &web_sys::Element, document: &web_sys::Document) -> Vec<TypedField> {
    use wasm_bindgen::JsCast;

    let mut fields = Vec::new();
    let Ok(inputs) = page.query_selector_all("input.search-input, input[type=text][id]") else { return fields };
    for index in 0..inputs.length() {
        let Some(input) = inputs.item(index).and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            continue;
        };
        let focused = document.active_element().is_some_and(|a| a == **input);
        let typed = Some(input.value()).filter(|value| *value != input.default_value());
        if typed.is_none() && !focused {
            continue;
        }
        let id = Some(input.id()).filter(|id| !id.is_empty());
        fields.push((id, typed, focused));
    }
    fields
}

/// `html.app-ready`: styles and tests tell the live app from the pre-rendered page by it.
#[cfg(not(feature = "ssr"))]
fn mark_ready(document: &web_sys::Document) {
    let _ = document.document_element().map(|root| root.class_list().add_1("app-ready"));
}
