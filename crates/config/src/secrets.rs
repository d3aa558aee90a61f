//! Worker secrets named in `outpost.toml` (`secret:HEALTH_TOKEN`): how a name may be written.

/// Letters, digits and `_`, as `wrangler secret put` takes them.
pub(crate) fn is_secret_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
