//! "Start incident": the incident started and saved as the app would, and the incident page
//! the build drew for a fresh incident shown under the incident's own address.

use std::collections::BTreeMap;

use runbook::clock::{hh_mm, stopwatch};
use runbook::incident::Incident;
use runbook::Runbook;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlTemplateElement};

use crate::browser::{self, listen, Page};
use crate::{checks, copy};

/// Makes the page's "Start incident" work, if the page has the button and the template.
pub fn offer(page: Page, runbook: &'static Runbook) {
    let Some(button) = page.find("button.start[data-starter]") else { return };
    let Some(template) = page.find("template#incident-template").and_then(|t| t.dyn_into::<HtmlTemplateElement>().ok())
    else {
        return;
    };
    page.mark_ready();
    let clicked = button.clone();
    // `early.js` holds the click instead (and the app makes it) once the app has begun
    // taking over, so a click that reaches here is the starter's.
    listen(&button, "click", move |event| {
        event.prevent_default();
        let id = runbook::actions::incident_id(js_sys::Math::random());
        // An address with values never reaches here (`main`), so there are none to offer.
        let incident = runbook::actions::start(runbook, id, browser::now(), &BTreeMap::new());
        if browser::save(&incident) {
            show(&page, &template, runbook, &incident);
        } else {
            // The app keeps an incident it cannot save in memory and says why.
            browser::hand_to_app(&page, &clicked);
        }
    });
}

fn show(page: &Page, template: &HtmlTemplateElement, runbook: &'static Runbook, incident: &Incident) {
    let Some(app) = page.document.get_element_by_id("app") else { return };
    let Ok(content) = template.content().clone_node_with_deep(true) else { return };
    app.replace_children_with_node_1(&content);
    let address = format!("/i/{}", incident.id);
    if let Ok(history) = page.window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&address));
    }
    // Back (or forward) to another page before the app has loaded: that page as it was
    // built. A fragment link on the incident page keeps its address and is left alone.
    listen(&page.window, "popstate", {
        let page = page.clone();
        move |_| {
            if !page.app_has_started() && page.path() != address {
                let _ = page.window.location().reload();
            }
        }
    });
    // "Runbook · Site" becomes the app's "Incident · Runbook · Site".
    page.document.set_title(&format!("Incident · {}", page.document.title()));
    if let Some(started) = page.find(".cockpit .started-at") {
        started.set_text_content(Some(&hh_mm(incident.started_at, browser::offset_minutes())));
    }
    keep_for_app(&app);
    copy::offer(page, &app);
    tick_elapsed(page, incident.started_at);
    page.mark("starter-opened");
    checks::offer(page, runbook, &incident.id);
    // As the app opens an incident: at its first step, not its table of contents.
    if let Some(first) = page.find(".step-check input") {
        first.closest(".step, .command").ok().flatten().unwrap_or(first).scroll_into_view();
    }
}

/// The template's other controls are the app's: a click on a button is held by `early.js`
/// and made once the app is ready; a choice or text the swap would not carry over waits.
fn keep_for_app(app: &Element) {
    for button in browser::all_in(app, "button:not([data-starter]):not([data-needs-app])") {
        let _ = button.set_attribute("data-needs-app", "");
    }
    for field in browser::all_in(app, "select, textarea, .template input") {
        let _ = field.set_attribute("disabled", "");
    }
}

/// The cockpit's elapsed time, every second until the app draws its own.
fn tick_elapsed(page: &Page, started_at: runbook::incident::Timestamp) {
    let page = page.clone();
    browser::every_second(move || {
        if page.app_has_started() {
            return false;
        }
        if let Some(elapsed) = page.find(".cockpit .elapsed") {
            let seconds = u64::try_from(browser::now().saturating_sub(started_at)).unwrap_or(0);
            elapsed.set_text_content(Some(&stopwatch(seconds)));
        }
        true
    });
}
