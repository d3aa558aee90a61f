//! The hosts panel: set each placeholder in the commands once; every command shown and
//! copied uses it. Secrets are listed only to say where they belong: the user's shell.

use leptos::prelude::*;

use crate::doc::Doc;

#[component]
pub fn HostsPanel(doc: Doc) -> impl IntoView {
    let runbook = doc.runbook;
    if runbook.variables.is_empty() && runbook.secrets.is_empty() {
        return ().into_any();
    }
    let set_count =
        move || doc.variables.with(|v| runbook.variables.iter().filter(|var| v.contains_key(&var.name)).count());
    let total = runbook.variables.len();
    let scope = if doc.incident.is_some() { "for this incident" } else { "in this browser" };
    view! {
        // Open while running an incident; folded when just reading.
        <details class="hosts" open=doc.incident.is_some()>
            <summary>
                <span class="hosts-title">"Hosts"</span>
                <span class="hosts-count">{move || format!("{} of {total} set {scope}", set_count())}</span>
            </summary>
            <div class="hosts-fields">
                {runbook.variables.iter().map(|variable| {
                    let name = variable.name.as_str();
                    let id = format!("var-{name}");
                    let label_for = id.clone();
                    view! {
                        <label class="host" for=label_for>
                            <code>{variable.written.clone()}</code>
                            <input id=id type="text" spellcheck="false" autocomplete="off" placeholder="not set"
                                prop:value=move || doc.value_of(name).unwrap_or_default()
                                on:change=move |event| doc.set_variable(name, &event_target_value(&event))/>
                        </label>
                    }
                }).collect_view()}
            </div>
            {(!runbook.secrets.is_empty()).then(|| view! {
                <p class="secrets-note">
                    "Secrets stay in your shell: "
                    {runbook.secrets.iter().map(|s| view! { <code class="secret">{format!("${s}")}</code>" " }).collect_view()}
                    "are never filled in, saved or shared by Outpost."
                </p>
            })}
        </details>
    }
    .into_any()
}
