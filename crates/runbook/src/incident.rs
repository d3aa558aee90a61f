//! An incident: one run of a runbook. Pure state and the rules that change it; the app saves
//! it, the clock is passed in.

use std::collections::BTreeMap;

use crate::steps::StepId;

/// Unix time in seconds.
pub type Timestamp = i64;

/// What an incident holds at most: far beyond any real one, and within what the saved
/// format reads back, so what is saved always reopens. Applied where input enters (typing,
/// merging a link), never discovered on reload.
pub mod limits {
    /// Characters of one template field (the form shows a counter).
    pub const FIELD_CHARS: usize = 4_000;
    /// Template fields, including ones a merged link brought.
    pub const FIELDS: usize = 64;
    /// Timeline events; past this, the oldest are dropped.
    pub const EVENTS: usize = 500;
    /// Checked steps, including ones the runbook no longer has.
    pub const CHECKS: usize = 2_000;
    /// Host values.
    pub const VARIABLES: usize = 64;
    /// Characters of a name: an id, a severity, a template title, a variable name.
    pub const NAME_CHARS: usize = 200;
    /// Characters of a person's name (who checked a step in a live room).
    pub const PERSON_CHARS: usize = 40;
}

/// A person's name as others see it: control and direction-override characters dropped
/// (a name can neither add a line to the post-mortem nor turn text around), spaces joined,
/// at most [`limits::PERSON_CHARS`] characters; `None` when nothing is left.
pub fn clean_person(raw: &str) -> Option<String> {
    let kept: String = raw
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200E}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let joined = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(cut(&joined, limits::PERSON_CHARS)).filter(|name| !name.is_empty())
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: String,
    /// The runbook's slug.
    pub runbook: String,
    pub started_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
    pub severity: Option<String>,
    /// Checked steps and when they were checked.
    pub checks: BTreeMap<StepId, Timestamp>,
    /// Who checked a step, when it was checked in a live room (the room sets it from who
    /// sent the change); a step checked alone has none.
    pub checked_by: BTreeMap<StepId, String>,
    /// Template field values the user typed, by field key. Derived values are not stored.
    pub fields: BTreeMap<String, String>,
    /// When each field was last edited: merging two copies keeps the newer value.
    pub field_times: BTreeMap<String, Timestamp>,
    /// Non-secret variable values for this incident (`EC2_HOST`).
    pub variables: BTreeMap<String, String>,
    pub events: Vec<Event>,
    /// When the next status update is due, from `NEXT UPDATE: [Time]`.
    pub next_update_at: Option<Timestamp>,
    /// The probe's outage this incident was started from: the cockpit follows it.
    pub probe: Option<ProbeOutage>,
}

/// An outage the edge probe declared, as the incident keeps it: its times go in the timeline
/// and the post-mortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOutage {
    pub endpoint: String,
    /// The worst state seen: `down`, `regional` or `degraded`.
    pub state: api::State,
    /// The first failing probe.
    pub onset: Timestamp,
    /// When the probe declared it.
    pub declared: Timestamp,
    pub regions: Vec<String>,
    pub cause: String,
    /// When the probe declared it up again.
    pub recovered: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: Timestamp,
    pub kind: EventKind,
    /// Who did it, in a live room (set by the room, like [`Incident::checked_by`]).
    pub by: Option<String>,
}

impl Event {
    /// An entry nobody is named for (made outside a live room).
    pub fn new(at: Timestamp, kind: EventKind) -> Event {
        Event { at, kind, by: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    SeverityChanged { to: String },
    MessageCopied { template: String },
    Resolved,
    Reopened,
}

impl EventKind {
    /// What the timeline (and the post-mortem) says of it.
    pub fn words(&self) -> String {
        match self {
            EventKind::SeverityChanged { to } => format!("Severity set to {to}"),
            EventKind::MessageCopied { template } => format!("Sent: {template}"),
            EventKind::Resolved => "Resolved".to_string(),
            EventKind::Reopened => "Reopened".to_string(),
        }
    }
}

impl Incident {
    pub fn new(id: impl Into<String>, runbook: impl Into<String>, started_at: Timestamp) -> Incident {
        Incident {
            id: id.into(),
            runbook: runbook.into(),
            started_at,
            resolved_at: None,
            severity: None,
            checks: BTreeMap::new(),
            checked_by: BTreeMap::new(),
            fields: BTreeMap::new(),
            field_times: BTreeMap::new(),
            variables: BTreeMap::new(),
            events: Vec::new(),
            next_update_at: None,
            probe: None,
        }
    }

    pub fn is_resolved(&self) -> bool {
        self.resolved_at.is_some()
    }

    /// Seconds since the start; stops at resolution. Never negative.
    pub fn elapsed(&self, now: Timestamp) -> u64 {
        let end = self.resolved_at.unwrap_or(now);
        end.saturating_sub(self.started_at).max(0) as u64
    }

    pub fn toggle_step(&mut self, step: StepId, now: Timestamp) {
        let checked = !self.checks.contains_key(&step);
        self.set_step(step, checked, now);
    }

    /// Checks or unchecks a step as the person sees it now: the same box ticked in two
    /// tabs, or after another tab's change arrives, never flips it back.
    pub fn set_step(&mut self, step: StepId, checked: bool, now: Timestamp) {
        match (checked, self.checks.contains_key(&step)) {
            (true, false) if self.checks.len() < limits::CHECKS => {
                self.checks.insert(step, now);
            }
            (false, true) => {
                self.checks.remove(&step);
                self.checked_by.remove(&step);
            }
            _ => {}
        }
    }

    fn push_event(&mut self, event: Event) {
        self.events.push(event);
        let excess = self.events.len().saturating_sub(limits::EVENTS);
        self.events.drain(..excess);
    }

    /// An empty level is no severity, and sets nothing.
    pub fn set_severity(&mut self, level: &str, now: Timestamp) {
        if level.trim().is_empty() || self.severity.as_deref() == Some(level) {
            return;
        }
        let level = cut(level, limits::NAME_CHARS);
        self.severity = Some(level.clone());
        self.push_event(Event::new(now, EventKind::SeverityChanged { to: level }));
    }

    pub fn resolve(&mut self, now: Timestamp) {
        if self.resolved_at.is_none() {
            self.resolved_at = Some(now.max(self.started_at));
            self.push_event(Event::new(now, EventKind::Resolved));
        }
    }

    pub fn reopen(&mut self, now: Timestamp) {
        if self.resolved_at.take().is_some() {
            self.push_event(Event::new(now, EventKind::Reopened));
        }
    }

    pub fn record_copy(&mut self, template: &str, now: Timestamp) {
        let template = cut(template, limits::NAME_CHARS);
        self.push_event(Event::new(now, EventKind::MessageCopied { template }));
    }

    /// Moves the start (an incident noticed late). A start after the resolution is refused.
    pub fn set_start(&mut self, at: Timestamp) -> bool {
        if self.resolved_at.is_some_and(|resolved| at > resolved) {
            return false;
        }
        self.started_at = at;
        true
    }

    /// An emptied field keeps its edit time, so a merge knows the emptying is newer. A
    /// value is cut to [`limits::FIELD_CHARS`]; a new field beyond [`limits::FIELDS`] is
    /// refused (`false`).
    pub fn set_field(&mut self, key: &str, value: &str, now: Timestamp) -> bool {
        let key = cut(key, limits::NAME_CHARS);
        if !self.field_times.contains_key(&key) && self.field_times.len() >= limits::FIELDS {
            return false;
        }
        if value.is_empty() {
            self.fields.remove(&key);
        } else {
            self.fields.insert(key.clone(), cut(value, limits::FIELD_CHARS));
        }
        self.field_times.insert(key, now);
        true
    }

    /// Sets or clears a host value. The caller checks it fits its placeholder
    /// (`crate::values`); a new one beyond [`limits::VARIABLES`] is refused (`false`), and so
    /// is one longer than any placeholder takes: never cut, since a cut value could fit.
    pub fn set_variable(&mut self, name: &str, value: &str) -> bool {
        if value.is_empty() {
            self.variables.remove(name);
            return true;
        }
        let too_long = value.chars().count() > crate::values::MAX_VALUE_CHARS + 1;
        if too_long || (!self.variables.contains_key(name) && self.variables.len() >= limits::VARIABLES) {
            return false;
        }
        self.variables.insert(cut(name, limits::NAME_CHARS), value.to_string());
        true
    }

    /// The probe says the outage's endpoint is up again (at `at`); kept once.
    pub fn probe_recovered(&mut self, at: Timestamp) -> bool {
        match &mut self.probe {
            Some(probe) if probe.recovered.is_none() && at >= probe.onset => {
                probe.recovered = Some(at);
                true
            }
            _ => false,
        }
    }

    /// The probe reports a worse state or more failing regions for the outage's endpoint.
    pub fn probe_worsened(&mut self, state: api::State, regions: &[String]) -> bool {
        let Some(probe) = &mut self.probe else { return false };
        let mut changed = false;
        if state > probe.state {
            probe.state = state;
            changed = true;
        }
        for region in regions {
            if !probe.regions.contains(region) && probe.regions.len() < 16 {
                probe.regions.push(cut(region, 16));
                changed = true;
            }
        }
        changed
    }

    /// The first time in the incident later than `latest` (beyond clock skew, a link from
    /// the future), if any: such a link is refused, not merged.
    pub fn time_after(&self, latest: Timestamp) -> Option<Timestamp> {
        let times = std::iter::once(self.started_at)
            .chain(self.resolved_at)
            .chain(self.probe.iter().flat_map(|p| [Some(p.onset), Some(p.declared), p.recovered]).flatten())
            .chain(self.checks.values().copied())
            .chain(self.field_times.values().copied())
            .chain(self.events.iter().map(|e| e.at));
        times.filter(|&t| t > latest).min()
    }
}
