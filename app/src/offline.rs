//! Works with no network after one visit: registers the service worker that `cargo xtask
//! build` writes (release builds only; the dev server has none), and offers a reload when a
//! new deploy is ready. The incident is saved on every change, so reloading loses nothing.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// The new version's worker, set when it has installed and waits for this page to let it
/// take over. A local signal: browser objects never leave the page's thread.
#[derive(Clone, Copy)]
pub struct UpdateReady(pub RwSignal<Option<ServiceWorker>, LocalStorage>);

pub fn start() -> UpdateReady {
    let ready = UpdateReady(RwSignal::new_local(None));
    if cfg!(debug_assertions) || cfg!(feature = "ssr") {
        return ready;
    }
    let Some(container) = web_sys::window().map(|w| w.navigator().service_worker()) else {
        return ready;
    };
    leptos::task::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register("/sw.js")).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        let has_controller = container.controller().is_some();
        if let Some(waiting) = registration.waiting().filter(|_| has_controller) {
            ready.0.set(Some(waiting));
        }
        let found_registration = registration.clone();
        let on_update_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = found_registration.installing() else {
                return;
            };
            let watched = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                let controlled =
                    web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some());
                if watched.state() == ServiceWorkerState::Installed && controlled {
                    ready.0.set(Some(watched.clone()));
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        on_update_found.forget();
    });
    ready
}

/// "New version available — reload": hands over to the new worker, then reloads.
#[component]
pub fn UpdateBanner(ready: UpdateReady) -> impl IntoView {
    move || {
        ready.0.get().map(|worker| {
            let reload = move |_| {
                let container = window().navigator().service_worker();
                let on_change = Closure::<dyn FnMut()>::new(|| {
                    let _ = window().location().reload();
                });
                container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
                on_change.forget();
                let _ = worker.post_message(&"skip-waiting".into());
            };
            view! {
                <div class="update-ready" role="status">
                    <span>"A new version of Outpost is available."</span>
                    <button type="button" on:click=reload>"Reload"</button>
                </div>
            }
        })
    }
}
