//! The runbook site: plain markdown runbooks as an incident cockpit, in the browser.

mod app;
mod clipboard;
mod components;
mod doc;
mod offline;
mod routes;
mod site;
mod state;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
