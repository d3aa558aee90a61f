//! The addresses the worker's Durable Objects answer, named once for the side that asks and
//! the side that answers. Messages with a body name theirs beside their type
//! ([`crate::Ingest::PATH`], [`crate::View::PATH`], …).

/// What the monitor object serves to the worker.
pub mod monitor {
    /// The endpoints' status (`StatusReport`).
    pub const STATUS: &str = "/status";
    /// The latest incidents (`IncidentList`).
    pub const INCIDENTS: &str = "/incidents";
    /// The outbox, redacted (`AlertsReport`).
    pub const ALERTS: &str = "/alerts";
    /// The status pictures (`Pictures`).
    pub const PICTURES: &str = "/pictures";
    /// One endpoint's history: this, then the endpoint's name.
    pub const HISTORY: &str = "/history/";
    /// Local runs only: damage the saved state, as a bad write would.
    pub const DAMAGE: &str = "/damage";
    /// Local runs only: answer reads as if the platform's request limit were reached.
    pub const LIMIT_ON: &str = "/limit/on";
    pub const LIMIT_OFF: &str = "/limit/off";

    /// The path of `endpoint`'s history.
    pub fn history(endpoint: &str) -> String {
        format!("{HISTORY}{endpoint}")
    }
}

/// What a region's object serves to the worker.
pub mod region {
    /// Local runs only: the region stops answering, as a region the platform lost would.
    pub const STOP: &str = "/stop";
}
