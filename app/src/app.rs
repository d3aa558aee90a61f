//! The app shell: header with search, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::search_box::SearchBox;
use crate::offline::{self, UpdateBanner};
use crate::routes::{
    home::HomePage, incident::IncidentPage, not_found::NotFound, runbook::RunbookPage, shared::SharedLinkPage,
};
use crate::state::clock::Clock;
use crate::state::probe::ProbeFeed;
use crate::state::store::Store;

#[component]
pub fn App() -> impl IntoView {
    provide_context(Store::load());
    provide_context(Clock::start());
    provide_context(ProbeFeed::start());
    if !cfg!(feature = "ssr") {
        crate::place::watch();
    }
    let update = offline::start();
    view! {
        <Router>
            <header class="site-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "Outpost"
                </a>
                <SearchBox/>
            </header>
            <Notices/>
            <UpdateBanner ready=update/>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/r/*slug") view=RunbookPage/>
                    <Route path=path!("/i/:id") view=IncidentPage/>
                    <Route path=path!("/s") view=SharedLinkPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// Problems the user must know about: unreadable saved data, storage that cannot save.
#[component]
fn Notices() -> impl IntoView {
    let store = expect_context::<Store>();
    move || {
        store.notices.with(|notices| {
            notices
                .iter()
                .enumerate()
                .map(|(index, notice)| {
                    view! {
                        <div class="notice" class:news=!notice.problem role=if notice.problem { "alert" } else { "status" }>
                            <span>{notice.text.clone()}</span>
                            <button type="button" class="link-button" on:click=move |_| store.notices.update(|n| { if index < n.len() { n.remove(index); } })>"Dismiss"</button>
                        </div>
                    }
                })
                .collect_view()
        })
    }
}
