//! The incident cockpit: clock, the phase the team should be in, severity, escalation
//! countdown, progress, next-update reminder, and resolve. What it shows is decided by
//! `runbook::cockpit_summary::summary`; each item here only draws its part.

use leptos::prelude::*;
use runbook::clock::{duration_words, hh_mm, previous_time_of_day, stopwatch};
use runbook::cockpit;
use runbook::cockpit_summary::{summary, Summary};
use runbook::incident::Incident;
use runbook::Runbook;

use crate::components::copy_button::CopyButton;
use crate::components::live_panel::{LiveBadge, LivePanel};
use crate::components::severity_class;
use crate::components::status_post::Resolver;
use crate::doc::{Doc, IncidentRef};
use crate::state::clock::{now, use_clock};
use crate::state::live::Live;
use crate::state::store::Store;

/// What every item of the bar reads: the runbook, the incident, and the summary at this
/// second (`None` before the incident is loaded).
#[derive(Clone, Copy)]
struct Bar {
    runbook: &'static Runbook,
    incident: IncidentRef,
    store: Store,
    summary: Memo<Option<Summary>>,
}

impl Bar {
    fn resolved(&self) -> bool {
        self.summary.with(|s| s.as_ref().is_some_and(|s| s.resolved))
    }
}

#[component]
pub fn CockpitBar(doc: Doc, incident: IncidentRef) -> impl IntoView {
    let clock = use_clock();
    let runbook = doc.runbook;
    let summary = Memo::new(move |_| incident.state.with(|i| i.as_ref().map(|i| summary(runbook, i, clock.now.get()))));
    let bar = Bar { runbook, incident, store: doc.store, summary };
    // On a phone the cockpit is one row (clock, phase, severity, steps); the rest is one
    // tap away. On wider screens everything shows, wrapping rather than overlapping.
    // Open at once when the address names a live room that waits for a yes (`LivePanel`).
    let more_open = RwSignal::new(!Live::joins_without_asking(&incident.id.get_value()));
    view! {
        <section class="cockpit" class:resolved=move || bar.resolved() class:more-open=move || more_open.get() aria-label="Incident">
            <ClockItem bar=bar/>
            {(!runbook.phases.is_empty()).then(|| view! { <PhaseItem bar=bar/> })}
            {(!runbook.severities.levels.is_empty()).then(|| view! { <SeverityItem bar=bar/> })}
            <ProgressItem bar=bar/>
            <MoreToggle bar=bar open=more_open/>
            <LiveBadge/>
            <div class="cockpit-more" id="cockpit-more">
                <EscalationItem bar=bar/>
                <NextUpdateItem bar=bar/>
                <LivePanel incident=incident store=doc.store/>
                <IncidentActions bar=bar/>
            </div>
        </section>
        <OrphanedSteps runbook=runbook incident=incident/>
        <ResolvedBanner bar=bar/>
    }
}

/// Elapsed time, the start, and "edit" for a start noticed late.
#[component]
fn ClockItem(bar: Bar) -> impl IntoView {
    let clock = use_clock();
    let elapsed = move || bar.summary.with(|s| s.as_ref().map(|s| stopwatch(s.elapsed)).unwrap_or_default());
    let started = move || {
        bar.incident
            .state
            .with(|i| i.as_ref().map(|i| hh_mm(i.started_at, clock.offset_minutes.get())).unwrap_or_default())
    };
    let editing = RwSignal::new(false);
    view! {
        <div class="cockpit-item clock">
            <span class="cockpit-label">{move || if bar.resolved() { "Resolved after" } else { "Elapsed" }}</span>
            <span class="elapsed" aria-live="off">{elapsed}</span>
            <span class="started">
                "started " <time class="started-at">{started}</time>
                <Show when=move || !bar.resolved() && !editing.get()>
                    <button type="button" class="link-button" on:click=move |_| editing.set(true) title="Noticed late? Set when it really started">"edit"</button>
                </Show>
                <Show when=move || editing.get()>
                    <input type="time" class="start-input" aria-label="Started at"
                        prop:value=started
                        on:change=move |event| {
                            let text = event_target_value(&event);
                            let offset = clock.offset_minutes.get_untracked();
                            if let Some(at) = previous_time_of_day(&text, now(), offset) {
                                bar.incident.update(bar.store, |i| { i.set_start(at); });
                            }
                            editing.set(false);
                        }/>
                </Show>
            </span>
        </div>
    }
}

/// The phase the clock says the team should be in.
#[component]
fn PhaseItem(bar: Bar) -> impl IntoView {
    let phase = move || bar.summary.with(|s| s.as_ref().and_then(|s| s.phase)).map(|index| &bar.runbook.phases[index]);
    view! {
        <div class="cockpit-item phase">
            <span class="cockpit-label">"Should be in"</span>
            {move || match phase() {
                Some(phase) => view! {
                    <a class="phase-now" href=format!("#{}", phase.anchor)>{phase.title.clone()}</a>
                    <span class="window">{phase.window.map(|w| w.words())}</span>
                }.into_any(),
                None => view! { <span class="phase-now">{if bar.resolved() { "Post-incident" } else { "—" }}</span> }.into_any(),
            }}
        </div>
    }
}

/// The severity picker, with the chosen level's definition and response time.
#[component]
fn SeverityItem(bar: Bar) -> impl IntoView {
    let runbook = bar.runbook;
    let severity = move || bar.incident.state.with(|i| i.as_ref().and_then(|i| i.severity.clone()));
    let level = move || severity().and_then(|s| runbook.severities.level(&s).cloned());
    view! {
        <div class="cockpit-item severity">
            <label class="cockpit-label" for="severity-picker">"Severity"</label>
            <select id="severity-picker" class=move || severity().map(|s| severity_class(&s)).unwrap_or_default()
                prop:value=move || severity().unwrap_or_default()
                on:change=move |event| {
                    let level = event_target_value(&event);
                    if !level.is_empty() {
                        bar.incident.update(bar.store, |i| i.set_severity(&level, now()));
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
    }
}

#[component]
fn ProgressItem(bar: Bar) -> impl IntoView {
    let progress = move || bar.summary.with(|s| s.as_ref().map(|s| s.progress).unwrap_or_default());
    view! {
        <div class="cockpit-item progress">
            <span class="cockpit-label">"Steps"</span>
            <span class="progress-text">{move || { let p = progress(); format!("{}/{}", p.done, p.total) }}</span>
            <progress max=move || progress().total.max(1) value=move || progress().done aria-label="Steps done"></progress>
        </div>
    }
}

/// On a phone, the toggle for the rest of the bar; "!" when escalation is due.
#[component]
fn MoreToggle(bar: Bar, open: RwSignal<bool>) -> impl IntoView {
    let due = move || bar.summary.with(|s| s.as_ref().is_some_and(Summary::escalation_due));
    view! {
        <button type="button" class="cockpit-more-toggle" class:due=due
            aria-expanded=move || open.get().to_string() aria-controls="cockpit-more"
            aria-label=move || match (open.get(), due()) {
                (true, _) => "Less",
                (false, true) => "Escalate!",
                (false, false) => "More",
            }
            on:click=move |_| open.update(|open| *open = !*open)>
            <span aria-hidden="true">{move || match (open.get(), due()) {
                (true, _) => "▴",
                (false, true) => "!",
                (false, false) => "⋯",
            }}</span>
        </button>
    }
}

#[component]
fn EscalationItem(bar: Bar) -> impl IntoView {
    move || {
        bar.summary.with(|s| {
            let s = s.as_ref()?;
            let (label, text) = s.escalation.as_ref()?.words();
            let class = if s.escalation_due() { "cockpit-item escalation due" } else { "cockpit-item escalation" };
            Some(view! { <div class=class><span class="cockpit-label">{label}</span><span class="escalation-text">{text}</span></div> })
        })
    }
}

#[component]
fn NextUpdateItem(bar: Bar) -> impl IntoView {
    move || {
        bar.summary.with(|s| {
            let s = s.as_ref()?;
            let text = s.next_update_words()?;
            Some(view! {
                <div class="cockpit-item next-update" class:due=s.next_update_overdue()>
                    <span class="cockpit-label">"Next update"</span><span>{text}</span>
                </div>
            })
        })
    }
}

/// Copy the share link; resolve or reopen.
#[component]
fn IncidentActions(bar: Bar) -> impl IntoView {
    let Bar { runbook, incident, store, .. } = bar;
    let resolver = Resolver::new(incident, store);
    view! {
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
            {move || if bar.resolved() {
                view! { <button type="button" class="secondary" on:click=move |_| incident.update(store, |i| i.reopen(now()))>"Reopen"</button> }.into_any()
            } else {
                view! { <button type="button" class="resolve" on:click=move |_| resolver.resolve()>"Resolve"</button> }.into_any()
            }}
        </div>
    }
}

/// "Resolved after 42 minutes. The post-mortem draft is ready."
#[component]
fn ResolvedBanner(bar: Bar) -> impl IntoView {
    move || {
        bar.summary.with(|s| {
            let s = s.as_ref().filter(|s| s.resolved)?;
            let post_mortem = bar.runbook.templates.iter().find(|t| t.is_post_mortem);
            Some(view! {
                <p class="resolved-banner" role="status">
                    {format!("Resolved after {}. ", duration_words(s.elapsed))}
                    {post_mortem.map(|t| view! { <a href=format!("#{}", t.anchor())>"The post-mortem draft is ready."</a> })}
                </p>
            })
        })
    }
}

/// The incident as one link, `/s#s2…`, or why its text is too long for one.
fn share_link(runbook: &'static Runbook, incident: IncidentRef) -> Result<String, String> {
    // Drawn at build time too (an incident page's template), where there is no address.
    let origin = if cfg!(feature = "ssr") { String::new() } else { window().location().origin().unwrap_or_default() };
    let token = incident.state.with(|i| match i {
        Some(i) => tokens::share::encode(i, Some(runbook)).map_err(|e| e.to_string()),
        None => Ok(String::new()),
    })?;
    Ok(format!("{origin}/s#{token}"))
}

/// Checked steps the runbook no longer has: listed, so nothing is lost silently.
#[component]
fn OrphanedSteps(runbook: &'static Runbook, incident: IncidentRef) -> impl IntoView {
    let clock = use_clock();
    let orphans = Memo::new(move |_| {
        incident.state.with(|i| i.as_ref().map(|i: &Incident| cockpit::orphaned_checks(runbook, i)).unwrap_or_default())
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
