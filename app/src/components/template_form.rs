//! A communication template as a form: each field once, a live result to copy, and for the
//! post-mortem a download. Fields with the same name share one value across templates.

use leptos::prelude::*;
use runbook::actions;
use runbook::clock;
use runbook::cockpit::{self, FieldContext};
use runbook::incident::limits::FIELD_CHARS;
use runbook::templates::{Field, FieldKind, Template};
use wasm_bindgen::JsCast;

use crate::components::copy_button::CopyButton;
use crate::components::status_post::{PostButton, PostPanel, Poster};
use crate::components::BEFORE_APP;
use crate::doc::{Doc, IncidentRef};
use crate::state::clock::{now, use_clock};

#[component]
pub fn TemplateForm(template: &'static Template, incident: IncidentRef, doc: Doc) -> impl IntoView {
    let clock = use_clock();
    let store = doc.store;
    let runbook = doc.runbook;
    let rendered = Memo::new(move |_| {
        let now = clock.now.get();
        let offset = clock.offset_minutes.get();
        incident.state.with(|state| {
            let Some(state) = state else {
                return String::new();
            };
            let context = FieldContext { incident: state, now, offset_minutes: offset };
            let timeline = if template.is_post_mortem { cockpit::timeline(runbook, state, offset) } else { Vec::new() };
            template.render(&|field| context.value(field), &timeline)
        })
    });
    let fields = template.distinct_fields();
    let on_copied = move |_| {
        let offset = clock.offset_minutes.get_untracked();
        incident.update(store, |i| actions::message_copied(i, template, now(), offset))
    };
    let anchor = template.anchor();
    let poster = Poster::new(template, rendered, incident, doc);
    view! {
        <section class="template" class:post-mortem=template.is_post_mortem aria-label=template.title.clone() id=anchor>
            <header class="template-head">
                <h4>{template.title.clone()}</h4>
                <div class="template-actions">
                    {template.is_post_mortem.then(|| view! {
                        <button type="button" class="download" data-needs-app=BEFORE_APP.then_some("") on:click=move |_| download_markdown(&file_name(runbook, incident), &rendered.get_untracked())>
                            "Download .md"
                        </button>
                    })}
                    <CopyButton text=move |_| rendered.get_untracked() label="Copy message" class="copy copy-message" on_copied=on_copied/>
                    {poster.map(|poster| view! { <PostButton poster=poster/> })}
                </div>
            </header>
            {poster.map(|poster| view! { <PostPanel poster=poster/> })}
            <div class="template-fields">
                {fields.into_iter().map(|field| view! { <FieldInput field=field incident=incident doc=doc/> }).collect_view()}
            </div>
            <pre class="template-preview" aria-label="Message"><code>{move || rendered.get()}</code></pre>
        </section>
    }
}

#[component]
fn FieldInput(field: &'static Field, incident: IncidentRef, doc: Doc) -> impl IntoView {
    let clock = use_clock();
    let store = doc.store;
    let label = field_label(field);
    let id = format!("field-{}-{}", field.key.replace(|c: char| !c.is_alphanumeric(), "-"), field_counter());
    let label_for = id.clone();
    if field.kind == FieldKind::Severity {
        let levels = &doc.runbook.severities.levels;
        let current = move || incident.state.with(|i| i.as_ref().and_then(|i| i.severity.clone()).unwrap_or_default());
        return view! {
            <label class="field" for=label_for>
                <span class="field-label">{label}</span>
                <select id=id prop:value=current on:change=move |event| {
                    let level = event_target_value(&event);
                    if !level.is_empty() {
                        incident.update(store, |i| i.set_severity(&level, now()));
                    }
                }>
                    <option value="">"Choose…"</option>
                    {levels.iter().map(|l| view! { <option value=l.key.clone()>{l.key.clone()}</option> }).collect_view()}
                </select>
            </label>
        }
        .into_any();
    }
    let typed =
        move || incident.state.with(|i| i.as_ref().and_then(|i| i.fields.get(&field.key).cloned()).unwrap_or_default());
    let suggested = move || {
        let now = clock.now.get();
        let offset = clock.offset_minutes.get();
        incident.state.with(|i| {
            i.as_ref()
                .and_then(|i| FieldContext { incident: i, now, offset_minutes: offset }.derived(field))
                .unwrap_or_else(|| field.placeholder.clone())
        })
    };
    let refused = RwSignal::new(false);
    let on_input = move |event| {
        let value = event_target_value(&event);
        let offset = clock.offset_minutes.get_untracked();
        incident.update(store, |i| refused.set(!actions::type_field(i, field, &value, now(), offset)));
    };
    let automatic = !matches!(field.kind, FieldKind::Text);
    // The limit shows before it is reached, never as text lost on reload.
    let used = move || typed().chars().count();
    let near_limit = move || used() * 10 >= FIELD_CHARS * 9;
    view! {
        <label class="field" for=label_for class:wide=field.kind == FieldKind::Text>
            <span class="field-label">{label}{automatic.then(|| view! { <span class="auto">" · from the clock"</span> })}</span>
            <input id=id type="text" prop:value=typed placeholder=suggested on:input=on_input autocomplete="off"
                maxlength=FIELD_CHARS.to_string()/>
            <Show when=near_limit>
                <span class="field-count" aria-live="polite">{move || format!("{} of {FIELD_CHARS} characters", used())}</span>
            </Show>
            <Show when=move || refused.get()>
                <span class="field-count" role="alert">"This incident holds as many fields as it can; this one was not saved."</span>
            </Show>
        </label>
    }
    .into_any()
}

/// "[Brief description]" → "Brief description"; `YYYY-MM-DD` → "Date".
fn field_label(field: &Field) -> String {
    match field.kind {
        FieldKind::Severity => "Severity".into(),
        FieldKind::Date => "Date".into(),
        FieldKind::NextUpdate => "Next update".into(),
        FieldKind::Duration { .. } => "Duration".into(),
        FieldKind::Time if field.placeholder == "HH:MM" => "Time".into(),
        _ => field.placeholder.trim_start_matches('[').trim_end_matches(']').to_string(),
    }
}

/// Distinct ids when one field appears in several forms on a page.
fn field_counter() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn file_name(runbook: &runbook::Runbook, incident: IncidentRef) -> String {
    let date = incident.state.with_untracked(|i| i.as_ref().map(|i| clock::date(i.started_at, 0)).unwrap_or_default());
    format!("post-mortem-{date}-{}.md", runbook.slug.replace('/', "-"))
}

/// Saves text as a file through a temporary object URL.
fn download_markdown(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/markdown;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(link) =
        document().create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // The download has started by now; the URL only needs to outlive the click.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(5));
}
