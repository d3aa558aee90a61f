//! What the app remembers: incidents and the user's variable values, saved in the browser on
//! every change, and the ticking clock.

pub mod clock;
pub mod storage;
pub mod store;
