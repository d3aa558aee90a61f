//! What the app remembers: incidents and the user's variable values, saved in the browser on
//! every change, the ticking clock, the edge probe's status, and the live room an incident is
//! worked in.

pub mod clock;
pub mod live;
pub mod probe;
pub mod status_updates;
pub mod storage;
pub mod store;
