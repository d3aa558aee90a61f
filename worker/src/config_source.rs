//! The probe's configuration: `outpost.toml`, bundled at build time, or the
//! `OUTPOST_CONFIG` variable when set (tests and local runs probe other endpoints). Read by
//! the `config` crate, once per isolate.

use std::cell::RefCell;
use std::rc::Rc;

use config::{parse_config_for, Config, Platform};
use worker::{console_warn, Env};

const BUNDLED: &str = include_str!("../../outpost.toml");

thread_local! {
    /// Parsed once per isolate: the text cannot change while it lives.
    static PARSED: RefCell<Option<(String, Rc<Config>)>> = const { RefCell::new(None) };
}

/// `OUTPOST_LOCAL=1`: a local run (wrangler dev, the tests), never set in a deployment.
pub fn is_local(env: &Env) -> bool {
    env.var("OUTPOST_LOCAL").is_ok_and(|v| v.to_string() == "1")
}

pub fn load(env: &Env) -> Rc<Config> {
    let text = env.var("OUTPOST_CONFIG").map(|v| v.to_string()).unwrap_or_else(|_| BUNDLED.to_string());
    // Local runs (wrangler dev, the tests) probe loopback servers, which Cloudflare refuses.
    let platform = Platform { local: is_local(env) };
    PARSED.with(|cell| {
        if let Some((cached, config)) = cell.borrow().as_ref() {
            if *cached == text {
                return config.clone();
            }
        }
        let (config, errors) = parse_config_for(&text, platform);
        // The build refuses a broken file; a variable set by hand is checked here, and the
        // endpoints that are fine are still probed.
        for error in errors {
            console_warn!("{error}");
        }
        let config = Rc::new(config);
        *cell.borrow_mut() = Some((text, config.clone()));
        config
    })
}
