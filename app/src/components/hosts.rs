//! The hosts panel: set each placeholder in the commands once; every command shown and
//! copied uses it. Hosts are listed first, then the other placeholders as fields to fill in.
//! A value must fit its placeholder (a host, a commit…): one that does not is refused here
//! with the reason, and one that came from a link is marked as such. Secrets are listed only
//! to say where they belong: the user's shell. Nothing to fill, no panel to open.

use leptos::prelude::*;

use crate::doc::Doc;
use runbook::value_sources::Source;
use runbook::variables::{Role, Variable};

#[component]
pub fn HostsPanel(doc: Doc) -> impl IntoView {
    let runbook = doc.runbook;
    if runbook.variables.is_empty() && runbook.secrets.is_empty() {
        return ().into_any();
    }
    let of_role = |role: Role| runbook.variables.iter().filter(move |v| v.role == role);
    let (hosts, fields) = (of_role(Role::Host).count(), of_role(Role::Field).count());
    let title = match (hosts, fields) {
        (0, 0) => "Secrets",
        (_, 0) => "Hosts",
        (0, _) => "Fill in",
        _ => "Hosts and fields",
    };
    let set_count =
        move || doc.variables.with(|v| runbook.variables.iter().filter(|var| v.contains_key(&var.name)).count());
    let total = runbook.variables.len();
    let scope = if doc.incident.is_some() { "for this incident" } else { "in this browser" };
    // Open while running an incident, or when a link set or offered a value; folded when
    // just reading.
    let from_link = move || doc.sourced.with(|v| v.values().any(|(_, s)| *s == Source::Link));
    let problem = RwSignal::new(None::<String>);
    let inputs = move |role: Role| {
        of_role(role)
            .map(|variable| view! { <PlaceholderInput doc=doc variable=variable problem=problem/> })
            .collect_view()
    };
    view! {
        <details class="hosts" open=move || doc.incident.is_some() || from_link() || !doc.refused.with(Vec::is_empty)>
            <summary>
                <span class="hosts-title">{title}</span>
                {(total > 0).then(|| view! { <span class="hosts-count">{move || format!("{} of {total} set {scope}", set_count())}</span> })}
            </summary>
            <div class="hosts-fields">{inputs(Role::Host)}</div>
            {(hosts > 0 && fields > 0).then(|| view! { <p class="hosts-group">"Fill in"</p> })}
            <div class="hosts-fields">{inputs(Role::Field)}</div>
            {move || problem.get().map(|reason| view! { <p class="host-problem" role="alert">{reason}</p> })}
            {move || {
                let refused = doc.refused.get();
                (!refused.is_empty()).then(|| view! {
                    <ul class="host-problem" role="alert" aria-label="Refused values">
                        {refused.into_iter().map(|reason| view! { <li>{reason}" It is not used in any command."</li> }).collect_view()}
                    </ul>
                })
            }}
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

/// One placeholder's input: its value in use, a refused one put back, "from the link" when a
/// link set it.
#[component]
fn PlaceholderInput(doc: Doc, variable: &'static Variable, problem: RwSignal<Option<String>>) -> impl IntoView {
    let name = variable.name.as_str();
    let id = format!("var-{name}");
    let label_for = id.clone();
    let note_id = format!("var-{name}-source");
    let linked = move || doc.source_of(name) == Some(Source::Link);
    view! {
        <label class="host" for=label_for>
            <code>{variable.written.clone()}</code>
            <input id=id type="text" spellcheck="false" autocomplete="off" placeholder="not set" maxlength="253"
                aria-label=variable.written.clone()
                aria-describedby={
                    let note_id = note_id.clone();
                    move || linked().then(|| note_id.clone())
                }
                // The attribute too: the built page shows the value in use (a site or
                // runbook default) before the app, which sets the property.
                value=move || doc.value_of(name).unwrap_or_default()
                prop:value=move || doc.value_of(name).unwrap_or_default()
                on:change=move |event| {
                    let input = event_target_value(&event);
                    problem.set(doc.set_variable(name, &input).err());
                    if problem.with_untracked(Option::is_some) {
                        // Show the value in use again, not the refused one.
                        let input = event_target::<web_sys::HtmlInputElement>(&event);
                        input.set_value(&doc.value_of(name).unwrap_or_default());
                    }
                }/>
            <Show when=linked>
                <span class="from-link" id=note_id.clone() title="This value came with the link you opened; check it before you run a command">"from the link"</span>
            </Show>
        </label>
    }
}
