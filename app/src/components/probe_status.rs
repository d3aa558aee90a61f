//! The edge probe's view in the site: every endpoint on the home page, the endpoints that
//! link to a runbook on its page, and the outage an incident follows in its cockpit. Each
//! says how old what it shows is; none blocks the page.

use api::{EndpointStatus, State};
use leptos::prelude::*;
use runbook::actions;
use runbook::clock::hh_mm;
use runbook::outage::freshness;
use runbook::Runbook;

use crate::components::outage_panel::StartFromOutage;
use crate::components::uptime_bar::UptimeBar;
use crate::state::clock::{now, use_clock};
use crate::state::probe::{use_probe, ProbeFeed};

/// Every endpoint the probe watches, for the home page.
#[component]
pub fn ProbeStrip() -> impl IntoView {
    let feed = use_probe()?;
    let endpoints =
        move || feed.last.with(|last| last.as_ref().map(|(report, _)| report.endpoints.clone()).unwrap_or_default());
    let days_of = move |name: &str| {
        feed.pictures
            .with(|pictures| pictures.as_ref()?.endpoints.iter().find(|e| e.name == name).map(|e| e.days.clone()))
    };
    Some(view! {
        <section class="probe" aria-label="Edge probe">
            <div class="probe-head">
                <h2 class="probe-title">"Edge probe"</h2>
                <Freshness feed=feed/>
            </div>
            <PostedUpdates feed=feed/>
            <ul class="probe-endpoints">
                {move || endpoints().into_iter().map(|endpoint| {
                    let link = endpoint.runbook.clone().zip(endpoint.outage()).map(|(runbook, outage)| {
                        api::links::outage_url("", &runbook, &endpoint.hosts, Some(&outage))
                    });
                    let days = days_of(&endpoint.name);
                    view! {
                        <EndpointRow endpoint=endpoint>
                            {link.map(|href| view! { <a class="probe-action" href=href>"Open the runbook"</a> })}
                            {days.map(|days| view! { <UptimeBar days=days/> })}
                        </EndpointRow>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}

/// What the team posted to the status page: each incident's latest update, with its time.
#[component]
fn PostedUpdates(feed: ProbeFeed) -> impl IntoView {
    let clock = use_clock();
    let posted =
        move || feed.last.with(|last| last.as_ref().map(|(report, _)| report.posted.clone()).unwrap_or_default());
    view! {
        <Show when=move || !posted().is_empty()>
            <ul class="posted" aria-label="Status updates">
                {move || posted().into_iter().map(|incident| {
                    let latest = incident.latest().cloned();
                    view! {
                        <li class="posted-item" class:resolved=!incident.is_open()>
                            <span class="posted-status">{incident.status.label()}</span>
                            <span class="posted-title" dir="auto">{incident.title.clone()}</span>
                            {latest.map(|update| view! {
                                <span class="posted-when">{move || format!("posted {}", hh_mm(update.at, clock.offset_minutes.get()))}</span>
                                <p class="posted-text" dir="auto">{update.text}</p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}

/// The endpoints whose `runbook` is this one, with their live state, and the way to start
/// the incident from an outage of one.
#[component]
pub fn RunbookProbe(runbook: &'static Runbook) -> impl IntoView {
    let feed = use_probe()?;
    // An outage the page's link brought is offered above, once.
    // Only one the link panel accepted: a refused link (from the future, unknown) or an
    // older outage of the same endpoint hides nothing.
    let from_link = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get(api::outage::PARAM))
        .and_then(|value| actions::read_outage_link(&value, now(), crate::library::known_endpoints()).ok());
    let from_link = StoredValue::new(from_link);
    let endpoints = Memo::new(move |_| {
        feed.last.with(|last| last.as_ref().map(|(report, _)| report.endpoints_for(&runbook.slug)).unwrap_or_default())
    });
    // Drawn above the runbook once the probe answers: the reader's place stays put.
    Effect::new(move |_| {
        endpoints.track();
        crate::place::restore_after_render();
    });
    Some(view! {
        <Show when=move || !endpoints.with(Vec::is_empty)>
            <section class="probe probe-runbook" aria-label="Endpoints this runbook answers">
                <div class="probe-head">
                    <h2 class="probe-title">"Watched by the probe"</h2>
                    <Freshness feed=feed/>
                </div>
                <ul class="probe-endpoints">
                    {move || endpoints.get().into_iter().map(|endpoint| {
                        let outage = endpoint
                            .outage()
                            .filter(|o| from_link.with_value(|linked| !linked.as_ref().is_some_and(|l| actions::same_outage(l, o))));
                        let hosts = endpoint.hosts.clone();
                        view! {
                            <EndpointRow endpoint=endpoint>
                                {outage.map(|outage| view! { <StartFromOutage runbook=runbook outage=outage hosts=hosts/> })}
                            </EndpointRow>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    })
}

/// The live state of the endpoint an incident was started from, in its cockpit.
#[component]
pub fn ProbeLive(endpoint: String) -> impl IntoView {
    let feed = use_probe()?;
    let clock = use_clock();
    let name = endpoint.clone();
    let status = Memo::new(move |_| {
        feed.last.with(|last| {
            last.as_ref().and_then(|(report, _)| report.endpoints.iter().find(|e| e.name == name).cloned())
        })
    });
    Some(view! {
        <p class="probe-live" role="status">
            <span class="probe-live-label">"Probe: "</span>
            {move || match status.get() {
                Some(e) => view! {
                    <span class=format!("probe-state {}", e.shown_class())>{e.shown_state()}</span>
                    {format!(" since {}", hh_mm(e.since, clock.offset_minutes.get()))}
                }.into_any(),
                None => view! { <span>{format!("no news of {endpoint} yet")}</span> }.into_any(),
            }}
            " · " <Freshness feed=feed/>
        </p>
    })
}

/// One endpoint: its state, since when, where it fails and why. While a failure is being
/// confirmed it reads "checking: failing in … since 06:19:05", never "up" beside failures.
#[component]
fn EndpointRow(endpoint: EndpointStatus, children: Children) -> impl IntoView {
    let clock = use_clock();
    let failing: Vec<String> =
        endpoint.regions.iter().filter(|r| r.outcome.is_failure()).map(|r| r.region.clone()).collect();
    let checking = endpoint.checking.clone();
    // Declared trouble says its cause; trouble being confirmed, what its first failure said.
    let first_failure = || endpoint.regions.iter().find(|r| r.outcome.is_failure()).map(|r| r.outcome.describe());
    let cause = endpoint.outage().map(|o| o.cause).or_else(first_failure).filter(|c| !c.is_empty());
    let since = endpoint.since;
    let where_and_since = match &checking {
        Some(checking) => {
            let (words, since) = (checking.words(), checking.since);
            let text = move || format!("{} since {}", words, hh_mm_ss(since, clock.offset_minutes.get()));
            view! { <span class="probe-regions">{text}</span> }.into_any()
        }
        None => view! {
            <span class="probe-since">{move || format!("since {}", hh_mm(since, clock.offset_minutes.get()))}</span>
            {(!failing.is_empty()).then(|| view! {
                <span class="probe-regions">{format!("failing in {}", failing.join(", "))}</span>
            })}
        }
        .into_any(),
    };
    let troubled = endpoint.state != State::Up || checking.is_some();
    view! {
        <li class=format!("probe-endpoint {}", endpoint.shown_class())>
            <span class="probe-dot" aria-hidden="true"></span>
            <span class="probe-name">{endpoint.name.clone()}</span>
            <span class="probe-state">{endpoint.shown_state()}</span>
            {where_and_since}
            {cause.filter(|_| troubled).map(|cause| view! { <span class="probe-cause">{cause}</span> })}
            {children()}
        </li>
    }
}

/// `06:19:05` in the reader's zone: seconds matter while a failure is being confirmed.
fn hh_mm_ss(at: i64, offset_minutes: i32) -> String {
    format!("{}:{:02}", hh_mm(at, offset_minutes), at.rem_euclid(60))
}

/// "as of 03:55", "as of 03:55 — probe unreachable", "probe stopped checking at 03:40".
#[component]
fn Freshness(feed: ProbeFeed) -> impl IntoView {
    let clock = use_clock();
    let text = move || {
        let offset = clock.offset_minutes.get();
        let reachable = feed.reachable.get();
        let now = clock.now.get();
        feed.last.with(|last| freshness(last.as_ref().map(|(report, at)| (report, *at)), reachable, now, offset))
    };
    view! { <span class="probe-fresh">{text}</span> }
}
