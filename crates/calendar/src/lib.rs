//! Unix seconds to and from calendar dates: the one date helper the incident layer, the
//! config reader and the probe's formats share. Proleptic Gregorian (Howard Hinnant's
//! `days_from_civil` algorithms); the UTC offset is passed in, or found by a zone's POSIX
//! rule (`zone.rs`): there is no time zone database and no clock. Total over every `i64`: extreme inputs saturate, never panic.
#![forbid(unsafe_code)]

mod zone;

pub use zone::Zone;

/// A moment as a wall clock shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl DateTime {
    /// The UTC wall clock at `unix` seconds.
    pub fn utc(unix: i64) -> DateTime {
        let (year, month, day) = civil_from_days(unix.div_euclid(86_400));
        let second_of_day = unix.rem_euclid(86_400) as u32;
        DateTime {
            year,
            month,
            day,
            hour: second_of_day / 3600,
            minute: second_of_day % 3600 / 60,
            second: second_of_day % 60,
        }
    }

    /// The wall clock `offset_minutes` east of UTC at `unix` seconds.
    pub fn local(unix: i64, offset_minutes: i32) -> DateTime {
        DateTime::utc(unix.saturating_add(i64::from(offset_minutes) * 60))
    }

    /// `2026-11-28`.
    pub fn date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `20:07`.
    pub fn hh_mm(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// `2026-11-28 20:07`.
    pub fn date_hh_mm(&self) -> String {
        format!("{} {}", self.date(), self.hh_mm())
    }

    /// `2026-11-28T20:07:00Z` (RFC 3339; meaningful for [`DateTime::utc`] values).
    pub fn rfc3339_utc(&self) -> String {
        format!("{}T{}:{:02}Z", self.date(), self.hh_mm(), self.second)
    }
}

/// Unix seconds of a UTC date and time. Out-of-range parts are not checked here: callers
/// validate what people type.
pub fn unix_seconds(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> i64 {
    days_from_civil(year, month, day)
        .saturating_mul(86_400)
        .saturating_add(i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second))
}

/// (year, month, day) → days since 1970-01-01.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year.saturating_sub(1) } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era.saturating_mul(146_097).saturating_add(doe - 719_468)
}

/// Days since 1970-01-01 → (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift so the era arithmetic cannot overflow at the ends of i64.
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn known_dates_convert_both_ways() {
        assert_eq!(DateTime::utc(0).rfc3339_utc(), "1970-01-01T00:00:00Z");
        assert_eq!(DateTime::utc(1_795_896_420).date_hh_mm(), "2026-11-28 20:07");
        assert_eq!(DateTime::utc(951_782_400).date(), "2000-02-29");
        assert_eq!(unix_seconds(2026, 11, 28, 20, 7, 0), 1_795_896_420);
        assert_eq!(DateTime::utc(-1).rfc3339_utc(), "1969-12-31T23:59:59Z");
        assert_eq!(DateTime::local(1_795_896_420, -300).hh_mm(), "15:07");
    }

    proptest! {
        #[test]
        fn days_round_trip(days in -100_000_000i64..100_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }

        #[test]
        fn any_instant_and_offset_formats_without_panicking(unix in any::<i64>(), offset in any::<i32>()) {
            let local = DateTime::local(unix, offset);
            prop_assert!((1..=12).contains(&local.month) && (1..=31).contains(&local.day));
            prop_assert!(local.hour < 24 && local.minute < 60 && local.second < 60);
        }
    }
}
