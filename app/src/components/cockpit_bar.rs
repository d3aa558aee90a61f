//! The incident cockpit: clock, the phase the team should be in, severity, escalation
//! countdown, progress, next-update reminder, and resolve.

use leptos::prelude::*;
use runbook::clock::{duration_words, hh_mm, previous_time_of_day, stopwatch};
use runbook::cockpit::{self, Escalation};
use runbook::incident::Incident;

use crate::components::copy_button::CopyButton;
use crate::doc::{Doc, IncidentRef};
use crate::routes::home::severity_class;
use crate::state::clock::{now, use_clock};

#[component]
pub fn CockpitBar(doc: Doc, incident: IncidentRef) -> impl IntoView {
    let clock = use_clock();
    let runbook = doc.runbook;
    let store = doc.store;
    let with = move |f: &dyn Fn(&Incident, i64) -> String| {
        let now = clock.now.get();
        incident.state.with(|i| i.as_ref().map(|i| f(i, now)).unwrap_or_default())
    };
    let resolved = move || incident.state.with(|i| i.as_ref().is_some_and(Incident::is_resolved));
    let elapsed = move || with(&|i, now| stopwatch(i.elapsed(now)));
    let started = move || with(&|i, _| hh_mm(i.started_at, clock.offset_minutes.get()));
    let editing_start = RwSignal::new(false);

    let phase = move || {
        let now = clock.now.get();
        incident.state.with(|i| {
            let i = i.as_ref()?;
            if i.is_resolved() {
                return None;
            }
            let index = cockpit::current_phase(runbook, i, now)?;
            Some(&runbook.phases[index])
        })
    };
    let severity = move || incident.state.with(|i| i.as_ref().and_then(|i| i.severity.clone()));
    let level = move || severity().and_then(|s| runbook.severities.level(&s).cloned());
    let escalation = move || {
        let now = clock.now.get();
        incident
            .state
            .with(|i| i.as_ref().filter(|i| !i.is_resolved()).and_then(|i| cockpit::escalation(runbook, i, now)))
    };
    let progress =
        move || incident.state.with(|i| i.as_ref().map(|i| cockpit::progress(runbook, i)).unwrap_or_default());
    let next_update = move || {
        let now = clock.now.get();
        incident.state.with(|i| {
            let i = i.as_ref().filter(|i| !i.is_resolved())?;
            i.next_update_at.map(|due| due - now)
        })
    };

    // On a phone the cockpit is one row (clock, phase, severity, steps); the rest is one
    // tap away. On wider screens everything shows, wrapping rather than overlapping.
    let more_open = RwSignal::new(false);
    let escalation_due = move || matches!(escalation(), Some(Escalation::Due { .. }));
    view! {
        <section class="cockpit" class:resolved=resolved class:more-open=move || more_open.get() aria-label="Incident">
            <div class="cockpit-item clock">
                <span class="cockpit-label">{move || if resolved() { "Resolved after" } else { "Elapsed" }}</span>
                <span class="elapsed" aria-live="off">{elapsed}</span>
                <span class="started">
                    "started " {started}
                    <Show when=move || !resolved() && !editing_start.get()>
                        <button type="button" class="link-button" on:click=move |_| editing_start.set(true) title="Noticed late? Set when it really started">"edit"</button>
                    </Show>
                    <Show when=move || editing_start.get()>
                        <input type="time" class="start-input" aria-label="Started at"
                            prop:value=started
                            on:change=move |event| {
                                let text = event_target_value(&event);
                                let offset = clock.offset_minutes.get_untracked();
                                if let Some(at) = previous_time_of_day(&text, now(), offset) {
                                    incident.update(store, |i| { i.set_start(at); });
                                }
                                editing_start.set(false);
                            }/>
                    </Show>
                </span>
            </div>

            {(!runbook.phases.is_empty()).then(|| view! {
                <div class="cockpit-item phase">
                    <span class="cockpit-label">"Should be in"</span>
                    {move || match phase() {
                        Some(phase) => view! {
                            <a class="phase-now" href=format!("#{}", phase.anchor)>{phase.title.clone()}</a>
                            <span class="window">{phase.window.map(window_text)}</span>
                        }.into_any(),
                        None => view! { <span class="phase-now">{if resolved() { "Post-incident" } else { "—" }}</span> }.into_any(),
                    }}
                </div>
            })}

            {(!runbook.severities.levels.is_empty()).then(|| view! {
                <div class="cockpit-item severity">
                    <label class="cockpit-label" for="severity-picker">"Severity"</label>
                    <select id="severity-picker" class=move || severity().map(|s| severity_class(&s)).unwrap_or_default()
                        prop:value=move || severity().unwrap_or_default()
                        on:change=move |event| {
                            let level = event_target_value(&event);
                            if !level.is_empty() {
                                incident.update(store, |i| i.set_severity(&level, now()));
                            }
                        }>
                        <option value="">{runbook.severities.placeholder()}</option>
                        {runbook.severities.levels.iter().map(|l| view! {
                            <option value=l.key.clone() title=l.definition.clone()>{l.key.clone()}</option>
                        }).collect_view()}
                    </select>
                    {move || level().map(|l| view! {
                        <span class="severity-detail">{l.definition.clone()}
                            {(!l.response_text.is_empty()).then(|| format!(" · respond: {}", l.response_text))}
                        </span>
                    })}
                </div>
            })}

            <div class="cockpit-item progress">
                <span class="cockpit-label">"Steps"</span>
                <span class="progress-text">{move || { let p = progress(); format!("{}/{}", p.done, p.total) }}</span>
                <progress max=move || progress().total.max(1) value=move || progress().done aria-label="Steps done"></progress>
            </div>

            <button type="button" class="cockpit-more-toggle" class:due=escalation_due
                aria-expanded=move || more_open.get().to_string() aria-controls="cockpit-more"
                aria-label=move || match (more_open.get(), escalation_due()) {
                    (true, _) => "Less",
                    (false, true) => "Escalate!",
                    (false, false) => "More",
                }
                on:click=move |_| more_open.update(|open| *open = !*open)>
                <span aria-hidden="true">{move || match (more_open.get(), escalation_due()) {
                    (true, _) => "▴",
                    (false, true) => "!",
                    (false, false) => "⋯",
                }}</span>
            </button>

            <div class="cockpit-more" id="cockpit-more">
            {move || escalation().map(|e| {
                let (class, label, text) = match e {
                    Escalation::Due { to } => ("cockpit-item escalation due", "Escalate now", to),
                    Escalation::In { to, seconds } => ("cockpit-item escalation", "Escalate", format!("to {to} in {}", stopwatch(seconds))),
                    Escalation::Unclocked { to, when } => ("cockpit-item escalation", "Escalate", format!("to {to}: {when}")),
                };
                view! { <div class=class><span class="cockpit-label">{label}</span><span class="escalation-text">{text}</span></div> }
            })}

            {move || next_update().map(|remaining| {
                let overdue = remaining < 0;
                let text = if overdue { format!("overdue {}", stopwatch(remaining.unsigned_abs())) } else { format!("in {}", stopwatch(remaining as u64)) };
                view! {
                    <div class="cockpit-item next-update" class:due=overdue>
                        <span class="cockpit-label">"Next update"</span><span>{text}</span>
                    </div>
                }
            })}

            <div class="cockpit-item actions">
                {move || match share_link(runbook, incident) {
                    Ok(_) => view! {
                        <CopyButton text=move |_| share_link(runbook, incident).unwrap_or_default() label="Copy share link" class="secondary share"
                            title="A link that carries this whole incident. It stays in the part of the address no server sees."/>
                    }.into_any(),
                    Err(reason) => view! {
                        <button type="button" class="secondary share" disabled=true title=reason>"Too long to share"</button>
                    }.into_any(),
                }}
                {move || if resolved() {
                    view! { <button type="button" class="secondary" on:click=move |_| incident.update(store, |i| i.reopen(now()))>"Reopen"</button> }.into_any()
                } else {
                    view! { <button type="button" class="resolve" on:click=move |_| incident.update(store, |i| i.resolve(now()))>"Resolve"</button> }.into_any()
                }}
            </div>
            </div>
        </section>
        <OrphanedSteps runbook=runbook incident=incident/>
        {move || resolved().then(|| {
            let duration = with(&|i, now| duration_words(i.elapsed(now)));
            let post_mortem = runbook.templates.iter().find(|t| t.is_post_mortem);
            view! {
                <p class="resolved-banner" role="status">
                    {format!("Resolved after {duration}. ")}
                    {post_mortem.map(|t| view! { <a href=format!("#{}", t.anchor())>"The post-mortem draft is ready."</a> })}
                </p>
            }
        })}
    }
}

/// The incident as one link, `/s#s2…`, or why its text is too long for one.
fn share_link(runbook: &'static runbook::Runbook, incident: IncidentRef) -> Result<String, String> {
    let origin = window().location().origin().unwrap_or_default();
    let token = incident.state.with(|i| match i {
        Some(i) => tokens::share::encode(i, Some(runbook)).map_err(|e| e.to_string()),
        None => Ok(String::new()),
    })?;
    Ok(format!("{origin}/s#{token}"))
}

fn window_text(window: runbook::phases::Window) -> String {
    match window.end {
        Some(end) => format!("{}–{} min", window.start / 60, end / 60),
        None => format!("{}+ min", window.start / 60),
    }
}

/// Checked steps the runbook no longer has: listed, so nothing is lost silently.
#[component]
fn OrphanedSteps(runbook: &'static runbook::Runbook, incident: IncidentRef) -> impl IntoView {
    let clock = use_clock();
    let orphans = Memo::new(move |_| {
        incident.state.with(|i| i.as_ref().map(|i| cockpit::orphaned_checks(runbook, i)).unwrap_or_default())
    });
    move || {
        let times = orphans.get();
        (!times.is_empty()).then(|| {
            let offset = clock.offset_minutes.get();
            let when: Vec<String> = times.iter().map(|t| hh_mm(*t, offset)).collect();
            let count = if times.len() == 1 { "One checked step is".to_string() } else { format!("{} checked steps are", times.len()) };
            view! {
                <p class="orphans" role="status">
                    {format!("{count} no longer in this runbook (it was edited since): checked at {}.", when.join(", "))}
                </p>
            }
        })
    }
}
