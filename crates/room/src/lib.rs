//! The live room: one incident worked by a team at once. The site and the worker's `Room`
//! Durable Object speak the messages of [`protocol`]; the room unites everyone's changes by
//! the rules of [`rules`] (the share links' merge, `runbook::merge`, for a copy that missed
//! changes), paces each connection ([`pace`]) and keeps within [`limits`]. Pure: no sockets,
//! no storage, no clock.

pub mod attribution;
pub mod capability;
pub mod follow;
pub mod limits;
pub mod pace;
pub mod people;
pub mod protocol;
pub mod rebase;
pub mod rules;
