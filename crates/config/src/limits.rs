//! Cloudflare's free-plan limits the probe must live within, as the platform documents them
//! (Workers limits, Durable Objects pricing). Validation refuses a config that would break
//! them; `budget.rs` and `cadence.rs` show what a configuration costs against them.

/// Subrequests one Worker invocation may make (fetch and connect each count one).
pub const FREE_SUBREQUESTS_PER_INVOCATION: usize = 50;
/// Connections one invocation may hold open at once; an unread body holds one.
pub const FREE_CONNECTIONS: usize = 6;
/// Durable Object SQLite rows written per day on the free plan.
pub const FREE_ROWS_WRITTEN_PER_DAY: u64 = 100_000;
/// Alert deliveries the monitor makes per tick at most (each is a subrequest).
pub const MAX_DELIVERIES_PER_TICK: usize = 20;
/// Subrequests kept free in a region's invocation for what the count cannot foresee.
pub const SUBREQUEST_HEADROOM: usize = 5;
/// Durable Object duration included per day (GB-s).
pub const FREE_DURATION_GB_S_PER_DAY: f64 = 13_000.0;
/// Memory billed for an active Durable Object, whatever it uses (GB).
pub const BILLED_GB_PER_OBJECT: f64 = 0.125;
/// Durable Object requests included per day.
pub const FREE_DO_REQUESTS_PER_DAY: u64 = 100_000;
/// Alert targets at most: every message waits for each target in the monitor's saved state,
/// which must stay under its size limit with every endpoint in an outage.
pub const MAX_ALERT_TARGETS: usize = 8;

/// The most a probe waits for an answer; the budget may ask for less.
pub const MAX_TIMEOUT_MS: u32 = 30_000;
/// The most body a probe reads; assertions look at health documents, not downloads.
pub const MAX_BODY_BYTES: u32 = 1024 * 1024;
