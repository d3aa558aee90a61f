//! The room's address and secret. A room is named by a random id (in the worker's URL, which
//! platform logs may keep) and opened by a random secret that only travels in the link's
//! fragment and in the first message on the socket: never in a URL, never logged.

/// Hex digits of a room id and of a secret: 128 bits each.
pub const HEX_DIGITS: usize = 32;

/// `bytes` (16 random bytes from the platform) as an id or secret.
pub fn from_random(bytes: &[u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` is a well-formed id or secret: 32 lowercase hex digits.
pub fn is_well_formed(text: &str) -> bool {
    text.len() == HEX_DIGITS && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `given` is the room's `secret`, compared in time independent of where they differ.
pub fn opens(secret: &str, given: &str) -> bool {
    if secret.len() != given.len() {
        return false;
    }
    secret.bytes().zip(given.bytes()).fold(0u8, |differ, (a, b)| differ | (a ^ b)) == 0
}

/// The link's fragment part for a room: `live=<id>.<secret>`.
pub fn fragment(id: &str, secret: &str) -> String {
    format!("live={id}.{secret}")
}

/// The room id and secret in a link's fragment (`#live=<id>.<secret>`, among other parts
/// separated by `&`), when both are well formed.
pub fn from_fragment(fragment: &str) -> Option<(String, String)> {
    let value = fragment.trim_start_matches('#').split('&').find_map(|part| part.strip_prefix("live="))?;
    let (id, secret) = value.split_once('.')?;
    (is_well_formed(id) && is_well_formed(secret)).then(|| (id.to_string(), secret.to_string()))
}

/// Whether a browser may join the room at once: the address names no room, or the one this
/// browser was already in for the incident (a reload). A room it has not been in asks first,
/// since joining unites this browser's copy with whatever that room holds, and a link can be
/// made by anyone who can open a room.
pub fn joins_without_asking(in_address: Option<&(String, String)>, remembered: Option<&(String, String)>) -> bool {
    in_address.is_none_or(|room| Some(room) == remembered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fragment_gives_back_the_room_it_was_made_for() {
        let (id, secret) = (from_random(&[0xab; 16]), from_random(&[7; 16]));
        assert!(is_well_formed(&id) && is_well_formed(&secret));
        assert_eq!(from_fragment(&format!("#x=1&{}", fragment(&id, &secret))), Some((id, secret)));
    }

    #[test]
    fn a_damaged_or_foreign_fragment_opens_nothing() {
        let id = "0".repeat(32);
        for fragment in [
            "",
            "#live=",
            &format!("#live={id}"),
            &format!("#live={id}.{}", "G".repeat(32)),
            &format!("#live={id}.{}", "0".repeat(33)),
            &format!("#live={id}.é{}", "0".repeat(31)),
        ] {
            assert_eq!(from_fragment(fragment), None, "{fragment:?}");
        }
    }

    #[test]
    fn a_room_this_browser_was_not_in_asks_before_it_is_joined() {
        let ours = (from_random(&[1; 16]), from_random(&[2; 16]));
        let theirs = (from_random(&[3; 16]), from_random(&[4; 16]));
        assert!(joins_without_asking(Some(&ours), Some(&ours)), "a reload rejoins");
        assert!(joins_without_asking(None, Some(&ours)), "the room it was in, named nowhere else");
        assert!(!joins_without_asking(Some(&theirs), Some(&ours)), "another room");
        assert!(!joins_without_asking(Some(&theirs), None), "a first room");
        let same_room_other_secret = (ours.0.clone(), theirs.1.clone());
        assert!(!joins_without_asking(Some(&same_room_other_secret), Some(&ours)));
    }

    #[test]
    fn only_the_same_secret_opens_the_room() {
        let secret = from_random(&[1; 16]);
        assert!(opens(&secret, &secret.clone()));
        assert!(!opens(&secret, &from_random(&[2; 16])));
        assert!(!opens(&secret, &secret[..31]));
    }
}
