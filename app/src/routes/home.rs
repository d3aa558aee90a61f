//! Home: every runbook, with the scenarios it answers, one click from the right section.

use leptos::prelude::*;
use runbook::Runbook;

use crate::site::{runbook_href, site};

#[component]
pub fn HomePage() -> impl IntoView {
    Effect::new(|| document().set_title("Runbooks · Outpost"));
    let runbooks = &site().library.runbooks;
    view! {
        <section class="page home">
            <h1 class="page-title">"Runbooks"</h1>
            <p class="lede">"Open the runbook for what is happening, or press " <kbd>"/"</kbd> " to search every step."</p>
            {if runbooks.is_empty() {
                view! { <p class="empty">"No runbooks yet: add a markdown file to the runbooks/ folder."</p> }.into_any()
            } else {
                view! { <ul class="runbook-list">{runbooks.iter().map(runbook_card).collect_view()}</ul> }.into_any()
            }}
        </section>
    }
}

fn runbook_card(runbook: &'static Runbook) -> impl IntoView {
    let href = runbook_href(&runbook.slug, None);
    let scenarios = runbook.scenarios();
    let has_scenarios = !scenarios.is_empty();
    view! {
        <li class="runbook-card">
            <h2><a href=href>{runbook.title.clone()}</a></h2>
            <p class="description">{runbook.description.clone()}</p>
            {has_scenarios.then(|| view! {
                <ul class="scenarios" aria-label="Scenarios">
                    {scenarios.into_iter().map(|scenario| {
                        let href = runbook_href(&runbook.slug, Some(&scenario.anchor));
                        let severity = scenario.severity.clone();
                        view! {
                            <li>
                                <a class="scenario" href=href>
                                    {severity.map(|s| view! { <span class=severity_class(&s)>{s.clone()}</span> })}
                                    <span>{scenario.title}</span>
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}

/// `sev sev-1` for SEV1/P1: the number drives the colour.
pub fn severity_class(tag: &str) -> String {
    let level: String = tag.chars().filter(char::is_ascii_digit).collect();
    format!("sev sev-{level}")
}
