//! Copying text for the user, with a fallback for pages served over plain HTTP, where
//! browsers offer no Clipboard API.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if window.is_secure_context() {
        let promise = window.navigator().clipboard().write_text(text);
        if JsFuture::from(promise).await.is_ok() {
            return true;
        }
    }
    copy_with_selection(text)
}

/// The pre-Clipboard-API way: select a hidden textarea and ask the document to copy.
fn copy_with_selection(text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let (Ok(element), Some(body)) = (document.create_element("textarea"), document.body()) else {
        return false;
    };
    let Ok(area) = element.dyn_into::<web_sys::HtmlTextAreaElement>() else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    // Through the style object, not a style attribute: the site's CSP forbids inline styles.
    let style = area.style();
    for (name, value) in [("position", "fixed"), ("top", "0"), ("left", "0"), ("opacity", "0")] {
        let _ = style.set_property(name, value);
    }
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let copied = document.dyn_ref::<web_sys::HtmlDocument>().is_some_and(|d| d.exec_command("copy").unwrap_or(false));
    area.remove();
    copied
}
