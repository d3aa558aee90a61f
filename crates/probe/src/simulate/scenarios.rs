//! The outages the simulation runs, each many times from a random moment with regions at
//! random phases, and what is reported of them: time from onset to the declared state, the
//! alerts sent, and time to recovery.

use api::State;

use super::{run, Behaviour, Rng, Settings};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// The first `regions` regions see `behaviour` for the whole outage.
    Regions { regions: usize, behaviour: Behaviour },
    /// Every region: failing for `on_ms`, then healthy for `off_ms`, over and over.
    Flapping { on_ms: i64, off_ms: i64 },
    /// Every probe fails with probability one half.
    HalfFailing,
    /// The first region fails, and after `after_ms` every region does.
    Spreading { after_ms: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    State(State),
    Flapping,
    /// A blip shorter than the window: nothing is declared, nothing is sent.
    Nothing,
    /// Flapping faster than the cadence: the rounds see it as an outage in the regions
    /// that fall in its failing half, or as flapping. Either, never "up".
    Trouble,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scenario {
    pub name: &'static str,
    pub kind: Kind,
    pub duration_ms: i64,
    pub expect: Expect,
}

pub fn scenarios() -> Vec<Scenario> {
    let outage = |name, regions, behaviour, expect| Scenario {
        name,
        kind: Kind::Regions { regions, behaviour },
        duration_ms: 10 * 60_000,
        expect: Expect::State(expect),
    };
    let blip = |name, seconds: i64| Scenario {
        name,
        kind: Kind::Regions { regions: 3, behaviour: Behaviour::Failing },
        duration_ms: seconds * 1_000,
        expect: Expect::Nothing,
    };
    let flapping = |name, kind| Scenario { name, kind, duration_ms: 10 * 60_000, expect: Expect::Flapping };
    vec![
        outage("global, HTTP 503", 3, Behaviour::Failing, State::Down),
        outage("global, hanging", 3, Behaviour::Hanging, State::Down),
        outage("one region", 1, Behaviour::Failing, State::Regional),
        outage("two regions", 2, Behaviour::Failing, State::Down),
        outage("slow everywhere", 3, Behaviour::Slow, State::Degraded),
        blip("blip of 5 s", 5),
        blip("blip of 10 s", 10),
        blip("blip of 15 s", 15),
        flapping("fails every other round (20 s / 20 s)", Kind::Flapping { on_ms: 20_000, off_ms: 20_000 }),
        flapping("flapping 30 s / 30 s", Kind::Flapping { on_ms: 30_000, off_ms: 30_000 }),
        flapping("flapping 60 s / 60 s", Kind::Flapping { on_ms: 60_000, off_ms: 60_000 }),
        flapping("half the checks fail, at random", Kind::HalfFailing),
        Scenario {
            name: "one region, then all 2 min later",
            kind: Kind::Spreading { after_ms: 120_000 },
            duration_ms: 10 * 60_000,
            expect: Expect::State(State::Down),
        },
        Scenario {
            name: "flapping 10 s / 10 s (faster than the rounds)",
            kind: Kind::Flapping { on_ms: 10_000, off_ms: 10_000 },
            duration_ms: 10 * 60_000,
            expect: Expect::Trouble,
        },
    ]
}

/// One trial's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Trial {
    /// From onset (of the spread, for an outage that spreads) to the expected verdict.
    pub detect_ms: Option<i64>,
    /// A verdict worse than expected (one region called down) or any at all for a blip.
    pub wrong: bool,
    pub trouble_alerts: usize,
    pub recovery_alerts: usize,
    /// From the end of the outage to "up" declared.
    pub recovery_ms: Option<i64>,
    /// Declared "up" while the endpoint was failing, after the trouble was first declared.
    pub up_during_trouble: bool,
}

pub fn trial(scenario: &Scenario, settings: &Settings, seed: u64) -> Trial {
    let mut rng = Rng::new(seed);
    let onset = 120_000 + rng.below(settings.cadence_ms);
    let end = onset + scenario.duration_ms;
    let kind = scenario.kind;
    let endpoint = move |region: usize, t: i64| {
        if t < onset || t >= end {
            return Behaviour::Healthy;
        }
        match kind {
            Kind::Regions { regions, behaviour } if region < regions => behaviour,
            Kind::Regions { .. } => Behaviour::Healthy,
            Kind::Spreading { after_ms } if region == 0 || t >= onset + after_ms => Behaviour::Failing,
            Kind::Spreading { .. } => Behaviour::Healthy,
            Kind::Flapping { on_ms, off_ms } if (t - onset) % (on_ms + off_ms) < on_ms => Behaviour::Failing,
            Kind::Flapping { .. } => Behaviour::Healthy,
            Kind::HalfFailing => {
                let coin = Rng::new(seed ^ (t as u64).wrapping_mul(0x2545_F491_4F6C_DD1D) ^ region as u64).next_u64();
                if coin & 1 == 1 {
                    Behaviour::Failing
                } else {
                    Behaviour::Healthy
                }
            }
        }
    };
    let result = run(settings, &endpoint, &mut rng, end + 12 * 60_000);
    let expected_from = match kind {
        Kind::Spreading { after_ms } => onset + after_ms,
        _ => onset,
    };
    let mut found = Trial::default();
    for change in &result.changes {
        let matches = match scenario.expect {
            Expect::State(state) => change.to.state == state && !change.to.flapping,
            Expect::Flapping => change.to.flapping,
            Expect::Nothing => false,
            Expect::Trouble => change.to.state != State::Up,
        };
        if matches && found.detect_ms.is_none() {
            found.detect_ms = Some(change.at_ms - expected_from);
        }
        found.wrong |= match scenario.expect {
            Expect::State(state) => change.to.state > state,
            Expect::Flapping | Expect::Trouble => false,
            Expect::Nothing => true,
        };
        if change.alert {
            if change.to.state == State::Up {
                found.recovery_alerts += 1;
            } else {
                found.trouble_alerts += 1;
            }
        }
        if change.to.state == State::Up && change.at_ms >= end && found.recovery_ms.is_none() {
            found.recovery_ms = Some(change.at_ms - end);
        }
    }
    let declared_at = found.detect_ms.map(|d| expected_from + d);
    found.up_during_trouble =
        declared_at.is_some_and(|from| result.verdicts.iter().any(|&(at, up)| up && at > from && at < end));
    found
}

/// What many trials of one scenario showed.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub name: &'static str,
    pub expect: Expect,
    pub trials: Vec<Trial>,
}

pub fn simulate(scenario: &Scenario, settings: &Settings, trials: u64) -> Summary {
    Summary {
        name: scenario.name,
        expect: scenario.expect,
        trials: (0..trials).map(|seed| trial(scenario, settings, seed * 7_919 + 17)).collect(),
    }
}

impl Summary {
    pub fn detect_ms(&self) -> Vec<i64> {
        sorted(self.trials.iter().filter_map(|t| t.detect_ms))
    }

    pub fn recovery_ms(&self) -> Vec<i64> {
        sorted(self.trials.iter().filter_map(|t| t.recovery_ms))
    }

    pub fn missed(&self) -> usize {
        match self.expect {
            Expect::Nothing => 0,
            _ => self.trials.iter().filter(|t| t.detect_ms.is_none()).count(),
        }
    }

    /// `(fewest, most)` trouble alerts in one trial.
    pub fn trouble_alerts(&self) -> (usize, usize) {
        span(self.trials.iter().map(|t| t.trouble_alerts))
    }

    pub fn recovery_alerts(&self) -> (usize, usize) {
        span(self.trials.iter().map(|t| t.recovery_alerts))
    }

    pub fn wrong(&self) -> usize {
        self.trials.iter().filter(|t| t.wrong).count()
    }

    pub fn up_during_trouble(&self) -> usize {
        self.trials.iter().filter(|t| t.up_during_trouble).count()
    }
}

fn sorted(values: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut values: Vec<i64> = values.collect();
    values.sort_unstable();
    values
}

fn span(values: impl Iterator<Item = usize>) -> (usize, usize) {
    values.fold((usize::MAX, 0), |(low, high), v| (low.min(v), high.max(v)))
}

/// `12.3 / 25.0 / 41.2 s`, or `—` when nothing was measured.
pub fn min_median_max(sorted_ms: &[i64]) -> String {
    match (sorted_ms.first(), sorted_ms.get(sorted_ms.len() / 2), sorted_ms.last()) {
        (Some(low), Some(mid), Some(high)) => {
            format!("{:.1} / {:.1} / {:.1} s", *low as f64 / 1e3, *mid as f64 / 1e3, *high as f64 / 1e3)
        }
        _ => "—".into(),
    }
}

/// The Markdown table `cargo xtask bench` writes.
pub fn table(summaries: &[Summary]) -> String {
    let mut out = String::from(
        "| scenario | declared | onset → declared (min / median / max) | missed | trouble alerts per outage | recovery alerts | end → up (min / median / max) |\n|---|---|---|---|---|---|---|\n",
    );
    for s in summaries {
        let declared = match s.expect {
            Expect::State(state) => state.label().to_string(),
            Expect::Flapping => "flapping".into(),
            Expect::Nothing => "nothing".into(),
            Expect::Trouble => "flapping or an outage".into(),
        };
        let count = |(low, high): (usize, usize)| if low == high { low.to_string() } else { format!("{low}–{high}") };
        out.push_str(&format!(
            "| {} | {} | {} | {} of {} | {} | {} | {} |\n",
            s.name,
            declared,
            min_median_max(&s.detect_ms()),
            s.missed(),
            s.trials.len(),
            count(s.trouble_alerts()),
            count(s.recovery_alerts()),
            min_median_max(&s.recovery_ms()),
        ));
    }
    out
}
