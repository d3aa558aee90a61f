//! The cockpit of an incident started from the probe's outage follows the probe: its live
//! state, a worse state or more regions kept in the incident, and when the probe declares
//! the endpoint up again, the recovery in the timeline and an offer to resolve.

use leptos::prelude::*;
use runbook::clock::hh_mm;
use runbook::outage::{follow_report, Follow};

use crate::components::probe_status::ProbeLive;
use crate::components::status_post::Resolver;
use crate::doc::IncidentRef;
use crate::state::clock::{now, use_clock};
use crate::state::probe::use_probe;
use crate::state::store::use_store;

#[component]
pub fn FollowProbe(incident: IncidentRef) -> impl IntoView {
    let store = use_store();
    let clock = use_clock();
    let probe = Memo::new(move |_| incident.state.with(|i| i.as_ref().and_then(|i| i.probe.clone())));
    let endpoint = probe.with_untracked(|p| p.as_ref().map(|p| p.endpoint.clone()))?;
    if let Some(feed) = use_probe() {
        Effect::new(move |_| {
            let Some(probe) = probe.get_untracked() else { return };
            // Only fresh news is written into the incident; a cached status from an earlier
            // visit is shown with its age, never recorded.
            let news =
                feed.last.with(|last| last.as_ref().and_then(|(report, at)| follow_report(&probe, report, *at, now())));
            match news {
                Some(Follow::Recovered { at }) => incident.update(store, |i| {
                    i.probe_recovered(at);
                }),
                Some(Follow::Worsened { state, regions }) => incident.update(store, |i| {
                    i.probe_worsened(state, &regions);
                }),
                None => {}
            }
        });
    }
    let recovered = move || {
        let resolved = incident.state.with(|i| i.as_ref().is_some_and(|i| i.is_resolved()));
        probe.get().and_then(|p| p.recovered.filter(|_| !resolved).map(|at| (p.endpoint, at)))
    };
    let resolver = Resolver::new(incident, store);
    let resolve = move |_| resolver.resolve();
    Some(view! {
        <div class="probe-follow">
            <ProbeLive endpoint=endpoint/>
            {move || recovered().map(|(endpoint, at)| view! {
                <p class="probe-recovered" role="status">
                    {format!("The probe says {endpoint} recovered at {}. ", hh_mm(at, clock.offset_minutes.get()))}
                    <button type="button" class="secondary" on:click=resolve>"Resolve the incident"</button>
                </p>
            })}
        </div>
    })
}
