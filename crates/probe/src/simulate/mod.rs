//! A deterministic simulation of the whole detection path: each region's rounds on its own
//! schedule, its recheck after a new failure, the monitor asking the other regions to probe
//! at once, the time probes and reports take, and the [`Detector`] deciding as the results
//! arrive. `cargo xtask bench` reports it (`benches/detection.rs`); tests hold it to the
//! promises (`tests/detection.rs`).

pub mod scenarios;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::detect::{Change, Class, Detector, Windows};

/// How the probe runs: the production defaults unless a test says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub regions: usize,
    pub cadence_ms: i64,
    pub recheck_ms: i64,
    pub timeout_ms: i64,
    pub slow_ms: i64,
    /// From a region's result to the monitor having it.
    pub report_ms: i64,
    /// From the monitor asking a region to probe now to the probe starting.
    pub ask_ms: i64,
    pub windows: Windows,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            regions: 3,
            cadence_ms: 20_000,
            recheck_ms: 5_000,
            timeout_ms: i64::from(config::DEFAULT_TIMEOUT_MS),
            slow_ms: i64::from(config::DEFAULT_SLOW_MS),
            report_ms: 150,
            ask_ms: 250,
            windows: Windows::default(),
        }
    }
}

/// What the endpoint does for a probe from a region at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Healthy,
    Slow,
    /// Answers at once, wrongly (HTTP 503, refused).
    Failing,
    /// Answers nothing until the probe gives up.
    Hanging,
}

/// A small deterministic generator (SplitMix64): the same seed, the same run.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: i64) -> i64 {
        (self.next_u64() % n.max(1) as u64) as i64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// A region's regular round.
    Round { region: usize },
    /// A probe outside the rounds: a recheck, or asked for by the monitor.
    Extra { region: usize },
    /// A probe's result, in its region, from a probe started at `started`.
    Result { region: usize, class: Class, started: i64 },
    /// The monitor receives a result of a probe started at `at`.
    Report { region: usize, class: Class, at: i64 },
}

/// One run: every declared change, and the verdict after each result, in time order.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub changes: Vec<Change>,
    /// `(time the monitor had it, whether the declared state was up)` after each report.
    pub verdicts: Vec<(i64, bool)>,
}

/// Runs until `until_ms`, the regions' rounds taking turns from a random phase.
pub fn run(settings: &Settings, endpoint: &dyn Fn(usize, i64) -> Behaviour, rng: &mut Rng, until_ms: i64) -> Run {
    let mut queue: BinaryHeap<Reverse<(i64, u64, Event)>> = BinaryHeap::new();
    let mut seq = 0u64;
    let mut push = |queue: &mut BinaryHeap<_>, at: i64, event: Event| {
        seq += 1;
        queue.push(Reverse((at, seq, event)));
    };
    // The regions take turns over the cadence, as armed in production (`schedule::arm`),
    // from a random moment relative to the outage.
    let phase = rng.below(settings.cadence_ms);
    for region in 0..settings.regions {
        let turn = settings.cadence_ms * region as i64 / settings.regions.max(1) as i64;
        push(&mut queue, (phase + turn) % settings.cadence_ms, Event::Round { region });
    }
    let mut detector = Detector::default();
    let mut last_class = vec![Class::Healthy; settings.regions];
    let mut out = Run::default();
    while let Some(Reverse((now, _, event))) = queue.pop() {
        if now > until_ms {
            break;
        }
        match event {
            Event::Round { region } | Event::Extra { region } => {
                if let Event::Round { .. } = event {
                    push(&mut queue, now + settings.cadence_ms, Event::Round { region });
                }
                let (class, took) = probe(settings, endpoint(region, now), rng);
                push(&mut queue, now + took, Event::Result { region, class, started: now });
            }
            Event::Result { region, class, started } => {
                // A healthy endpoint that fails is probed again shortly, from here.
                if class == Class::Failing && last_class[region] != Class::Failing {
                    push(&mut queue, now + settings.recheck_ms, Event::Extra { region });
                }
                last_class[region] = class;
                let delay = settings.report_ms + rng.below(settings.report_ms);
                // A result is dated by when its probe started: rounds are exactly a cadence
                // apart, so a window of one cadence is met by the next round, not missed by
                // the jitter of a response.
                push(&mut queue, now + delay, Event::Report { region, class, at: started });
            }
            Event::Report { region, class, at } => {
                let name = REGION_NAMES[region % REGION_NAMES.len()];
                if let Some(change) = detector.observe(&settings.windows, name, class, at) {
                    out.changes.push(Change { at_ms: now, ..change });
                }
                if detector.is_new_trouble(name) {
                    for other in (0..settings.regions).filter(|&r| r != region) {
                        push(&mut queue, now + settings.ask_ms, Event::Extra { region: other });
                    }
                }
                out.verdicts.push((now, detector.verdict().state == api::State::Up));
            }
        }
    }
    out
}

const REGION_NAMES: [&str; 8] = ["weur", "enam", "apac", "eeur", "wnam", "oc", "sam", "afr"];

/// The result of one probe and how long it took (ms).
fn probe(settings: &Settings, behaviour: Behaviour, rng: &mut Rng) -> (Class, i64) {
    match behaviour {
        Behaviour::Healthy => (Class::Healthy, 40 + rng.below(260)),
        Behaviour::Slow => (Class::Slow, settings.slow_ms + 500 + rng.below(1_000)),
        Behaviour::Failing => (Class::Failing, 20 + rng.below(200)),
        Behaviour::Hanging => (Class::Failing, settings.timeout_ms),
    }
}
