//! Outage links come from chat messages and alerts: anything may arrive. Reading one never
//! panics, and whatever it accepts is within the rules and reads back the same.

use api::outage::{OutageLink, MAX_CAUSE_CHARS, MAX_REGIONS};
use proptest::prelude::*;

/// A minimal percent-decoder, as a browser's query parsing (the site uses `percent-encoding`).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_text_is_read_or_refused_never_a_panic(text in any::<String>()) {
        let _ = OutageLink::parse(&text);
    }

    #[test]
    fn near_misses_are_read_or_refused_and_what_is_read_keeps_the_rules(
        endpoint in "[a-zA-Z0-9._/-]{0,70}",
        state in "(down|regional|degraded|up|)",
        onset in any::<i64>(),
        delay in 0i64..100_000,
        regions in proptest::collection::vec("[a-zA-Z]{0,10}", 0..20),
        cause in any::<String>(),
    ) {
        let value = format!("1~{endpoint}~{state}~{onset}~{}~{}~{cause}", onset.saturating_add(delay), regions.join("."));
        if let Ok(link) = OutageLink::parse(&value) {
            prop_assert!(api::outage::is_endpoint_name(&link.endpoint));
            prop_assert!(link.declared >= link.onset);
            prop_assert!(link.regions.len() <= MAX_REGIONS);
            prop_assert!(link.cause.chars().count() <= MAX_CAUSE_CHARS);
            prop_assert!(!link.cause.chars().any(char::is_control));
            prop_assert_eq!(OutageLink::parse(&decode(&link.to_param())), Ok(link));
        }
    }
}
