//! What the app remembers: incidents and the user's variable values, saved in the browser on
//! every change, the ticking clock, and the edge probe's status.

pub mod clock;
pub mod probe;
pub mod storage;
pub mod store;
