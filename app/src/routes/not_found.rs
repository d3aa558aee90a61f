//! Any address the site has no page for.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page narrow not-found">
            <h1>"No page here"</h1>
            <p>"This address is not a page of this site. The runbooks are listed on the "<a href="/">"home page"</a>"."</p>
        </section>
    }
}
