//! The probe's configuration: `outpost.toml`, bundled at build time, or the
//! `OUTPOST_CONFIG` variable when set (tests and local runs probe other endpoints).

use probe::{parse_config, Config};
use worker::{console_warn, Env};

const BUNDLED: &str = include_str!("../../outpost.toml");

pub fn load(env: &Env) -> Config {
    let text = env.var("OUTPOST_CONFIG").map(|v| v.to_string()).unwrap_or_else(|_| BUNDLED.to_string());
    let (config, errors) = parse_config(&text);
    // The build refuses a broken file; a variable set by hand is checked here, and the
    // endpoints that are fine are still probed.
    for error in errors {
        console_warn!("{error}");
    }
    config
}
