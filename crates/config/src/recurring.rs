//! Maintenance that comes back: `every = "sunday"`, `from = "02:00"`, `until = "03:00"` in
//! a stated time zone, by the wall clock there (a window at 02:30 on the night clocks go
//! forward starts at 03:30; on the night they go back, the hour shown twice is covered twice).

use api::Maintenance;
use calendar::Zone;

const DAY: i64 = 86_400;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringMaintenance {
    pub title: String,
    /// The days it begins on, Monday first.
    pub days: [bool; 7],
    /// Minutes after local midnight it begins and ends; an end not after the start is the
    /// next day's (`from = "23:00"`, `until = "01:00"`).
    pub from_minute: u32,
    pub until_minute: u32,
    pub zone: Zone,
    /// As written, for people: `Europe/Berlin`.
    pub zone_name: String,
    /// Endpoints under maintenance; empty means all.
    pub endpoints: Vec<String>,
}

impl RecurringMaintenance {
    /// The occurrence that began on the local day `day` (days since 1970 on the zone's
    /// clock), if the window begins that weekday.
    fn on(&self, day: i64) -> Option<Maintenance> {
        let weekday = (day + 3).rem_euclid(7) as usize; // 1970-01-01 was a Thursday
        if !self.days[weekday] {
            return None;
        }
        let from = day.saturating_mul(DAY).saturating_add(i64::from(self.from_minute) * 60);
        let length = (i64::from(self.until_minute) - i64::from(self.from_minute)).rem_euclid(24 * 60);
        let until = from.saturating_add(if length == 0 { DAY } else { length * 60 });
        let (start, end) = (self.zone.to_utc(from), self.zone.to_utc(until));
        (end > start).then(|| Maintenance { title: self.title.clone(), start, end, endpoints: self.endpoints.clone() })
    }

    /// The local day `at` falls on.
    fn local_day(&self, at: i64) -> i64 {
        (at.saturating_add(i64::from(self.zone.offset_at(at)))).div_euclid(DAY)
    }

    /// The occurrence covering `at`, if any.
    pub fn occurrence_at(&self, at: i64) -> Option<Maintenance> {
        let today = self.local_day(at);
        [today, today.saturating_sub(1)]
            .into_iter()
            .filter_map(|day| self.on(day))
            .find(|m| m.start <= at && at < m.end)
    }

    /// The occurrence covering `now`, or else the next to begin (within a week).
    pub fn current_or_next(&self, now: i64) -> Option<Maintenance> {
        let today = self.local_day(now);
        (today.saturating_sub(1)..=today.saturating_add(8)).filter_map(|day| self.on(day)).find(|m| m.end > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly(days: [bool; 7], from: u32, until: u32, zone: &str) -> RecurringMaintenance {
        RecurringMaintenance {
            title: "Patching".into(),
            days,
            from_minute: from,
            until_minute: until,
            zone: Zone::parse(zone).unwrap(),
            zone_name: zone.into(),
            endpoints: Vec::new(),
        }
    }

    const SUNDAY: [bool; 7] = [false, false, false, false, false, false, true];

    #[test]
    fn a_sunday_night_window_in_berlin_follows_the_clock_through_both_changes() {
        let window = weekly(SUNDAY, 120, 180, "Europe/Berlin"); // 02:00–03:00
        let utc = |y, m, d, h| calendar::unix_seconds(y, m, d, h, 0, 0);
        // Winter (CET): 01:00–02:00 UTC.
        let winter = window.occurrence_at(utc(2026, 12, 6, 1) + 60).unwrap();
        assert_eq!((winter.start, winter.end), (utc(2026, 12, 6, 1), utc(2026, 12, 6, 2)));
        // Summer (CEST): 00:00–01:00 UTC.
        let summer = window.occurrence_at(utc(2026, 7, 5, 0) + 60).unwrap();
        assert_eq!((summer.start, summer.end), (utc(2026, 7, 5, 0), utc(2026, 7, 5, 1)));
        // The night clocks go forward, 02:00–03:00 is not shown: no window at all.
        assert_eq!(window.occurrence_at(utc(2026, 3, 29, 1)), None);
        // The night they go back, 02:00–03:00 is shown twice: two hours.
        let autumn = window.occurrence_at(utc(2026, 10, 25, 0) + 60).unwrap();
        assert_eq!((autumn.start, autumn.end), (utc(2026, 10, 25, 0), utc(2026, 10, 25, 2)));
        // Not on a Saturday.
        assert_eq!(window.occurrence_at(utc(2026, 12, 5, 1) + 60), None);
    }

    #[test]
    fn a_window_past_midnight_belongs_to_the_day_it_began_and_the_next_comes_a_week_later() {
        let window = weekly(SUNDAY, 23 * 60, 60, "UTC"); // Sunday 23:00 to Monday 01:00
        let at = |d, h| calendar::unix_seconds(2026, 12, d, h, 30, 0);
        assert!(window.occurrence_at(at(6, 23)).is_some(), "Sunday 23:30");
        assert!(window.occurrence_at(at(7, 0)).is_some(), "Monday 00:30");
        assert_eq!(window.occurrence_at(at(7, 1)), None, "Monday 01:30");
        assert_eq!(window.occurrence_at(at(5, 23)), None, "Saturday 23:30");
        let next = window.current_or_next(at(7, 1)).unwrap();
        assert_eq!(next.start, calendar::unix_seconds(2026, 12, 13, 23, 0, 0));
        assert_eq!(window.current_or_next(at(7, 0)).unwrap().start, calendar::unix_seconds(2026, 12, 6, 23, 0, 0));
    }

    #[test]
    fn a_window_ending_in_the_hour_clocks_skip_ends_when_they_jump() {
        let utc = |h, m| calendar::unix_seconds(2026, 3, 29, h, m, 0);
        // Berlin, 29 March: 02:00–03:00 is never shown; the clock jumps at 01:00 UTC.
        let until_skipped = weekly(SUNDAY, 60, 150, "Europe/Berlin"); // 01:00–02:30
        let held = until_skipped.occurrence_at(utc(0, 30)).unwrap();
        assert_eq!((held.start, held.end), (utc(0, 0), utc(1, 0)));
        let from_skipped = weekly(SUNDAY, 150, 195, "Europe/Berlin"); // 02:30–03:15
        let held = from_skipped.occurrence_at(utc(1, 5)).unwrap();
        assert_eq!((held.start, held.end), (utc(1, 0), utc(1, 15)), "03:00–03:15 is shown, so held");
    }

    #[test]
    fn any_moment_at_all_finds_its_window_or_none_without_panicking() {
        let window = weekly([true; 7], 0, 60, "Australia/Sydney");
        for at in [i64::MIN, i64::MIN + 1, -1, 0, 4_102_444_800, i64::MAX - 1, i64::MAX] {
            let _ = window.occurrence_at(at);
            let _ = window.current_or_next(at);
        }
        // 2100, a Friday: its window is there.
        let at = calendar::unix_seconds(2100, 1, 1, 0, 0, 0);
        assert!(window.current_or_next(at).is_some_and(|m| m.end > at));
    }

    #[test]
    fn a_year_of_weekly_windows_covers_52_hours_wherever_the_zone() {
        for zone in ["UTC", "America/New_York", "Australia/Sydney", "+05:30", "Asia/Jerusalem"] {
            let window = weekly([false, false, true, false, false, false, false], 12 * 60, 13 * 60, zone);
            let start = calendar::unix_seconds(2026, 1, 1, 0, 0, 0);
            let covered =
                (0..365 * 24 * 4).filter(|quarter| window.occurrence_at(start + quarter * 900).is_some()).count();
            assert_eq!(covered, 52 * 4, "{zone}: Wednesdays at noon, an hour each, in 2026");
        }
    }
}
