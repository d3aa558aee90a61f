//! A valid link at the far end of what the format allows: what it brings is saved, and what
//! is saved reads back.

mod common;

use common::realistic::START;
use common::team_runbook_source;
use runbook::incident::{Event, EventKind, Incident};
use runbook::intake::within_limits;
use runbook::steps::StepId;
use runbook::{parse, Runbook};
use tokens::{codec, share};

fn team() -> Runbook {
    parse("incident-response.md", team_runbook_source())
}

#[test]
fn a_link_at_the_formats_limits_is_saved_in_a_form_that_reads_back() {
    let runbook = team();
    let mut incident = Incident::new("k3x9q2", "incident-response", START);
    // The most each list of a link may hold (`bytes::MAX_ITEMS`).
    for n in 0..10_000u32 {
        incident.checks.insert(StepId(0x4000_0000 + n), START + 60);
    }
    for n in 0..10_000i64 {
        incident.events.push(Event::new(START + 10_000 - n, EventKind::Resolved));
    }
    let token = share::encode(&incident, Some(&runbook)).expect("within what a link carries");
    let shared = share::decode(&token, &|_| Some(&runbook)).expect("the link decodes");
    assert_eq!(shared.incident.checks.len(), 10_000, "the link itself carries them all");
    let (bounded, left_out) = within_limits(shared.incident, Some(&runbook));
    assert!(left_out.checks > 0 && left_out.events > 0);
    let saved = codec::encode(&bounded);
    assert_eq!(codec::decode(&saved), Ok(bounded), "what is saved reads back");
}
