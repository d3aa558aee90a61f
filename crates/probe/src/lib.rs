//! The edge probe's decisions, as pure functions: what to probe (config), whether a response
//! is healthy (assertions, classification), what the regions together say (consensus), what
//! to keep (rollups), and the JSON the worker serves (status). No network, no clock, no
//! storage: the worker does the I/O and passes the time in.

pub mod alerts;
pub mod assertion;
pub mod budget;
pub mod classify;
pub mod config;
pub mod consensus;
pub mod formats;
pub mod http1;
pub mod monitor;
pub mod page;
pub mod rollup;
pub mod status;
pub mod transport;
mod validate;

pub use config::{parse_config, Config, ConfigError, Endpoint};
