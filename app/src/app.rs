//! The app shell: header with search, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::search_box::SearchBox;
use crate::routes::{home::HomePage, not_found::NotFound, runbook::RunbookPage};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="site-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "Outpost"
                </a>
                <SearchBox/>
            </header>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/r/*slug") view=RunbookPage/>
                </Routes>
            </main>
        </Router>
    }
}
