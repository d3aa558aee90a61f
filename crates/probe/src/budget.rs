//! What a configuration costs on Cloudflare's free plan. The figures live in
//! `config::budget`, where validation checks every config against them.

pub use config::budget::*;
pub use config::cadence;
pub use config::limits::*;
