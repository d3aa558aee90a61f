//! The checkbox of a step, with the time it was checked (and by whom, in a live room).

use leptos::prelude::*;

use crate::components::BEFORE_APP;
use runbook::clock::hh_mm;
use runbook::steps::Step;

use crate::doc::IncidentRef;
use crate::state::clock::{now, use_clock};
use crate::state::store::Store;

#[component]
pub fn StepCheck(step: &'static Step, incident: IncidentRef, store: Store) -> impl IntoView {
    let clock = use_clock();
    let checked_at =
        Memo::new(move |_| incident.state.with(|i| i.as_ref().and_then(|i| i.checks.get(&step.id).copied())));
    // Who checked it, when a live room named them.
    let checked_by =
        Memo::new(move |_| incident.state.with(|i| i.as_ref().and_then(|i| i.checked_by.get(&step.id).cloned())));
    // The box's own state, not a toggle: a change another tab made first is never inverted.
    let toggle = move |event: leptos::ev::Event| {
        let checked = event_target_checked(&event);
        incident.update(store, |i| i.set_step(step.id, checked, now()));
    };
    let id = format!("step-{}", step.id);
    view! {
        <span class="step-check">
            <input type="checkbox" id=id.clone() prop:checked=move || checked_at.get().is_some() on:change=toggle
                data-needs-app=BEFORE_APP.then_some("") data-starter=BEFORE_APP.then_some("")
                aria-label=format!("Done: {}", step.label)/>
            {move || checked_at.get().map(|at| view! {
                <label for=id.clone() class="checked-at"
                    title=move || checked_by.get().map_or("Checked at".to_string(), |who| format!("Checked by {who}"))>
                    {hh_mm(at, clock.offset_minutes.get())}
                    {move || checked_by.get().map(|who| view! { <span class="checked-by">" · "<bdi>{who}</bdi></span> })}
                </label>
            })}
        </span>
    }
}
