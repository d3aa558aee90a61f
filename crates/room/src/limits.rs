//! What one room holds and accepts at most: far beyond a real incident's team, and small
//! enough that a hostile client costs little. Applied where input enters, before anything
//! is saved or sent on.

/// Bytes of one message from a client. A change carries the whole incident in the saved
/// format; a large real one (every step checked, long messages written) is under 64 KB.
pub const MESSAGE_BYTES: usize = 256 * 1024;
/// People in the room at once.
pub const PEOPLE: usize = 25;
/// Connections at once, counting those that have not joined yet.
pub const CONNECTIONS: usize = 40;
/// A connection that has not joined within this long is closed when another arrives.
pub const JOIN_WITHIN_MS: i64 = 10_000;
/// Characters of a person's name (the incident's own limit, which the names it keeps obey).
pub const NAME_CHARS: usize = runbook::incident::limits::PERSON_CHARS;
/// A room with no change for this long ends: its incident is deleted from the worker (the
/// copies in the browsers stay).
pub const IDLE_SECONDS: i64 = 48 * 3600;
/// Rooms one address may open a minute (the platform's rate limiting binding, counted per
/// Cloudflare location): a team opens one per incident; a script that opens thousands is
/// refused before any object is made.
pub const OPENINGS_PER_MINUTE: u32 = 20;

/// What openings are counted by: the address they come from, an IPv6 address by its /64 (one
/// machine holds a whole /64); no address at all (local runs) counts as one.
pub fn opener_key(address: Option<&str>) -> String {
    let Some(address) = address.map(str::trim).filter(|a| !a.is_empty()) else {
        return "unknown".to_string();
    };
    match address.parse::<std::net::Ipv6Addr>() {
        Ok(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Err(_) => address.chars().take(45).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openings_are_counted_by_address_and_an_ipv6_address_by_its_64() {
        assert_eq!(opener_key(Some("203.0.113.7")), "203.0.113.7");
        assert_eq!(opener_key(Some("2001:db8:1:2:aaaa::1")), opener_key(Some("2001:db8:1:2:bbbb::9")));
        assert_eq!(opener_key(Some("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_ne!(opener_key(Some("2001:db8:1:3::1")), opener_key(Some("2001:db8:1:2::1")));
        assert_eq!(opener_key(None), "unknown");
        assert_eq!(opener_key(Some("  ")), "unknown");
        assert_eq!(opener_key(Some(&"é".repeat(900))).chars().count(), 45);
    }
}
