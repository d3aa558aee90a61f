//! What both directions of a share link agree on: the prefixes, the escapes, the limits and
//! the small hashes that stand for a runbook's steps, fields and templates.

use runbook::incident::Timestamp;
use runbook::Runbook;

use crate::bytes::fnv1a;

pub const PREFIX: &str = "s2";
/// `s2` with who did what in a live room after the events (`crate::authors`): a version of
/// its own, so a site older than it says "a newer version" instead of reading it wrong.
pub const PREFIX_V3: &str = "s3";
pub const PREFIX_V1: &str = "s1";
pub const ESCAPE16: u16 = 0xFFFF;
pub const ESCAPE8: u8 = 0xFF;
pub const MAX_TEXT_TOTAL: usize = 64 * 1024;
/// Far above any link a person pastes, far below what would hurt a browser tab.
pub const MAX_LINK_LEN: usize = 256 * 1024;

pub fn hash16(text: &str) -> u16 {
    let hash = fnv1a(text.as_bytes());
    (hash ^ hash >> 16) as u16
}

pub fn minute(at: Timestamp) -> i64 {
    at.div_euclid(60)
}

/// Every template field key of a runbook, once each.
pub fn field_keys(runbook: &Runbook) -> Vec<String> {
    let mut keys: Vec<String> = runbook.templates.iter().flat_map(|t| t.fields().map(|f| f.key.clone())).collect();
    document::small_sort::sort_by_key(&mut keys, |k| k.clone());
    keys.dedup();
    keys
}
