//! The page starter: what a runbook page runs first, before the app has loaded.
//!
//! The app (Leptos, a few hundred KB) takes seconds to arrive on a poor network; this is a
//! few dozen KB and no framework. On a pre-rendered runbook page it makes "Start incident"
//! and the incident's step checkboxes work at once: the incident is saved exactly as the
//! app saves it (`tokens::codec`), the incident page is the one the build drew for a fresh
//! incident (`<template id="incident-template">`), and when the app has loaded it takes the
//! page over from the saved incident, as it takes over any pre-rendered page. It draws
//! nothing of its own but the time a step was checked.
//!
//! It steps aside (leaving every click to the app, held by `early.js` until it is ready)
//! wherever the app decides more than this knows: an address with values or an outage in
//! it, a browser that cannot save, a page the app already runs.

mod browser;
mod checks;
mod copy;
mod start;

fn main() {
    let Some(page) = browser::Page::current() else { return };
    let Some(slug) = api::links::runbook_slug(&page.path()) else { return };
    if !page.query().is_empty() || !browser::storage_works() {
        return;
    }
    if let Some(app) = page.document.get_element_by_id("app") {
        copy::offer(&page, &app);
    }
    wasm_bindgen_futures::spawn_local(async move {
        // The pre-rendered page asked for it with the page, so it is here or on its way.
        let Some(runbook) = browser::fetch_runbook(&slug).await else { return };
        if page.app_has_started() {
            return;
        }
        start::offer(page, Box::leak(Box::new(runbook)));
    });
}
