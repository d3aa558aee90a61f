//! How fast one connection may send: a burst, then a steady rate (a token bucket). A message
//! over the pace is refused with a reason; a connection that keeps sending over it is closed.
//! Kept with the connection (it survives the room's hibernation), so it costs no storage.

use serde::{Deserialize, Serialize};

/// Messages one connection may send at once.
pub const BURST: u32 = 20;
/// One more message allowed every this long.
pub const REFILL_MS: i64 = 500;
/// Messages refused in a row before the connection is closed.
pub const STRIKES: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pace {
    credit: u32,
    /// When `credit` was last counted (Unix ms).
    at_ms: i64,
    strikes: u32,
}

/// What to do with a message, by the pace of its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Take,
    Refuse,
    /// Refused `STRIKES` times in a row: close the connection.
    Close,
}

impl Pace {
    pub fn new(now_ms: i64) -> Pace {
        Pace { credit: BURST, at_ms: now_ms, strikes: 0 }
    }

    /// Counts a message arriving at `now_ms`. A clock that went back refills nothing.
    pub fn take(&mut self, now_ms: i64) -> Verdict {
        let earned = now_ms.saturating_sub(self.at_ms).max(0) / REFILL_MS;
        if earned > 0 {
            self.credit = i64::from(self.credit).saturating_add(earned).min(i64::from(BURST)) as u32;
            self.at_ms = if self.credit == BURST { now_ms } else { self.at_ms.saturating_add(earned * REFILL_MS) };
        }
        if self.credit > 0 {
            self.credit -= 1;
            self.strikes = 0;
            return Verdict::Take;
        }
        self.strikes += 1;
        if self.strikes >= STRIKES {
            Verdict::Close
        } else {
            Verdict::Refuse
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_taken_then_one_message_per_refill() {
        let mut pace = Pace::new(0);
        assert!((0..BURST).all(|_| pace.take(0) == Verdict::Take));
        assert_eq!(pace.take(0), Verdict::Refuse);
        assert_eq!(pace.take(REFILL_MS), Verdict::Take);
        assert_eq!(pace.take(REFILL_MS + 1), Verdict::Refuse);
    }

    #[test]
    fn a_connection_that_keeps_flooding_is_closed_and_a_calm_one_never() {
        let mut flood = Pace::new(0);
        let verdicts: Vec<Verdict> = (0..BURST + STRIKES).map(|_| flood.take(0)).collect();
        assert_eq!(verdicts.last(), Some(&Verdict::Close));
        let mut calm = Pace::new(0);
        assert!((0..10_000).all(|i| calm.take(i * REFILL_MS) == Verdict::Take), "a month of steady typing");
    }

    #[test]
    fn a_clock_that_goes_back_earns_nothing() {
        let mut pace = Pace::new(1_000_000);
        (0..BURST).for_each(|_| {
            pace.take(1_000_000);
        });
        assert_eq!(pace.take(0), Verdict::Refuse);
        assert_eq!(pace.take(i64::MIN), Verdict::Refuse);
        assert_eq!(pace.take(1_000_000 + REFILL_MS), Verdict::Take);
    }
}
