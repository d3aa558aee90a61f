//! The types that cross a boundary, defined once: the JSON the worker serves and the site
//! reads (`status`), the verdicts inside it (`verdict`), and the messages between the
//! worker's Durable Objects (`messages`, at the addresses in `paths`), the outage a link carries (`outage`), what the
//! status pictures show (`pictures`) and the updates the team posts (`updates`).
//!
//! Serde only (and `calendar`, for the dates a picture's day names): the site's WebAssembly
//! uses this crate, so it never pulls in a TOML parser or the probe's logic.
#![forbid(unsafe_code)]

pub mod links;
pub mod messages;
pub mod outage;
pub mod paths;
mod percent;
pub mod pictures;
pub mod status;
pub mod updates;
pub mod verdict;

pub use messages::{
    Arm, Armed, Beat, Ingest, MeterCounts, MonitorMeta, ProbeAsk, ProbeReport, RegionMeta, Report, Soon,
};
pub use pictures::Pictures;
pub use status::*;
pub use updates::{PostedIncident, PostedUpdate, UpdatePost, UpdateStatus};
pub use verdict::{Outcome, State};
