//! Percent-encoding for the site addresses the probe writes (runbook links with host values
//! and outages): one encoder for every part of a link.

/// Everything but unreserved characters as `%XX` (RFC 3986), so a link survives chat apps.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
