//! Any address the site has no page for.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow not-found">
            // Shown instead while the app loads for an incident or a share link (early.js).
            <p class="opening-note" role="status">"Opening…"</p>
            <div class="not-found-text">
                <h1>"No page here"</h1>
                <p>"This address is not a page of this site. The runbooks are listed on the "<a href="/">"home page"</a>"."</p>
                <p class="noscript-hint">"Incidents and share links live in your browser and need JavaScript."</p>
            </div>
        </section>
    }
}
