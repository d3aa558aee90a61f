//! The incident page's step checkboxes, until the app has loaded: each check saved at once,
//! with its time drawn beside the box as the app draws it.

use runbook::clock::hh_mm;
use runbook::incident::Timestamp;
use runbook::steps::StepId;
use web_sys::HtmlInputElement;

use crate::browser::{self, listen, Page};

pub fn offer(page: &Page, incident: &str) {
    for input in page.find_all::<HtmlInputElement>(".step-check input[type=checkbox][data-starter]") {
        let Some(step) = input.id().strip_prefix("step-").and_then(|id| id.parse::<StepId>().ok()) else { continue };
        let (page, box_, incident) = (page.clone(), input.clone(), incident.to_string());
        listen(&input, "change", move |_| record(&page, &box_, step, &incident));
    }
}

/// The box's own state, saved; if it cannot be, the box goes back to what is saved.
fn record(page: &Page, input: &HtmlInputElement, step: StepId, id: &str) {
    let Some(mut incident) = browser::saved(id) else {
        input.set_checked(!input.checked());
        return;
    };
    incident.set_step(step, input.checked(), browser::now());
    let _ = browser::save(&incident);
    // The box shows what is saved: a refused save or a refused check leaves it as it was.
    let at = browser::saved(id).and_then(|saved| saved.checks.get(&step).copied());
    input.set_checked(at.is_some());
    draw_time(page, input, at);
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
