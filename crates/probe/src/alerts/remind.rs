//! Reminders: trouble that lasts is said again to the targets that ask (`remind_minutes`),
//! counted from the last message about it delivered to each, only to targets that hear of
//! the endpoint and were told of this trouble, never while the endpoint flaps or is under
//! maintenance, and never piled up behind a message still waiting.

use config::Config;

use super::alert::Alert;
use super::outbox::{hears, Outbox};

impl Outbox {
    /// The targets due a reminder about `endpoint`, in trouble now, at `now`.
    pub fn reminders_due(&self, config: &Config, endpoint: &str, now: i64) -> Vec<String> {
        if config.maintenance_of(endpoint, now).is_some() {
            return Vec::new();
        }
        config
            .alerts
            .iter()
            .filter(|target| {
                let Some(minutes) = target.remind_minutes.filter(|_| hears(target, endpoint)) else { return false };
                let told = self.last_told.get(&target.id).and_then(|told| told.get(endpoint));
                let waiting = self.pending.iter().any(|p| p.target == target.id && p.alert.endpoint == endpoint);
                told.is_some_and(|at| now - at >= i64::from(minutes) * 60) && !waiting
            })
            .map(|target| target.id.clone())
            .collect()
    }

    /// Queues `reminder` (an alert marked as one) for `targets`.
    pub fn remind(&mut self, config: &Config, reminder: &Alert, targets: &[String], now: i64) -> usize {
        debug_assert!(reminder.reminder && !reminder.ends_trouble());
        self.announce_to(config, reminder, now, |target, _| targets.contains(&target.id))
    }

    /// Forgets what was told about endpoints and targets no longer configured.
    pub fn forget_told(&mut self, config: &Config) {
        self.last_told.retain(|target, _| config.alerts.iter().any(|t| &t.id == target));
        for (target, told) in &mut self.last_told {
            let Some(target) = config.alerts.iter().find(|t| &t.id == target) else { continue };
            told.retain(|endpoint, _| config.endpoints.iter().any(|e| &e.name == endpoint) && hears(target, endpoint));
        }
        self.episodes.retain(|endpoint, _| config.endpoints.iter().any(|e| &e.name == endpoint));
    }
}
