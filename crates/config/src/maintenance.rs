//! `[[maintenance]]` as written: a one-off window (`start`, `end`, each with its offset) or a
//! recurring one (`every`, `from`, `until`, `time_zone`), each checked with its line.

use toml::Spanned;

use crate::errors::Errors;
use crate::raw::RawMaintenance;
use crate::recurring::RecurringMaintenance;
use crate::{Endpoint, Maintenance};

const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

pub(crate) fn windows(
    raw: Vec<Spanned<RawMaintenance>>,
    endpoints: &[Endpoint],
    errors: &mut Errors,
) -> (Vec<Maintenance>, Vec<RecurringMaintenance>) {
    let (mut once, mut recurring) = (Vec::new(), Vec::new());
    for spanned in raw {
        let span = spanned.span();
        let window = spanned.into_inner();
        if let Some(name) = window.endpoints.iter().find(|name| !endpoints.iter().any(|e| &e.name == *name)) {
            errors.add(span.clone(), format!("maintenance names the endpoint {name:?}, which is not configured"));
        }
        match (&window.start, &window.end, &window.every) {
            (None, None, Some(_)) => recurring.extend(weekly(window, errors)),
            (Some(start), Some(end), None) => {
                once.extend(one_off(&window.title, start, end, &window.endpoints, errors))
            }
            _ => errors.add(
                span,
                "a maintenance window has start and end (once), or every, from and until (weekly), not both".into(),
            ),
        }
    }
    (once, recurring)
}

fn one_off(
    title: &str,
    start: &Spanned<toml::value::Datetime>,
    end: &Spanned<toml::value::Datetime>,
    endpoints: &[String],
    errors: &mut Errors,
) -> Option<Maintenance> {
    let (start_at, end_at) = match (unix_seconds(start.get_ref()), unix_seconds(end.get_ref())) {
        (Ok(start), Ok(end)) => (start, end),
        (Err(message), _) => {
            errors.add(start.span(), message);
            return None;
        }
        (_, Err(message)) => {
            errors.add(end.span(), message);
            return None;
        }
    };
    if end_at <= start_at {
        errors.add(end.span(), "a maintenance window must end after it starts".into());
        return None;
    }
    Some(Maintenance { title: title.to_string(), start: start_at, end: end_at, endpoints: endpoints.to_vec() })
}

/// `every = "sunday"`, `"day"`, `"weekday"` or days named in a list (`"tuesday, thursday"`).
fn weekly(window: RawMaintenance, errors: &mut Errors) -> Option<RecurringMaintenance> {
    let every = window.every.as_ref()?;
    let mut days = [false; 7];
    for word in every.get_ref().to_lowercase().split([',', ' ']).filter(|w| !w.is_empty()) {
        match word {
            "day" | "daily" => days = [true; 7],
            "weekday" | "weekdays" => days[..5].fill(true),
            _ => match DAYS.iter().position(|day| *day == word || (word.len() >= 3 && day.starts_with(word))) {
                Some(index) => days[index] = true,
                None => {
                    let message = format!("every {:?}: {word:?} is not a day (write \"sunday\", \"tuesday, thursday\", \"weekday\" or \"day\")", every.get_ref());
                    {
                        errors.add(every.span(), message);
                        return None;
                    }
                }
            },
        }
    }
    if !days.contains(&true) {
        {
            errors.add(every.span(), "every names no day: write \"sunday\", \"weekday\" or \"day\"".into());
            return None;
        }
    }
    let (Some(from), Some(until)) = (&window.from, &window.until) else {
        {
            errors.add(every.span(), "a weekly window needs from = \"02:00\" and until = \"03:00\"".into());
            return None;
        }
    };
    let (from_minute, until_minute) = (minute_of_day(from, errors)?, minute_of_day(until, errors)?);
    if from_minute == until_minute {
        {
            errors.add(
                until.span(),
                "until must differ from from (a whole day is from = \"00:00\", until = \"23:59\")".into(),
            );
            return None;
        }
    }
    let zone_name = window.time_zone.as_ref().map_or("UTC".to_string(), |z| z.get_ref().trim().to_string());
    let zone = match calendar::Zone::parse(&zone_name) {
        Ok(zone) => zone,
        Err(message) => {
            let span = window.time_zone.as_ref().map_or(every.span(), Spanned::span);
            {
                errors.add(span, message);
                return None;
            }
        }
    };
    Some(RecurringMaintenance {
        title: window.title,
        days,
        from_minute,
        until_minute,
        zone,
        zone_name,
        endpoints: window.endpoints,
    })
}

/// `"HH:MM"`, 00:00 to 23:59.
fn minute_of_day(text: &Spanned<String>, errors: &mut Errors) -> Option<u32> {
    let parsed = text.get_ref().trim().split_once(':').and_then(|(h, m)| {
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 && text.get_ref().trim().len() == 5).then_some(h * 60 + m)
    });
    if parsed.is_none() {
        errors.add(text.span(), format!("{:?} is not a time of day such as \"02:00\"", text.get_ref()));
    }
    parsed
}

/// A TOML date-time with a time and an offset (`2026-12-01T02:00:00Z`) as Unix seconds.
fn unix_seconds(datetime: &toml::value::Datetime) -> Result<i64, String> {
    let (Some(date), Some(time)) = (datetime.date, datetime.time) else {
        return Err(format!("{datetime} needs a date and a time, such as 2026-12-01T02:00:00Z"));
    };
    let offset_minutes = match datetime.offset {
        Some(toml::value::Offset::Z) => 0,
        Some(toml::value::Offset::Custom { minutes }) => i64::from(minutes),
        None => return Err(format!("{datetime} has no time zone: add Z for UTC, such as 2026-12-01T02:00:00Z")),
    };
    Ok(calendar::unix_seconds(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
        u32::from(time.hour),
        u32::from(time.minute),
        u32::from(time.second),
    ) - offset_minutes * 60)
}
