//! "Start incident": the incident started and saved as the app would, and the incident page
//! the build drew for a fresh incident shown under the incident's own address.

use std::collections::BTreeMap;

use runbook::clock::hh_mm;
use runbook::incident::Incident;
use runbook::Runbook;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlTemplateElement;

use crate::browser::{self, listen, Page};
use crate::checks;

/// Makes the page's "Start incident" work, if the page has the button and the template.
pub fn offer(page: Page, runbook: &'static Runbook) {
    let Some(button) = page.find("button.start[data-starter]") else { return };
    let Some(template) = page.find("template#incident-template").and_then(|t| t.dyn_into::<HtmlTemplateElement>().ok())
    else {
        return;
    };
    page.mark_ready();
    let shown = page.clone();
    // `early.js` holds the click instead (and the app makes it) once the app has begun
    // taking over, so a click that reaches here is the starter's.
    listen(&button, "click", move |event| {
        event.prevent_default();
        let id = runbook::actions::incident_id(js_sys::Math::random());
        // An address with values never reaches here (`main`), so there are none to offer.
        let incident = runbook::actions::start(runbook, id, browser::now(), &BTreeMap::new());
        if browser::save(&incident) {
            show(&shown, &template, &incident);
        }
    });
    // Back from the incident's address before the app has loaded: the runbook page as it
    // was built (the incident stays saved, and the runbook page offers to continue it).
    listen(&page.window, "popstate", |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
}

fn show(page: &Page, template: &HtmlTemplateElement, incident: &Incident) {
    let Some(app) = page.document.get_element_by_id("app") else { return };
    let Ok(content) = template.content().clone_node_with_deep(true) else { return };
    app.replace_children_with_node_1(&content);
    if let Ok(history) = page.window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&format!("/i/{}", incident.id)));
    }
    // "Runbook · Site" becomes the app's "Incident · Runbook · Site".
    page.document.set_title(&format!("Incident · {}", page.document.title()));
    if let Some(started) = page.find(".cockpit .started-at") {
        started.set_text_content(Some(&hh_mm(incident.started_at, browser::offset_minutes())));
    }
    page.mark("starter-opened");
    checks::offer(page, &incident.id);
    // As the app opens an incident: at its first step, not its table of contents.
    if let Some(first) = page.find(".step-check input") {
        first.closest(".step, .command").ok().flatten().unwrap_or(first).scroll_into_view();
    }
}
