//! The wall clock, ticking once a second for the incident clocks and countdowns.

use std::time::Duration;

use leptos::prelude::*;
use runbook::incident::Timestamp;

#[derive(Clone, Copy)]
pub struct Clock {
    pub now: RwSignal<Timestamp>,
    /// Minutes east of UTC, for showing local times.
    pub offset_minutes: RwSignal<i32>,
}

/// Now, in Unix seconds. At build time there is no now: pre-rendered pages show no times.
pub fn now() -> Timestamp {
    #[cfg(feature = "ssr")]
    return 0;
    #[cfg(not(feature = "ssr"))]
    return (js_sys::Date::now() / 1000.0).floor() as Timestamp;
}

fn local_offset_minutes() -> i32 {
    #[cfg(feature = "ssr")]
    return 0;
    #[cfg(not(feature = "ssr"))]
    return -(js_sys::Date::new_0().get_timezone_offset() as i32);
}

impl Clock {
    pub fn start() -> Clock {
        let clock = Clock { now: RwSignal::new(now()), offset_minutes: RwSignal::new(local_offset_minutes()) };
        let tick = move || {
            clock.now.set(now());
            clock.offset_minutes.set(local_offset_minutes());
        };
        if cfg!(not(feature = "ssr")) {
            if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(1)) {
                on_cleanup(move || handle.clear());
            }
        }
        clock
    }
}

pub fn use_clock() -> Clock {
    expect_context::<Clock>()
}
