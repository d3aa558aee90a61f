//! Times and durations as an incident shows them. The UTC offset is passed in: this crate
//! has no clock and no time zone database.

use calendar::DateTime;

use crate::incident::Timestamp;

/// Local wall-clock `HH:MM` of a timestamp, `offset_minutes` east of UTC.
pub fn hh_mm(at: Timestamp, offset_minutes: i32) -> String {
    DateTime::local(at, offset_minutes).hh_mm()
}

/// Local `YYYY-MM-DD` of a timestamp.
pub fn date(at: Timestamp, offset_minutes: i32) -> String {
    DateTime::local(at, offset_minutes).date()
}

/// `21:06` when `at` is on the reader's day of `now`, else with its date,
/// `2026-11-28 21:06`: a time of another day never reads as today's.
pub fn moment(at: Timestamp, now: Timestamp, offset_minutes: i32) -> String {
    if date(at, offset_minutes) == date(now, offset_minutes) {
        hh_mm(at, offset_minutes)
    } else {
        format!("{} {}", date(at, offset_minutes), hh_mm(at, offset_minutes))
    }
}

/// `HH:MM` of a duration: 83 minutes → `01:23`.
pub fn duration_clock(seconds: u64) -> String {
    format!("{:02}:{:02}", seconds / 3600, seconds % 3600 / 60)
}

/// A duration in words: `45m`, `1h 23m`, `2d 3h`.
pub fn duration_words(seconds: u64) -> String {
    let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60);
    match (days, hours) {
        (0, 0) => format!("{minutes}m"),
        (0, _) => format!("{hours}h {minutes:02}m"),
        _ => format!("{days}d {hours}h"),
    }
}

/// A running clock: `4:05`, `1:02:03`.
pub fn stopwatch(seconds: u64) -> String {
    let (hours, minutes, secs) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{secs:02}")
    } else {
        format!("{minutes}:{secs:02}")
    }
}

/// Parses a local `HH:MM` as the next such moment at or after `after` (a time that is
/// earlier today means tomorrow, as "next update at 09:15" does after midnight).
pub fn next_time_of_day(text: &str, after: Timestamp, offset_minutes: i32) -> Option<Timestamp> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    // Checked throughout: `after` and the offset come from saved data and the browser.
    let offset = i64::from(offset_minutes) * 60;
    let local_midnight = after.checked_add(offset)?.div_euclid(86_400).checked_mul(86_400)?;
    let candidate = local_midnight.checked_add(h * 3600 + m * 60)?.checked_sub(offset)?;
    Some(if candidate.checked_add(59)? < after { candidate.checked_add(86_400)? } else { candidate })
}

/// Parses a local `HH:MM` as the latest such moment at or before `before`: an incident
/// noticed late started earlier today (or, just after midnight, yesterday).
pub fn previous_time_of_day(text: &str, before: Timestamp, offset_minutes: i32) -> Option<Timestamp> {
    let next = next_time_of_day(text, before, offset_minutes)?;
    Some(if next > before { next.checked_sub(86_400)? } else { next })
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-28 20:07:00 UTC
    const T: Timestamp = 1_795_896_420;

    #[test]
    fn wall_clock_and_dates_follow_the_offset() {
        assert_eq!(hh_mm(T, 0), "20:07");
        assert_eq!(hh_mm(T, 120), "22:07");
        assert_eq!(hh_mm(T, -480), "12:07");
        assert_eq!(date(T, 0), "2026-11-28");
        assert_eq!(date(T, 240), "2026-11-29");
        assert_eq!(date(0, 0), "1970-01-01");
        assert_eq!(date(951_782_400, 0), "2000-02-29");
    }

    #[test]
    fn durations_read_as_clock_words_and_stopwatch() {
        assert_eq!(duration_clock(83 * 60 + 59), "01:23");
        assert_eq!(duration_words(45 * 60), "45m");
        assert_eq!(duration_words(83 * 60), "1h 23m");
        assert_eq!(duration_words(2 * 86_400 + 3 * 3600), "2d 3h");
        assert_eq!(stopwatch(245), "4:05");
        assert_eq!(stopwatch(3723), "1:02:03");
    }

    #[test]
    fn next_time_of_day_rolls_over_midnight() {
        assert_eq!(next_time_of_day("20:30", T, 0), Some(T - 7 * 60 + 30 * 60));
        assert_eq!(next_time_of_day("20:07", T, 0), Some(T), "this very minute still counts");
        assert_eq!(next_time_of_day("08:00", T, 0).map(|t| hh_mm(t, 0)), Some("08:00".into()));
        assert!(next_time_of_day("08:00", T, 0).unwrap() > T);
        assert_eq!(next_time_of_day("25:00", T, 0), None);
        assert_eq!(next_time_of_day("soon", T, 0), None);
    }

    #[test]
    fn a_late_start_time_is_the_latest_such_time_before_now() {
        assert_eq!(previous_time_of_day("19:50", T, 0), Some(T - 17 * 60));
        assert_eq!(previous_time_of_day("23:00", T, 0).map(|t| date(t, 0)), Some("2026-11-27".into()));
    }
}
