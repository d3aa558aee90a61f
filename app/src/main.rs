//! The runbook site: plain markdown runbooks as an incident cockpit, in the browser.

mod app;
mod clipboard;
mod components;
mod routes;
mod site;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
