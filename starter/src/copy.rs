//! The code blocks' copy buttons, until the app has loaded: each copies its block's text as
//! drawn, which is what the app copies while no value has been set in this browser (the
//! build fills in the site's and the runbook's own values).

use runbook::document::commands::copy_all_text;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Element;

use crate::browser::{self, listen, Page};

/// The buttons that copy what the page shows (`data-starter`, drawn by the build).
const BUTTONS: &str = "button.copy[data-starter]";

/// Makes the copy buttons under `root` work, or hands them to the app where the text drawn
/// is not what it would copy (values set in this browser) or where only the app can copy
/// (a page served over plain HTTP has no Clipboard API).
pub fn offer(page: &Page, root: &Element) {
    let buttons = browser::all_in(root, BUTTONS);
    if !page.window.is_secure_context() || browser::user_values_saved() {
        leave_to_app(&buttons);
        return;
    }
    for button in &buttons {
        let (pressed, all) = (button.clone(), buttons.clone());
        listen(button, "click", move |event| {
            // Left to the app: `early.js` holds such a click before it gets here.
            if !pressed.has_attribute("data-starter") {
                return;
            }
            event.prevent_default();
            // Values set since (in another tab) are the app's to fill in: the click is made
            // again, and held for the app.
            if browser::user_values_saved() {
                leave_to_app(&all);
                if let Some(button) = pressed.dyn_ref::<web_sys::HtmlElement>() {
                    button.click();
                }
                return;
            }
            let Some(text) = shown_text(&pressed) else { return };
            let button = pressed.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let copied = write_clipboard(&text).await;
                say(&button, if copied { "Copied" } else { "Copy failed" }, copied);
            });
        });
    }
}

/// `early.js` holds a click on these for the app, like any other control.
fn leave_to_app(buttons: &[Element]) {
    for button in buttons {
        let _ = button.remove_attribute("data-starter");
    }
}

/// A group's button: its command row's text. A block's "Copy all": its rows a blank line
/// apart (`copy_all_text`), or the whole text of a block that is not shell commands.
fn shown_text(button: &Element) -> Option<String> {
    if button.class_list().contains("copy-group") {
        let row = button.closest(".command").ok()??;
        return row.query_selector("pre").ok()?.map(|pre| pre.text_content().unwrap_or_default());
    }
    let block = button.closest(".code").ok()??;
    let rows: Vec<String> =
        browser::all_in(&block, ".command pre").iter().map(|pre| pre.text_content().unwrap_or_default()).collect();
    if !rows.is_empty() {
        return Some(copy_all_text(&rows));
    }
    block.query_selector("pre").ok()?.map(|pre| pre.text_content().unwrap_or_default())
}

async fn write_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    JsFuture::from(window.navigator().clipboard().write_text(text)).await.is_ok()
}

/// "Copied" (or why not) on the button for two seconds, then its own label again, as the
/// app's copy buttons say it.
fn say(button: &Element, message: &str, copied: bool) {
    // Its own label, kept from the first click: a second click within the two seconds
    // finds the message in its place.
    let label = button.get_attribute("data-label").unwrap_or_else(|| {
        let label = button.text_content().unwrap_or_default();
        let _ = button.set_attribute("data-label", &label);
        label
    });
    button.set_text_content(Some(message));
    let _ = button.class_list().toggle_with_force("copied", copied);
    let Some(window) = web_sys::window() else { return };
    let button = button.clone();
    let restore = Closure::once_into_js(move || {
        button.set_text_content(Some(&label));
        let _ = button.class_list().remove_1("copied");
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(restore.unchecked_ref(), 2000);
}
