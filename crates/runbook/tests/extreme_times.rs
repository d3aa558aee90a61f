//! Times come from saved data, links and the browser's clock: any of them may be absurd.
//! Every cockpit and clock function answers for any time and any UTC offset, never panicking
//! (debug builds check every overflow).

mod common;

use proptest::prelude::*;
use runbook::clock::{date, duration_clock, duration_words, hh_mm, next_time_of_day, previous_time_of_day, stopwatch};
use runbook::cockpit::{self, FieldContext};
use runbook::incident::Incident;

fn extreme() -> impl Strategy<Value = i64> {
    prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0), Just(-1), any::<i64>(), 1_700_000_000i64..1_900_000_000]
}

proptest! {
    #[test]
    fn clock_functions_answer_for_any_time(at in extreme(), offset in any::<i32>(), seconds in any::<u64>(), text in "[0-9]{1,2}:[0-9]{1,2}") {
        let _ = (hh_mm(at, offset), date(at, offset), duration_clock(seconds), duration_words(seconds), stopwatch(seconds));
        let _ = (next_time_of_day(&text, at, offset), previous_time_of_day(&text, at, offset));
    }

    #[test]
    fn the_cockpit_answers_for_any_incident_times(
        start in extreme(), now in extreme(), checked in extreme(), resolved in proptest::option::of(extreme()),
        next_update in proptest::option::of(extreme()), offset in any::<i32>(), severity in 0usize..5,
    ) {
        let runbook = runbook::parse("incident-response.md", common::team_runbook_source());
        let mut incident = Incident::new("x", "incident-response", start);
        incident.set_severity(["SEV1", "SEV2", "SEV3", "SEV4", "SEV9"][severity], checked);
        for step in runbook.steps.iter().take(5) {
            incident.toggle_step(step.id, checked);
        }
        incident.next_update_at = next_update;
        incident.resolved_at = resolved;
        let _ = cockpit::progress(&runbook, &incident);
        let _ = cockpit::current_phase(&runbook, &incident, now);
        let _ = cockpit::escalation(&runbook, &incident, now);
        let _ = cockpit::response_deadline(&runbook, &incident);
        let _ = cockpit::timeline(&runbook, &incident, offset);
        let _ = cockpit::orphaned_checks(&runbook, &incident);
        let context = FieldContext { incident: &incident, now, offset_minutes: offset };
        for template in &runbook.templates {
            for field in template.fields() {
                let _ = context.value(field);
            }
        }
    }
}
