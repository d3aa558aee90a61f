//! Share links: the whole incident in a URL fragment, small enough to paste anywhere.
//!
//! Token `s2` + base64url of: a 16-bit checksum, then the start (unix s), flags, resolution
//! (s) and next update (min), each checked step by its full id with its time in minutes,
//! field keys as 16-bit hashes, events, and last all free text compressed together
//! (`text_coder`). Secrets are never in it: only detected host variables are carried. An
//! incident started from the probe's outage carries that outage too (`probe.rs`).
//!
//! Steps travel by full id because an id names a step's section and text: after the
//! runbook is edited, a check lands on the same step or, if that step changed, on none (it
//! is listed as orphaned). Format `s1` (a bitmap with 8-bit fingerprints) could land a check
//! on the wrong step; its links still open, with their checks listed as not placed.

mod decode;
mod encode;
mod flags;
mod format;
mod probe;
mod text_coder;

pub use decode::{decode, Shared};
pub use encode::{encode, TooLarge};
pub use format::PREFIX;

/// The token in a link's fragment (`#s2…`), as pasted by people and chat apps: surrounding
/// space, a leading `#`, and percent-encoding are undone.
pub fn token_from_fragment(fragment: &str) -> String {
    let fragment = fragment.trim().trim_start_matches('#').trim();
    document::links::percent_decode(fragment).trim().to_string()
}
