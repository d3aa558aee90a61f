//! What a webhook's answer means for the message: delivered, try again (when), or refused
//! for good. `Retry-After` is read in both its forms (seconds, or an HTTP date).

use super::outbox::SendResult;

/// The outcome of a delivery from the receiver's status and `Retry-After` header, or from
/// the error that kept it from answering (`status` `None`).
pub fn send_result(status: Option<u16>, retry_after: Option<&str>, error: &str, now: i64) -> SendResult {
    match status {
        Some(200..=299) => SendResult::Delivered,
        Some(429) => SendResult::Retry {
            error: "HTTP 429 (too many requests)".into(),
            after_seconds: retry_after.and_then(|value| retry_after_seconds(value, now)),
        },
        Some(408) => SendResult::Retry { error: "HTTP 408".into(), after_seconds: None },
        Some(status @ 400..=499) => SendResult::Rejected {
            error: format!("HTTP {status}: the receiver refuses this request (is the webhook URL right?)"),
        },
        Some(status) => SendResult::Retry { error: format!("HTTP {status}"), after_seconds: None },
        None => SendResult::Retry { error: error.chars().take(200).collect(), after_seconds: None },
    }
}

/// The wait a 429's JSON body asks for when its headers do not: Telegram's
/// `{"parameters": {"retry_after": 12}}`. Bodies past 64 KB are not parsed.
pub fn retry_after_in_body(body: &str) -> Option<String> {
    if body.len() > 64 * 1024 {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let seconds = value.get("parameters")?.get("retry_after")?.as_u64()?;
    Some(seconds.to_string())
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT`, as seconds from
/// `now` (at least 1). `None` when it is neither.
pub fn retry_after_seconds(value: &str, now: i64) -> Option<i64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(i64::try_from(seconds).unwrap_or(i64::MAX).max(1));
    }
    // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    let mut parts = value.split_whitespace().skip(1);
    let day: u32 = parts.next()?.parse().ok()?;
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        .iter()
        .position(|m| Some(*m) == parts.clone().next())? as u32
        + 1;
    parts.next();
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<u32>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next() != Some("GMT") || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let at = calendar::unix_seconds(year, month, day, hour, minute, second);
    Some(at.saturating_sub(now).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_896_000; // 2026-11-28 20:00:00 UTC

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        assert_eq!(retry_after_seconds("120", NOW), Some(120));
        assert_eq!(retry_after_seconds("Sat, 28 Nov 2026 20:05:00 GMT", NOW), Some(300));
        assert_eq!(retry_after_seconds("Sat, 28 Nov 2026 19:00:00 GMT", NOW), Some(1), "a date passed means now");
        assert_eq!(retry_after_seconds("soon", NOW), None);
        assert_eq!(retry_after_seconds("Sat, 28 Foo 2026 20:05:00 GMT", NOW), None);
    }

    #[test]
    fn a_telegram_flood_answer_says_its_wait_in_the_body() {
        let body = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 12","parameters":{"retry_after":12}}"#;
        assert_eq!(retry_after_in_body(body).as_deref(), Some("12"));
        assert_eq!(retry_after_in_body(r#"{"ok":false}"#), None);
        assert_eq!(retry_after_in_body("rate limited"), None);
        assert_eq!(retry_after_in_body(&format!("{{\"pad\":\"{}\"}}", "x".repeat(70_000))), None);
    }

    #[test]
    fn client_errors_other_than_408_and_429_are_final() {
        assert_eq!(send_result(Some(204), None, "", NOW), SendResult::Delivered);
        assert!(matches!(send_result(Some(404), None, "", NOW), SendResult::Rejected { .. }));
        assert!(matches!(send_result(Some(400), None, "", NOW), SendResult::Rejected { .. }));
        assert!(matches!(send_result(Some(408), None, "", NOW), SendResult::Retry { after_seconds: None, .. }));
        assert!(matches!(send_result(Some(500), None, "", NOW), SendResult::Retry { .. }));
        assert_eq!(
            send_result(Some(429), Some("30"), "", NOW),
            SendResult::Retry { error: "HTTP 429 (too many requests)".into(), after_seconds: Some(30) }
        );
        assert!(matches!(send_result(None, None, "timed out", NOW), SendResult::Retry { .. }));
    }
}
