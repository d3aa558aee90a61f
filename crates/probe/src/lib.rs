//! The edge probe's decisions, as pure functions: whether a response is healthy (assertions,
//! classification), what the regions together say and when it is believed (detect), what to keep (rollups), what
//! to announce (alerts) and how to show it (page, formats). No network, no clock, no storage:
//! the worker does the I/O and passes the time in. The config comes from the `config` crate
//! and the JSON it serves is typed in the `api` crate.
#![forbid(unsafe_code)]

pub mod alerts;
pub mod assertion;
pub mod classify;
pub mod detect;
pub mod dns;
pub mod formats;
pub mod heartbeat;
pub mod http1;
pub mod ledger;
pub mod monitor;
pub mod page;
pub mod pictures;
pub mod rollup;
pub mod schedule;
pub mod serving;
pub mod simulate;
pub mod updates;

pub use config::{parse_config, Config, ConfigError, Endpoint};
