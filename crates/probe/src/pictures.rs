//! The pictures of `GET /api/pictures` and the status page, from the rollups: a cell per day
//! for 90 days and each region's median latency per hour for the last 24 hours. Days and
//! hours without checks are "no data", never drawn as up.

use std::collections::BTreeMap;

use api::pictures::{DayCell, EndpointPictures, LatencyLine, DAYS, HOURS};

use crate::rollup::{period_start, Rollup, DAY, HOUR};

/// One endpoint's pictures at `now`, from its hourly and daily rollups keyed by start
/// (including the hour and the day still being summed).
pub fn endpoint_pictures(
    name: &str,
    regions: &[String],
    hourly: &BTreeMap<i64, Rollup>,
    daily: &BTreeMap<i64, Rollup>,
    now: i64,
) -> EndpointPictures {
    let first_day = period_start(now, DAY) - (DAYS as i64 - 1) * DAY;
    let days = (0..DAYS as i64)
        .map(|i| {
            let start = first_day + i * DAY;
            let rollup = daily.get(&start);
            DayCell { start, uptime: rollup.and_then(Rollup::uptime), worst: rollup.and_then(Rollup::worst) }
        })
        .collect();
    let first_hour = period_start(now, HOUR) - (HOURS as i64 - 1) * HOUR;
    let latency = regions
        .iter()
        .map(|region| LatencyLine {
            region: region.clone(),
            from: first_hour,
            p50_ms: (0..HOURS as i64).map(|i| hourly.get(&(first_hour + i * HOUR))?.p50(region)).collect(),
        })
        .collect();
    EndpointPictures { name: name.to_string(), days, latency }
}

#[cfg(test)]
mod tests {
    use api::State;

    use super::*;
    use crate::rollup::EndpointTick;

    const NOW: i64 = 1_795_900_000; // 2026-11-28 21:46 UTC

    fn tick(state: State, latency: u32) -> EndpointTick {
        EndpointTick {
            endpoint: "api".into(),
            state,
            regions: vec![("weur".into(), latency, state == State::Up), ("enam".into(), latency * 2, true)],
        }
    }

    fn rollup(ticks: &[EndpointTick]) -> Rollup {
        let mut rollup = Rollup::default();
        ticks.iter().for_each(|t| rollup.add(t));
        rollup
    }

    #[test]
    fn ninety_days_end_today_and_days_without_checks_are_no_data() {
        let today = period_start(NOW, DAY);
        let daily = BTreeMap::from([
            (today, rollup(&[tick(State::Up, 40), tick(State::Down, 40), tick(State::Up, 40), tick(State::Up, 40)])),
            (today - 2 * DAY, rollup(&[tick(State::Up, 40), tick(State::Regional, 40)])),
            (today - 200 * DAY, rollup(&[tick(State::Down, 40)])),
        ]);
        let pictures = endpoint_pictures("api", &["weur".into()], &BTreeMap::new(), &daily, NOW);
        assert_eq!(pictures.days.len(), DAYS);
        let last = pictures.days.last().unwrap();
        assert_eq!(
            (last.start, last.uptime, last.worst),
            (today, Some(87.5), Some(State::Down)),
            "1 of 8 probes failed"
        );
        let before = &pictures.days[DAYS - 3];
        assert_eq!((before.uptime, before.worst), (Some(75.0), Some(State::Regional)), "a regional outage is partial");
        assert_eq!(pictures.days[DAYS - 2].worst, None);
        assert_eq!(pictures.days[0].start, today - 89 * DAY);
        assert!(pictures.days.iter().filter(|d| d.worst.is_none()).count() == DAYS - 2, "the old day is outside");
    }

    #[test]
    fn latency_lines_give_each_region_its_median_per_hour() {
        let hour = period_start(NOW, HOUR);
        let hourly = BTreeMap::from([
            (hour, rollup(&[tick(State::Up, 40), tick(State::Up, 40), tick(State::Up, 300)])),
            (hour - 3 * HOUR, rollup(&[tick(State::Down, 5_000)])),
        ]);
        let regions = ["weur".to_string(), "enam".to_string(), "apac".to_string()];
        let pictures = endpoint_pictures("api", &regions, &hourly, &BTreeMap::new(), NOW);
        let [weur, enam, apac] = &pictures.latency[..] else { panic!("one line per region") };
        assert_eq!(weur.p50_ms.len(), HOURS);
        assert_eq!(weur.from, hour - 23 * HOUR);
        assert_eq!(weur.p50_ms[HOURS - 1], Some(50), "the bucket bound above 40 ms");
        assert_eq!(weur.p50_ms[HOURS - 4], None, "failed checks say nothing of latency");
        assert_eq!(enam.p50_ms[HOURS - 4], Some(10_000));
        assert!(apac.p50_ms.iter().all(Option::is_none));
    }
}
