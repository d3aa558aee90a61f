//! A button that copies text and says whether it worked.

use std::time::Duration;

use leptos::prelude::*;

use crate::components::BEFORE_APP;
use leptos::task::spawn_local;

use crate::clipboard::copy_text;

#[derive(Clone, Copy, PartialEq)]
enum CopyState {
    Ready,
    Copied,
    Failed,
}

/// `text` is read at the moment of the click, so it copies what the page shows then.
/// `from_page`: what it copies is exactly the text of its code block as drawn, so the page
/// starter can copy it before the app has loaded (`data-starter`).
#[component]
pub fn CopyButton(
    #[prop(into)] text: Callback<(), String>,
    #[prop(default = "Copy")] label: &'static str,
    #[prop(default = "copy")] class: &'static str,
    #[prop(optional, into)] on_copied: Option<Callback<()>>,
    #[prop(optional)] title: Option<&'static str>,
    #[prop(optional)] from_page: bool,
) -> impl IntoView {
    let state = RwSignal::new(CopyState::Ready);
    let copy = move |_| {
        let value = text.run(());
        spawn_local(async move {
            let copied = copy_text(&value).await;
            state.set(if copied { CopyState::Copied } else { CopyState::Failed });
            if copied {
                if let Some(callback) = on_copied {
                    callback.run(());
                }
            }
            set_timeout(move || state.set(CopyState::Ready), Duration::from_secs(2));
        });
    };
    view! {
        <button type="button" class=class on:click=copy aria-live="polite"
            title=title data-needs-app=BEFORE_APP.then_some("") data-starter=(BEFORE_APP && from_page).then_some("")
            class:copied=move || state.get() == CopyState::Copied>
            {move || match state.get() {
                CopyState::Ready => label,
                CopyState::Copied => "Copied",
                CopyState::Failed => "Copy failed",
            }}
        </button>
    }
}
