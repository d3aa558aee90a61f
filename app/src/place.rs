//! Keeping the reader's place while the page fills in. A page opened at `#anchor` shows
//! that heading, and keeps showing it as the app takes over from the pre-rendered page and
//! as the probe's status arrives above it, until the reader scrolls for themselves.
//! (Replacing the page defeats the browser's own scroll anchoring.)

use std::cell::Cell;

use leptos::prelude::*;

thread_local! {
    static READER_MOVED: Cell<bool> = const { Cell::new(false) };
}

/// Listens for the reader scrolling on their own: wheel, touch, or a key that scrolls.
pub fn watch() {
    let moved = || READER_MOVED.with(|m| m.set(true));
    let wheel = window_event_listener(leptos::ev::wheel, move |_| moved());
    let touch = window_event_listener(leptos::ev::touchmove, move |_| moved());
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        const SCROLLING: [&str; 8] = ["ArrowDown", "ArrowUp", "PageDown", "PageUp", "Home", "End", " ", "Spacebar"];
        let in_field = event
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if !in_field && SCROLLING.contains(&event.key().as_str()) {
            moved();
        }
    });
    on_cleanup(move || {
        wheel.remove();
        touch.remove();
        keys.remove();
    });
}

/// Scrolls the `#anchor` of the address into view, unless the reader has moved.
pub fn restore() {
    if READER_MOVED.with(Cell::get) {
        return;
    }
    if let Ok(hash) = window().location().hash() {
        scroll_to_fragment(&hash);
    }
}

/// Scrolls the element a `#fragment` names into view, if the page has it.
pub fn scroll_to_fragment(hash: &str) {
    let Some(id) = hash.strip_prefix('#').filter(|id| !id.is_empty()) else { return };
    let id = document::links::percent_decode(id);
    if let Some(element) = document().get_element_by_id(&id) {
        element.scroll_into_view();
    }
}

/// [`restore`] once the browser has laid out what just changed.
pub fn restore_after_render() {
    request_animation_frame(restore);
}
