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
mod offline;
pub mod prerender;
mod routes;
pub mod site;
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
    let Ok(fresh) = document.create_element("div") else { return };
    fresh.set_id("app");
    let Ok(fresh) = fresh.dyn_into::<web_sys::HtmlElement>() else { return };
    leptos::mount::mount_to(fresh.clone(), App).forget();
    // What the reader was doing before the app arrived carries over: a search being typed.
    let typed = prerendered
        .query_selector(".search-input")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| (input.value(), document.active_element().is_some_and(|a| a == **input)));
    let _ = prerendered.replace_with_with_node_1(&fresh);
    if let Some((value, focused)) = typed.filter(|(value, focused)| !value.is_empty() || *focused) {
        if let Some(input) = fresh
            .query_selector(".search-input")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value(&value);
            let _ = input.dispatch_event(&web_sys::Event::new("input").expect("an input event"));
            if focused {
                let _ = input.focus();
            }
        }
    }
    mark_ready(&document);
}

/// `html.app-ready`: styles and tests tell the live app from the pre-rendered page by it.
#[cfg(not(feature = "ssr"))]
fn mark_ready(document: &web_sys::Document) {
    let _ = document.document_element().map(|root| root.class_list().add_1("app-ready"));
}
