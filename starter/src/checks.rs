//! The incident page's step checkboxes, until the app has loaded: each check saved at once,
//! with its time beside the box and the cockpit's step count, as the app draws them.

use runbook::clock::hh_mm;
use runbook::incident::{Incident, Timestamp};
use runbook::steps::StepId;
use runbook::Runbook;
use web_sys::HtmlInputElement;

use crate::browser::{self, listen, Page};

pub fn offer(page: &Page, runbook: &'static Runbook, incident: &str) {
    for input in page.find_all::<HtmlInputElement>(".step-check input[type=checkbox][data-starter]") {
        let Some(step) = input.id().strip_prefix("step-").and_then(|id| id.parse::<StepId>().ok()) else { continue };
        let (page, box_, incident) = (page.clone(), input.clone(), incident.to_string());
        listen(&input, "change", move |_| record(&page, runbook, &box_, step, &incident));
    }
}

/// The box's own state, saved. When it cannot be (storage full, the incident gone), the box
/// goes back and the click is the app's to make, which says why.
fn record(page: &Page, runbook: &Runbook, input: &HtmlInputElement, step: StepId, id: &str) {
    let checked = input.checked();
    let saved = browser::saved(id).and_then(|mut incident| {
        incident.set_step(step, checked, browser::now());
        browser::save(&incident).then_some(incident)
    });
    let Some(incident) = saved else {
        input.set_checked(!checked);
        browser::hand_to_app(page, input);
        return;
    };
    // A check past the incident's limit is refused: the box shows what is saved.
    let at = incident.checks.get(&step).copied();
    input.set_checked(at.is_some());
    draw_time(page, input, at);
    draw_progress(page, runbook, &incident);
}

fn draw_time(page: &Page, input: &HtmlInputElement, at: Option<Timestamp>) {
    let Some(holder) = input.parent_element() else { return };
    if let Ok(Some(old)) = holder.query_selector(".checked-at") {
        old.remove();
    }
    let Some(at) = at else { return };
    let Ok(label) = page.document.create_element("label") else { return };
    label.set_class_name("checked-at");
    let _ = label.set_attribute("for", &input.id());
    let _ = label.set_attribute("title", "Checked at");
    label.set_text_content(Some(&hh_mm(at, browser::offset_minutes())));
    let _ = holder.append_child(&label);
}

fn draw_progress(page: &Page, runbook: &Runbook, incident: &Incident) {
    let progress = runbook::cockpit::progress(runbook, incident);
    if let Some(text) = page.find(".cockpit .progress-text") {
        text.set_text_content(Some(&format!("{}/{}", progress.done, progress.total)));
    }
    if let Some(bar) = page.find(".cockpit progress") {
        let _ = bar.set_attribute("value", &progress.done.to_string());
    }
}
