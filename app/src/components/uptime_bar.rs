//! The 90-day uptime bar, the same cells as the probe's status page draws (`api::pictures`):
//! a cell a day coloured by its worst state; its date and uptime show on hover, tap or
//! focus. Only days with trouble are in the tab order.

use api::pictures::{self, DayCell};
use leptos::prelude::*;

#[component]
pub fn UptimeBar(mut days: Vec<DayCell>) -> impl IntoView {
    // The probe sends 90; a longer list (another version, a mistake) draws no wider.
    days.drain(..days.len().saturating_sub(pictures::DAYS));
    let (wide, narrow) = pictures::legend(&days);
    let count = days.len();
    view! {
        <div class="bar-wrap">
            <ol class="bar" aria-label="Uptime per day">
                {days.into_iter().map(|day| {
                    let tab = if day.is_trouble() { "0" } else { "-1" };
                    view! {
                        <li class=format!("cell {}", day.class()) tabindex=tab>
                            <span class="tip">{day.describe()}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <p class="bar-legend">
                <span class="wide">{format!("{count} days ago")}</span>
                <span class="narrow">{format!("{} days ago", pictures::NARROW_DAYS)}</span>
                <span class="wide">{wide}</span>
                <span class="narrow">{narrow}</span>
                <span>"today"</span>
            </p>
        </div>
    }
}
