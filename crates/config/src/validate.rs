//! From the file as written to a config the probe can run, with a clear error (and its
//! line) for everything that would fail or mislead at the edge: unreachable addresses,
//! regions that are not where they say, numbers out of range, and configs whose worst case
//! does not fit the free plan.

use std::collections::BTreeMap;
use std::ops::{Range, RangeInclusive};

use toml::Spanned;

use crate::budget::region_subrequests;
use crate::cadence::{daily, fastest_sustainable, Shape, MIN_INTERVAL_SECONDS};
use crate::endpoint;
use crate::errors::Errors;
use crate::limits::{FREE_SUBREQUESTS_PER_INVOCATION, SUBREQUEST_HEADROOM};
use crate::probe_api;
use crate::raw::{LineIndex, RawConfig, RawProbe};
use crate::{Config, ConfigError, Endpoint, Platform, Thresholds};
use crate::{DEFAULT_INTERVAL_SECONDS, DEFAULT_REGIONS};

/// Location hints where Durable Objects are created.
pub const SPAWNING_HINTS: &[&str] = &["wnam", "enam", "weur", "eeur", "apac", "oc"];
/// Hints Cloudflare accepts but does not create objects in (its docs: "Durable Objects
/// hinted to South America spawn in Eastern North America"), with the hint to use instead.
const NON_SPAWNING_HINTS: &[(&str, &str, &str)] = &[
    ("sam", "South America", "\"enam\" (where they are created instead)"),
    ("afr", "Africa", "\"weur\" or \"eeur\""),
    ("me", "the Middle East", "\"eeur\" or \"apac\""),
];

pub(crate) fn validate(raw: RawConfig, lines: &LineIndex, platform: Platform) -> (Config, Vec<ConfigError>) {
    let mut errors = Errors { list: Vec::new(), notes: Vec::new(), lines };
    let variables: BTreeMap<String, String> =
        raw.variables.iter().map(|(k, v)| (k.clone(), v.get_ref().clone())).collect();
    let probe_span = raw.probe.as_ref().map_or(0..0, Spanned::span);
    let probe = raw.probe.map(Spanned::into_inner).unwrap_or_default();
    let regions = regions(&probe, &mut errors);
    let written_interval = interval(&probe, platform, &mut errors);
    let interval_seconds = written_interval.unwrap_or(DEFAULT_INTERVAL_SECONDS);
    let thresholds = thresholds(&probe, regions.len(), interval_seconds, &mut errors);
    let resolver = match &probe.dns_resolver {
        Some(written) => match crate::dns::check_resolver(written.get_ref(), platform) {
            Ok(()) => written.get_ref().clone(),
            Err(why) => {
                errors.add(written.span(), why);
                crate::dns::DEFAULT_RESOLVER.to_string()
            }
        },
        None => crate::dns::DEFAULT_RESOLVER.to_string(),
    };
    let context = endpoint::Context {
        variables: &variables,
        defaults: endpoint::defaults(&probe, &mut errors),
        platform,
        resolver,
    };

    let mut endpoints: Vec<Endpoint> = Vec::new();
    for spanned in raw.endpoints {
        if let Some(endpoint) = endpoint::validate(spanned, &context, &endpoints, &mut errors) {
            endpoints.push(endpoint);
        }
    }
    let mut heartbeats = 0;
    for spanned in raw.heartbeats {
        if let Some(heartbeat) = crate::heartbeat::validate(spanned, &endpoints, heartbeats, platform, &mut errors) {
            endpoints.push(heartbeat);
            heartbeats += 1;
        }
    }
    let alerts = crate::alert_target::alerts(raw.alerts, &endpoints, &mut errors);
    let (maintenance, recurring) = crate::maintenance::windows(raw.maintenance, &endpoints, &mut errors);
    let title = raw.site.title.unwrap_or_else(|| "Outpost".to_string());
    let site_url = raw.site.url.filter(|u| !u.trim().is_empty());
    let probe_api =
        raw.site.probe_api.and_then(|api| probe_api::validate(api.get_ref(), api.span(), platform, &mut errors));
    let mut config = Config {
        title,
        variables,
        site_url,
        probe_api,
        regions,
        interval_seconds,
        thresholds,
        endpoints,
        alerts,
        maintenance,
        recurring,
        deploy: raw.deploy.map(|deploy| crate::deploy::validate(deploy, &mut errors)),
        notes: Vec::new(),
    };
    let written = probe.interval_seconds.as_ref().filter(|_| written_interval.is_some());
    check_budget(&mut config, written, probe_span, platform, &mut errors);
    let notes = std::mem::take(&mut errors.notes);
    (Config { notes, ..config }, errors.list)
}

/// `[probe] regions`: known hints where objects are created, each once.
fn regions(probe: &RawProbe, errors: &mut Errors) -> Vec<String> {
    let default = || DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect();
    let Some(list) = &probe.regions else { return default() };
    let span = list.span();
    if list.get_ref().is_empty() {
        errors.add(span, "[probe] regions is empty: list at least one, such as [\"weur\", \"enam\", \"apac\"]".into());
        return default();
    }
    let mut regions: Vec<String> = Vec::new();
    for region in list.get_ref() {
        if let Some((_, place, instead)) = NON_SPAWNING_HINTS.iter().find(|(hint, _, _)| hint == region) {
            errors.add(
                span.clone(),
                format!(
                    "region {region:?}: Cloudflare does not create Durable Objects in {place} (they are placed in a nearby region, so it would not probe from there): use {instead}"
                ),
            );
        } else if !SPAWNING_HINTS.contains(&region.as_str()) {
            errors.add(
                span.clone(),
                format!(
                    "unknown region {region:?}: regions are Cloudflare location hints, one of {}",
                    SPAWNING_HINTS.join(", ")
                ),
            );
        } else if regions.contains(region) {
            errors.note(span.clone(), format!("region {region:?} is listed twice; it is probed from once"));
        } else {
            regions.push(region.clone());
        }
    }
    if regions.is_empty() {
        default()
    } else {
        regions
    }
}

/// `[probe] interval_seconds`: each region's rounds, on its own alarms. Cloudflare runs
/// them from every 10 s; local runs (tests) may go down to 1 s. `None` when not set: the
/// cadence check then picks the default or the fastest the free plan sustains.
fn interval(probe: &RawProbe, platform: Platform, errors: &mut Errors) -> Option<u32> {
    let value = probe.interval_seconds.as_ref()?;
    let lowest = if platform.local { 1 } else { MIN_INTERVAL_SECONDS };
    if (lowest..=3600).contains(value.get_ref()) {
        return Some(*value.get_ref());
    }
    errors.add(value.span(), format!("interval_seconds must be between {lowest} and 3600"));
    None
}

fn thresholds(probe: &RawProbe, regions: usize, interval: u32, errors: &mut Errors) -> Thresholds {
    let defaults = Thresholds::default();
    let quorum = match &probe.quorum {
        Some(q) if *q.get_ref() == 0 || *q.get_ref() as usize > regions => {
            errors.add(q.span(), format!("quorum must be between 1 and the number of regions ({regions})"));
            regions / 2 + 1
        }
        Some(q) => *q.get_ref() as usize,
        // A majority: with three regions, two failing is "down" and one is "regional".
        None => regions / 2 + 1,
    };
    let within =
        |value: &Option<Spanned<u32>>, range: RangeInclusive<u32>, default: u32, name: &str, errors: &mut Errors| {
            match value {
                Some(v) if !range.contains(v.get_ref()) => {
                    errors.add(v.span(), format!("{name} must be between {} and {}", range.start(), range.end()));
                    default
                }
                Some(v) => *v.get_ref(),
                None => default,
            }
        };
    // Files written for the minute cron counted ticks: n ticks held for n - 1 intervals.
    let from_ticks = |ticks: &Option<Spanned<u32>>,
                      seconds: &Option<Spanned<u32>>,
                      name: &str,
                      instead: &str,
                      errors: &mut Errors| {
        let ticks = ticks.as_ref()?;
        let held = ticks.get_ref().clamp(&1, &60).saturating_sub(1) * interval;
        let message = if seconds.is_some() {
            format!("{name} is no longer used and {instead} is set: {name} is ignored")
        } else {
            format!(
                "{name} is no longer used: read as {instead} = {held} ({name} - 1 intervals); write {instead} instead"
            )
        };
        errors.note(ticks.span(), message);
        seconds.is_none().then_some(held)
    };
    let confirm = from_ticks(&probe.fail_ticks, &probe.confirm_seconds, "fail_ticks", "confirm_seconds", errors);
    let recover = from_ticks(&probe.recover_ticks, &probe.recover_seconds, "recover_ticks", "recover_seconds", errors);
    let recheck_seconds = within(&probe.recheck_seconds, 1..=60, defaults.recheck_seconds, "recheck_seconds", errors);
    if let Some(v) = probe.recheck_seconds.as_ref().filter(|v| *v.get_ref() >= interval) {
        errors.note(
            v.span(),
            format!(
                "recheck_seconds ({}) is not shorter than interval_seconds ({interval}): the next round comes first",
                v.get_ref()
            ),
        );
    }
    Thresholds {
        quorum,
        recheck_seconds,
        confirm_seconds: within(
            &probe.confirm_seconds,
            0..=600,
            confirm.unwrap_or(defaults.confirm_seconds),
            "confirm_seconds",
            errors,
        ),
        recover_seconds: within(
            &probe.recover_seconds,
            0..=3600,
            recover.unwrap_or(defaults.recover_seconds),
            "recover_seconds",
            errors,
        ),
        flap_changes: within(&probe.flap_changes, 2..=100, defaults.flap_changes, "flap_changes", errors),
        flap_window_seconds: within(
            &probe.flap_window_seconds,
            1..=3600,
            defaults.flap_window_seconds,
            "flap_window_seconds",
            errors,
        ),
    }
}

/// Each region's round must stay within its subrequests, and the worst day (every endpoint
/// hanging, every round) within the free plan. Sets the interval: the one written, or the
/// default when the plan sustains it, or else the fastest it does (with a note).
fn check_budget(
    config: &mut Config,
    written: Option<&Spanned<u32>>,
    probe_span: Range<usize>,
    platform: Platform,
    errors: &mut Errors,
) {
    let allowed = FREE_SUBREQUESTS_PER_INVOCATION - SUBREQUEST_HEADROOM;
    // Heartbeats report in: the regions never probe them.
    let probed: Vec<Endpoint> = config.endpoints.iter().filter(|e| e.is_probed()).cloned().collect();
    let needed = region_subrequests(&probed);
    if needed > allowed {
        errors.list.push(ConfigError {
            line: 1,
            message: format!(
                "{} endpoints need up to {needed} requests per region per round (redirects count), more than the {allowed} a Worker can make on the free plan ({FREE_SUBREQUESTS_PER_INVOCATION}, less {SUBREQUEST_HEADROOM} kept free): probe fewer endpoints, or turn off follow_redirects",
                probed.len()
            ),
        });
    }
    let shape = Shape { timeouts_ms: probed.iter().map(|e| e.timeout_ms).collect(), regions: config.regions.len() };
    let span = || written.map_or_else(|| if probe_span.is_empty() { 0..0 } else { probe_span.clone() }, Spanned::span);
    let wanted = written.map_or(DEFAULT_INTERVAL_SECONDS, |w| *w.get_ref());
    // Local runs (wrangler dev, the tests) are not billed.
    let overrun = if platform.local { None } else { daily(&shape, wanted).overrun() };
    let Some(overrun) = overrun else { return };
    let fastest = fastest_sustainable(&shape);
    let slower = match fastest {
        Some(seconds) => format!(
            "the fastest this config sustains is interval_seconds = {seconds}, or lower timeout_ms to probe faster"
        ),
        None => "probe fewer endpoints or from fewer regions, or lower timeout_ms".to_string(),
    };
    match (written, fastest) {
        (None, Some(seconds)) => {
            config.interval_seconds = seconds;
            errors.note(span(), format!("rounds are every {seconds} s, not {DEFAULT_INTERVAL_SECONDS}: at {DEFAULT_INTERVAL_SECONDS} s this config would cost {overrun} if every endpoint hung, and the probe would stop mid-outage; lower timeout_ms to probe faster"));
        }
        _ => errors.add(
            span(),
            format!("probing every {wanted} s would cost {overrun}, so the probe would stop mid-outage; {slower}"),
        ),
    }
}
