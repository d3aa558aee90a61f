//! The formats other tools already read: Atlassian Statuspage v2 JSON, badges (SVG and
//! shields.io endpoint JSON), and an Atom feed of incidents and maintenance.

pub mod atom;
pub mod badge;
pub mod statuspage;

use crate::consensus::State;
use crate::status::EndpointStatus;

/// The worst state among the endpoints (maintenance aside), or up when there are none.
pub fn overall(endpoints: &[EndpointStatus]) -> State {
    endpoints.iter().filter(|e| e.maintenance.is_none()).map(|e| e.state).max().unwrap_or(State::Up)
}
