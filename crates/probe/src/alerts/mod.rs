//! Alerts without storms: one message per declared change of state per target, kept in a
//! persisted outbox until delivered, retried with backoff, in order, and never sent again
//! once delivered (receivers can drop repeats by id: delivery is at least once). Changes
//! that come together go out together, one message per target. During maintenance they
//! wait; when the window ends, what still holds is sent.

mod alert;
mod chat;
mod outbox;
mod paging;
pub mod redact;
mod remind;
mod render;
mod retry_after;

pub use alert::{Alert, MAX_CAUSE_CHARS};
pub use outbox::{backoff_seconds, Batch, Failure, Outbox, Pending, SendResult, MAX_PENDING};
pub use render::{address, batch_limit, request, Request};
pub use retry_after::{retry_after_in_body, retry_after_seconds, send_result};
