//! What one room holds and accepts at most: far beyond a real incident's team, and small
//! enough that a hostile client costs little. Applied where input enters, before anything
//! is saved or sent on.

/// Bytes of one message from a client. A change carries the whole incident in the saved
/// format; a large real one (every step checked, long messages written) is under 64 KB.
pub const MESSAGE_BYTES: usize = 256 * 1024;
/// People in the room at once.
pub const PEOPLE: usize = 25;
/// Connections at once, counting those that have not joined yet.
pub const CONNECTIONS: usize = 40;
/// A connection that has not joined within this long is closed when another arrives.
pub const JOIN_WITHIN_MS: i64 = 10_000;
/// Characters of a person's name.
pub const NAME_CHARS: usize = 40;
/// A room with no change for this long ends: its incident is deleted from the worker (the
/// copies in the browsers stay).
pub const IDLE_SECONDS: i64 = 48 * 3600;
