//! Time zones as a recurring maintenance window states them: `UTC`, a fixed offset
//! (`+05:30`), a POSIX TZ rule (`CET-1CEST,M3.5.0,M10.5.0/3`), or a common zone's name,
//! carried as the POSIX rule the tz database itself gives for its current rules. Daylight
//! saving is followed without shipping the database; a zone whose rules change needs its
//! row here changed.

use crate::{civil_from_days, days_from_civil};

/// A zone: its standard offset and, if it has one, its daylight-saving rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    /// Seconds east of UTC.
    std_offset: i32,
    dst: Option<Dst>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dst {
    offset: i32,
    /// Starts at this local standard time, ends at this local daylight time.
    start: Rule,
    end: Rule,
}

/// `Mm.w.d/time`: the w-th (5 = last) weekday d (0 = Sunday) of month m, at `time` seconds
/// after local midnight (may pass 24 h or be negative, as POSIX allows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rule {
    month: u32,
    week: u32,
    weekday: u32,
    time: i32,
}

/// Common zones and their rules, from the tz database's current rules (2026).
const NAMED: &[(&str, &str)] = &[
    ("UTC", "UTC0"),
    ("Etc/UTC", "UTC0"),
    ("GMT", "UTC0"),
    ("Europe/London", "GMT0BST,M3.5.0/1,M10.5.0"),
    ("Europe/Dublin", "GMT0IST,M3.5.0/1,M10.5.0"),
    ("Europe/Lisbon", "WET0WEST,M3.5.0/1,M10.5.0"),
    ("Europe/Amsterdam", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Berlin", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Brussels", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Copenhagen", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Madrid", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Oslo", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Paris", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Prague", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Rome", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Stockholm", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Vienna", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Warsaw", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Zurich", "CET-1CEST,M3.5.0,M10.5.0/3"),
    ("Europe/Athens", "EET-2EEST,M3.5.0/3,M10.5.0/4"),
    ("Europe/Bucharest", "EET-2EEST,M3.5.0/3,M10.5.0/4"),
    ("Europe/Helsinki", "EET-2EEST,M3.5.0/3,M10.5.0/4"),
    ("Europe/Kyiv", "EET-2EEST,M3.5.0/3,M10.5.0/4"),
    ("Europe/Istanbul", "<+03>-3"),
    ("Europe/Moscow", "MSK-3"),
    ("Africa/Cairo", "EET-2EEST,M4.5.5/0,M10.5.4/24"),
    ("Africa/Johannesburg", "SAST-2"),
    ("Africa/Lagos", "WAT-1"),
    ("Africa/Nairobi", "EAT-3"),
    ("America/New_York", "EST5EDT,M3.2.0,M11.1.0"),
    ("America/Toronto", "EST5EDT,M3.2.0,M11.1.0"),
    ("America/Chicago", "CST6CDT,M3.2.0,M11.1.0"),
    ("America/Denver", "MST7MDT,M3.2.0,M11.1.0"),
    ("America/Phoenix", "MST7"),
    ("America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"),
    ("America/Vancouver", "PST8PDT,M3.2.0,M11.1.0"),
    ("America/Anchorage", "AKST9AKDT,M3.2.0,M11.1.0"),
    ("America/Halifax", "AST4ADT,M3.2.0,M11.1.0"),
    ("America/St_Johns", "NST3:30NDT,M3.2.0,M11.1.0"),
    ("America/Mexico_City", "CST6"),
    ("America/Bogota", "<-05>5"),
    ("America/Lima", "<-05>5"),
    ("America/Sao_Paulo", "<-03>3"),
    ("America/Argentina/Buenos_Aires", "<-03>3"),
    ("Pacific/Honolulu", "HST10"),
    ("Asia/Dubai", "<+04>-4"),
    ("Asia/Karachi", "PKT-5"),
    ("Asia/Kolkata", "IST-5:30"),
    ("Asia/Dhaka", "<+06>-6"),
    ("Asia/Bangkok", "<+07>-7"),
    ("Asia/Jakarta", "WIB-7"),
    ("Asia/Singapore", "<+08>-8"),
    ("Asia/Shanghai", "CST-8"),
    ("Asia/Hong_Kong", "HKT-8"),
    ("Asia/Taipei", "CST-8"),
    ("Asia/Manila", "PST-8"),
    ("Asia/Seoul", "KST-9"),
    ("Asia/Tokyo", "JST-9"),
    ("Asia/Jerusalem", "IST-2IDT,M3.4.4/26,M10.5.0"),
    ("Asia/Tehran", "<+0330>-3:30"),
    ("Australia/Perth", "AWST-8"),
    ("Australia/Darwin", "ACST-9:30"),
    ("Australia/Adelaide", "ACST-9:30ACDT,M10.1.0,M4.1.0/3"),
    ("Australia/Brisbane", "AEST-10"),
    ("Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3"),
    ("Australia/Melbourne", "AEST-10AEDT,M10.1.0,M4.1.0/3"),
    ("Australia/Hobart", "AEST-10AEDT,M10.1.0,M4.1.0/3"),
    ("Pacific/Auckland", "NZST-12NZDT,M9.5.0,M4.1.0/3"),
];

impl Zone {
    pub const UTC: Zone = Zone { std_offset: 0, dst: None };

    /// The names this module knows, for error messages and docs.
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMED.iter().map(|(name, _)| *name)
    }

    /// `UTC`, `+05:30` / `-03:00`, a known zone's name, or a POSIX TZ rule.
    pub fn parse(text: &str) -> Result<Zone, String> {
        let text = text.trim();
        if let Some((_, rule)) = NAMED.iter().find(|(name, _)| name.eq_ignore_ascii_case(text)) {
            return posix(rule);
        }
        let parsed = match text.strip_prefix('+').map(|_| 1).or_else(|| text.strip_prefix('-').map(|_| -1)) {
            Some(sign) => clock(&text[1..])
                .filter(|s| *s <= 14 * 3600)
                .map(|seconds| Zone { std_offset: sign * seconds, dst: None })
                .ok_or_else(|| "an offset is at most 14 hours, written as +05:30".to_string()),
            None => posix(text),
        };
        parsed.map_err(|why| {
            format!("unknown time zone {text:?} ({why}): use UTC, an offset such as \"+05:30\", a POSIX rule such as \"CET-1CEST,M3.5.0,M10.5.0/3\", or a known zone such as \"Europe/Berlin\"")
        })
    }

    /// Seconds east of UTC at the moment `utc`.
    pub fn offset_at(&self, utc: i64) -> i32 {
        let Some(dst) = self.dst else { return self.std_offset };
        let (year, _, _) = civil_from_days(utc.saturating_add(i64::from(self.std_offset)).div_euclid(86_400));
        // The latest change at or before `utc`: a rule's time may pass midnight by days, so
        // the years around it are looked at too.
        let mut latest: Option<(i64, bool)> = None;
        for year in [year.saturating_sub(1), year, year.saturating_add(1)] {
            let start = dst.start.local_seconds(year).saturating_sub(i64::from(self.std_offset));
            let end = dst.end.local_seconds(year).saturating_sub(i64::from(dst.offset));
            for (at, is_dst) in [(start, true), (end, false)] {
                if at <= utc && latest.is_none_or(|(seen, _)| at > seen) {
                    latest = Some((at, is_dst));
                }
            }
        }
        if latest.is_some_and(|(_, is_dst)| is_dst) {
            dst.offset
        } else {
            self.std_offset
        }
    }

    /// The moment a wall clock in this zone shows `local` (seconds since 1970 on that clock).
    /// A time skipped when clocks go forward is taken as the moment they jump; a time shown
    /// twice when they go back, its first showing.
    pub fn to_utc(&self, local: i64) -> i64 {
        let dst = self.dst.map_or(self.std_offset, |d| d.offset);
        let (small, large) = (dst.min(self.std_offset), dst.max(self.std_offset));
        for offset in [large, small] {
            let utc = local.saturating_sub(i64::from(offset));
            if self.offset_at(utc) == offset {
                return utc;
            }
        }
        // Skipped: the jump lies between the two readings; find it.
        let (mut before, mut after) = (local.saturating_sub(i64::from(large)), local.saturating_sub(i64::from(small)));
        let later = self.offset_at(after);
        while after - before > 1 {
            let middle = before + (after - before) / 2;
            if self.offset_at(middle) == later {
                after = middle;
            } else {
                before = middle;
            }
        }
        after
    }
}

impl Rule {
    /// This rule's moment in `year`, in local seconds since 1970.
    fn local_seconds(&self, year: i64) -> i64 {
        let first = days_from_civil(year, self.month, 1);
        let first_weekday = (first + 4).rem_euclid(7) as u32; // 1970-01-01 was a Thursday
        let mut day = 1 + (self.weekday + 7 - first_weekday) % 7 + 7 * (self.week - 1);
        let next_month =
            if self.month == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, self.month + 1, 1) };
        let length = (next_month - first) as u32;
        while day > length {
            day -= 7;
        }
        (first + i64::from(day) - 1).saturating_mul(86_400).saturating_add(i64::from(self.time))
    }
}

/// `h[h][:mm[:ss]]` as seconds, hours up to 167 as POSIX allows.
fn clock(text: &str) -> Option<i32> {
    let mut parts = text.split(':');
    let hours: i32 = parts.next().filter(|h| (1..=3).contains(&h.len()))?.parse().ok()?;
    let mut seconds = hours * 3600;
    for (unit, part) in [60, 1].into_iter().zip(parts.by_ref()) {
        let value: i32 = part.parse().ok().filter(|v| (0..60).contains(v) && part.len() == 2)?;
        seconds += unit * value;
    }
    (parts.next().is_none() && hours <= 167).then_some(seconds)
}

/// A signed POSIX time or offset: `[+-]h[:mm[:ss]]`.
fn signed(text: &str) -> Option<i32> {
    match text.strip_prefix('-') {
        Some(rest) => clock(rest).map(|s| -s),
        None => clock(text.strip_prefix('+').unwrap_or(text)),
    }
}

/// A POSIX TZ rule: `STDoffset[DST[offset],Mm.w.d[/time],Mm.w.d[/time]]`.
fn posix(text: &str) -> Result<Zone, String> {
    let (_, rest) = name(text).ok_or("no zone abbreviation")?;
    let split = rest.find(|c: char| c.is_ascii_alphabetic() || c == '<' || c == ',').unwrap_or(rest.len());
    let std_west = signed(&rest[..split]).ok_or("no offset after the abbreviation")?;
    let std_offset = -std_west;
    let rest = &rest[split..];
    if rest.is_empty() {
        return Ok(Zone { std_offset, dst: None });
    }
    let (_, rest) = name(rest).ok_or("no daylight-saving abbreviation")?;
    let (offset_text, rules) = rest.split_once(',').ok_or("daylight saving without its rules (,Mm.w.d,Mm.w.d)")?;
    let dst_offset = if offset_text.is_empty() {
        std_offset + 3600
    } else {
        -signed(offset_text).ok_or("a bad daylight-saving offset")?
    };
    let (start, end) = rules.split_once(',').ok_or("daylight saving needs a start and an end rule")?;
    Ok(Zone { std_offset, dst: Some(Dst { offset: dst_offset, start: rule(start)?, end: rule(end)? }) })
}

/// An abbreviation, `ABC` or `<+0330>`, and what follows it.
fn name(text: &str) -> Option<(&str, &str)> {
    if let Some(rest) = text.strip_prefix('<') {
        let end = rest.find('>')?;
        return Some((&rest[..end], &rest[end + 1..]));
    }
    let end = text.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(text.len());
    (end >= 3).then(|| (&text[..end], &text[end..]))
}

/// `Mm.w.d[/time]`.
fn rule(text: &str) -> Result<Rule, String> {
    let bad = || format!("{text:?} is not a rule such as M3.5.0/3 (only the M form is read)");
    let (date, time) = text.split_once('/').unwrap_or((text, "2"));
    let mut parts = date.strip_prefix('M').ok_or_else(bad)?.split('.').map(|p| p.parse::<u32>().ok());
    let (month, week, weekday) = (parts.next().flatten(), parts.next().flatten(), parts.next().flatten());
    let (Some(month @ 1..=12), Some(week @ 1..=5), Some(weekday @ 0..=6), None) = (month, week, weekday, parts.next())
    else {
        return Err(bad());
    };
    let time = signed(time).ok_or_else(bad)?;
    Ok(Rule { month, week, weekday, time })
}
